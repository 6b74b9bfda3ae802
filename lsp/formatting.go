package lsp

import (
	"bytes"
	"context"

	"go.lsp.dev/protocol"

	"github.com/instrc/instrc/format"
)

// Formatting gives the document instrc fmt's layout: one edit replacing the
// whole text, or none when it is already formatted.
func (s *Server) Formatting(ctx context.Context, params *protocol.DocumentFormattingParams) ([]protocol.TextEdit, error) {
	d := s.doc(params.TextDocument.URI)
	if d == nil {
		return []protocol.TextEdit{}, nil
	}
	out := format.Source(d.text)
	if bytes.Equal(out, d.text) {
		return []protocol.TextEdit{}, nil
	}
	m := newMapper(d.text)
	return []protocol.TextEdit{{Range: m.rangeOf(0, len(d.text)), NewText: string(out)}}, nil
}
