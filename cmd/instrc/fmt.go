package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/instrc/instrc/format"
)

// FmtCmd gives instruction files their canonical layout, like gofmt: by
// default it prints the formatted text; -l lists the files that would
// change, -w rewrites them, -d prints a unified diff. Without paths, or
// with -, it formats standard input.
type FmtCmd struct {
	List  bool     `short:"l" help:"List the files whose layout differs from instrc fmt's."`
	Write bool     `short:"w" help:"Write the result back to the files instead of printing it."`
	Diff  bool     `short:"d" help:"Print a unified diff of the changes instead of the result."`
	Paths []string `arg:"" optional:"" name:"path" help:"Instruction files (.instr) or directories to search for them; standard input when none or -."`
}

// Run formats the files.
func (c *FmtCmd) Run(g *Globals) error {
	if len(c.Paths) == 0 || (len(c.Paths) == 1 && c.Paths[0] == "-") {
		if c.Write {
			return cannot("-w needs files to write")
		}
		name, in, err := g.readInput("-")
		if err != nil {
			return cannot("%v", err)
		}
		return c.one(g, name, in)
	}
	files, bad, err := instrFiles(c.Paths)
	if err == nil {
		err = firstError(bad)
	}
	if err != nil {
		return cannot("%v", err)
	}
	for _, f := range files {
		in, err := os.ReadFile(f)
		if err != nil {
			return cannot("%v", err)
		}
		if err := c.one(g, f, in); err != nil {
			return err
		}
	}
	return nil
}

func (c *FmtCmd) one(g *Globals, name string, in []byte) error {
	out := format.Source(in)
	changed := !bytes.Equal(in, out)
	if c.List && changed {
		fmt.Fprintln(g.Stdout, name)
	}
	if c.Diff && changed {
		g.Stdout.Write(diff.Diff(name+".orig", in, name, out))
	}
	if c.Write && changed {
		info, err := os.Stat(name)
		if err != nil {
			return cannot("%v", err)
		}
		if err := os.WriteFile(name, out, info.Mode().Perm()); err != nil {
			return cannot("%v", err)
		}
	}
	if !c.List && !c.Diff && !c.Write {
		g.Stdout.Write(out)
	}
	return nil
}
