package main

import (
	"context"

	"github.com/instrc/instrc/lsp"
)

// LspCmd runs the language server over standard input and output, as
// editors start it: diagnostics as the author types, hover, completion,
// quick fixes, go-to-definition, an outline of the scenarios, formatting,
// references and rename of workspace names.
type LspCmd struct {
	Stdio bool `help:"Talk over standard input and output (the default; accepted for editors that pass it)."`
}

// Run serves one editor session until it exits.
func (l *LspCmd) Run(g *Globals) error {
	return lsp.Serve(context.Background(), g.Stdin, g.Stdout)
}
