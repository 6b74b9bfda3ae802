package main

import (
	"fmt"
	"io"
	"os"

	"github.com/instrc/instrc/diag"
)

// stdinName is the name of standard input in diagnostics when
// --stdin-filename does not give one.
const stdinName = "<stdin>"

// readInput reads path, or standard input for "-" (once), and returns the
// name to report it under: the path as given, or --stdin-filename.
func (g *Globals) readInput(path string) (string, []byte, error) {
	if path != "-" {
		b, err := os.ReadFile(path)
		return path, b, err
	}
	name := g.StdinFilename
	if name == "" {
		name = stdinName
	}
	if g.stdinRead {
		return name, nil, fmt.Errorf("standard input (-) can be read once only")
	}
	g.stdinRead = true
	b, err := io.ReadAll(g.Stdin)
	if err != nil {
		return name, nil, fmt.Errorf("reading standard input: %v", err)
	}
	return name, b, nil
}

// colored decides whether text written to w gets colours: --color always or
// never, else (auto) only on a terminal, when NO_COLOR is unset or empty
// and TERM is not "dumb".
func (g *Globals) colored(w io.Writer) bool {
	return useColor(g.Color, isTerminal(w), os.Getenv("NO_COLOR"), os.Getenv("TERM"))
}

func useColor(mode string, terminal bool, noColor, termName string) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	return terminal && noColor == "" && termName != "dumb"
}

func sgr(code string) func(string) string {
	return func(s string) string { return "\x1b[" + code + "m" + s + "\x1b[0m" }
}

// colors is the style of diagnostics on a terminal, as compilers print
// them: the location bold, errors red, warnings yellow, the code dim, the
// carets green.
var colors = diag.Style{
	Location: sgr("1"),
	Error:    sgr("1;31"),
	Warning:  sgr("1;33"),
	Code:     sgr("2"),
	Caret:    sgr("32"),
}

// shown drops warnings with --quiet.
func (g *Globals) shown(ds diag.Diagnostics) diag.Diagnostics {
	if !g.Quiet {
		return ds
	}
	var out diag.Diagnostics
	for _, d := range ds {
		if d.Severity == diag.Error {
			out = append(out, d)
		}
	}
	return out
}
