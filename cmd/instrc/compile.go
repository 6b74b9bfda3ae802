package main

import (
	"os"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/ir"
)

// CompileCmd writes the action plan of an instruction file.
type CompileCmd struct {
	Workspace string `short:"w" help:"Workspace file (overrides the file's front matter)."`
	Output    string `short:"o" help:"Where to write the plan (default: standard output)."`
	Messages  string `enum:"en,fr," default:"" help:"Language of the messages (en or fr)."`
	File      string `arg:"" help:"Instruction file (.instr); - reads standard input (see --stdin-filename)."`
}

// Run compiles the file; with errors it prints them and writes no plan.
func (c *CompileCmd) Run(g *Globals) error {
	name, text, err := g.readInput(c.File)
	if err != nil {
		return cannot("%v", err)
	}
	res := compiler.Run(compiler.Source{Filename: name, Text: text}, compiler.Options{WorkspacePath: c.Workspace, Messages: c.Messages})
	if len(res.Diagnostics) > 0 {
		if err := printDiagnostics(g.toStderr(), "text", res.Diagnostics, res.Sources); err != nil {
			return cannot("%v", err)
		}
	}
	if res.Diagnostics.HasErrors() {
		return failed
	}
	b, err := ir.Marshal(res.Plan)
	if err != nil {
		return cannot("%v", err)
	}
	if c.Output == "" {
		_, err = g.Stdout.Write(b)
		return err
	}
	if err := os.WriteFile(c.Output, b, 0o644); err != nil {
		return cannot("%v", err)
	}
	return nil
}
