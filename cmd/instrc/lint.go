package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/diag"
)

// LintCmd reports every problem in instruction files.
type LintCmd struct {
	Workspace string   `short:"w" help:"Workspace file (overrides the files' front matter)." type:"path"`
	Format    string   `short:"f" enum:"text,json" default:"text" help:"Output format: text or json."`
	Messages  string   `enum:"en,fr," default:"" help:"Language of the messages (en or fr); by default each file's language."`
	Paths     []string `arg:"" name:"path" help:"Instruction files (.instr) or directories to search for them." type:"path"`
}

// Run lints every file and prints the diagnostics.
func (l *LintCmd) Run(g *Globals) error {
	files, err := instrFiles(l.Paths)
	if err != nil {
		return cannot("%v", err)
	}
	all, srcs, err := lintFiles(files, compiler.Options{WorkspacePath: l.Workspace, Messages: l.Messages})
	if err != nil {
		return err
	}
	if err := printDiagnostics(g, l.Format, all, srcs); err != nil {
		return cannot("%v", err)
	}
	if all.HasErrors() {
		return failed
	}
	return nil
}

// lintFiles compiles each file and gathers the diagnostics, once each even
// when several files share a workspace.
func lintFiles(files []string, opts compiler.Options) (diag.Diagnostics, diag.Sources, error) {
	var all diag.Diagnostics
	srcs := diag.Sources{}
	seen := map[string]bool{}
	for _, f := range files {
		res, err := compiler.CompileFile(f, opts)
		if err != nil {
			return nil, nil, cannot("%v", err)
		}
		for name, s := range res.Sources {
			srcs[name] = s
		}
		for _, d := range res.Diagnostics {
			key := fmt.Sprintf("%s\x00%d\x00%d\x00%s\x00%s", d.Range.Filename, d.Range.Start.Offset, d.Range.End.Offset, d.Code, d.Message)
			if seen[key] {
				continue
			}
			seen[key] = true
			all = append(all, d)
		}
	}
	all.Sort()
	return all, srcs, nil
}

func printDiagnostics(g *Globals, format string, ds diag.Diagnostics, srcs diag.Sources) error {
	switch format {
	case "json":
		return diag.WriteJSON(g.Stdout, ds)
	default:
		if err := diag.WriteText(g.Stdout, ds, srcs); err != nil {
			return err
		}
		errs, warns := ds.Count()
		if errs+warns > 0 {
			fmt.Fprintf(g.Stderr, "%s, %s\n", plural(errs, "error"), plural(warns, "warning"))
		}
		return nil
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// instrFiles expands directories into the .instr files below them, sorted.
func instrFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != p && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(d.Name(), ".instr") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("no .instr files in %s", p)
		}
		slices.Sort(found)
		out = append(out, found...)
	}
	return out, nil
}
