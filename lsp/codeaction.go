package lsp

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/format"
)

// CodeAction offers a quick fix for every diagnostic with a suggestion that
// touches the requested range: replace the name with the nearest one the
// workspace declares (format.Fix, as lint --fix does; a missing-name
// suggestion names what to add, not a replacement, and gets none).
func (s *Server) CodeAction(ctx context.Context, params *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	d := s.doc(params.TextDocument.URI)
	if d == nil && isYAML(params.TextDocument.URI) {
		d = s.workspaceDoc(params.TextDocument.URI)
	}
	if d == nil || d.res == nil {
		return []protocol.CommandOrCodeAction{}, nil
	}
	if len(params.Context.Only) > 0 && !onlyAllows(params.Context.Only, protocol.CodeActionKindQuickFix) {
		return []protocol.CommandOrCodeAction{}, nil
	}
	name := filename(d.uri)
	lo, hi := d.m.offset(params.Range.Start), d.m.offset(params.Range.End)
	out := []protocol.CommandOrCodeAction{}
	for _, dg := range d.res.Diagnostics {
		if dg.Range.End.Offset < lo || dg.Range.Start.Offset > hi {
			continue
		}
		fix, ok := format.Fix(name, d.text, dg)
		if !ok {
			continue
		}
		kind := protocol.CodeActionKindQuickFix
		preferred := true
		edit := protocol.TextEdit{Range: d.m.rangeOf(fix.Start, fix.End), NewText: fix.New}
		out = append(out, &protocol.CodeAction{
			Title:       fmt.Sprintf("Replace with %s", edit.NewText),
			Kind:        &kind,
			Diagnostics: []protocol.Diagnostic{toLSP(d.m, dg)},
			IsPreferred: &preferred,
			Edit:        &protocol.WorkspaceEdit{Changes: map[uri.URI][]protocol.TextEdit{d.uri: {edit}}},
		})
	}
	return out, nil
}

// onlyAllows reports whether a requested kind filter admits kind: "quickfix"
// admits "quickfix", and so does the empty kind.
func onlyAllows(only []protocol.CodeActionKind, kind protocol.CodeActionKind) bool {
	for _, k := range only {
		if k == "" || k == kind {
			return true
		}
	}
	return false
}

// workspaceDoc is a workspace file whose diagnostics an open document's
// check published (an unknown key with the nearest allowed one, say), as
// a document: its text as that check read it, and those diagnostics.
func (s *Server) workspaceDoc(u uri.URI) *document {
	name := filename(u)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.docs {
		if d.res == nil || d.res.Sources[name] == nil {
			continue
		}
		text := d.res.Sources[name].Text
		res := &compiler.Result{Sources: d.res.Sources}
		for _, dg := range d.res.Diagnostics {
			if dg.Range.Filename == name {
				res.Diagnostics = append(res.Diagnostics, dg)
			}
		}
		return &document{uri: u, text: text, m: newMapper(text), res: res}
	}
	return nil
}
