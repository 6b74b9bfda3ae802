package lsp

import (
	"context"
	"strings"
	"unicode/utf8"

	"go.lsp.dev/protocol"
)

// DocumentSymbol lists the scenarios, one symbol each, for the editor's
// outline: named by their condition, detailed by their steps.
func (s *Server) DocumentSymbol(ctx context.Context, params *protocol.DocumentSymbolParams) (protocol.DocumentSymbolResult, error) {
	d := s.doc(params.TextDocument.URI)
	out := protocol.DocumentSymbolSlice{}
	if d == nil || d.res == nil || d.res.File == nil {
		return out, nil
	}
	for _, sc := range d.res.File.Scenarios {
		name := "always"
		sel := sc.Range
		if len(sc.Conditions) > 0 && sc.Conditions[0].Text != "" {
			name = sc.Conditions[0].Marker.Text + " " + sc.Conditions[0].Text
			sel = sc.Conditions[0].Range
		} else if len(sc.Steps) > 0 {
			sel = sc.Steps[0].Range
		}
		var steps []string
		for _, st := range sc.Steps {
			steps = append(steps, st.Kind.String())
		}
		detail := strings.Join(steps, ", ")
		out = append(out, protocol.DocumentSymbol{
			Name:           shorten(oneLine(name), 80),
			Detail:         &detail,
			Kind:           protocol.SymbolKindEvent,
			Range:          d.m.rangeOf(sc.Range.Start.Offset, sc.Range.End.Offset),
			SelectionRange: d.m.rangeOf(sel.Start.Offset, sel.End.Offset),
		})
	}
	return out, nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// shorten cuts s to at most n characters, on a character boundary.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
