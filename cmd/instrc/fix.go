package main

import (
	"fmt"
	"os"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/config"
	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/format"
)

// fixFiles applies the unambiguous suggestions of each file's diagnostics
// (format.Fixes) and writes the files that changed, printing one line per
// change on standard error:
//
//	agent.instr:1:42: %Pricng -> %Pricing [unknown-tag]
//
// Files that cannot be read are left for lint to report.
func fixFiles(g *Globals, files []string, opts compiler.Options, cfg *config.Config) error {
	total, changed := 0, 0
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		res := compiler.Run(compiler.Source{Filename: f, Text: text}, opts.WithDefaults(cfg.Defaults()))
		lang := opts.Messages
		if lang == "" && res.File != nil {
			lang = res.File.Language
		}
		ds := cfg.Apply(diag.ApplyDirectives(res.Sources[f], res.Diagnostics, lang))
		edits := format.Fixes(f, text, ds)
		if len(edits) == 0 {
			continue
		}
		for _, e := range edits {
			p := e.Diagnostic.Range.Start
			fmt.Fprintf(g.Stderr, "%s:%d:%d: %s -> %s [%s]\n", f, p.Line, p.Column,
				diag.Printable(e.Old), diag.Printable(e.New), e.Diagnostic.Code)
		}
		info, err := os.Stat(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(f, format.Apply(text, edits), info.Mode().Perm()); err != nil {
			return err
		}
		total += len(edits)
		changed++
	}
	if total > 0 {
		fmt.Fprintf(g.Stderr, "fixed %s in %s\n", plural(total, "problem"), plural(changed, "file"))
	}
	return nil
}
