package lsp

import (
	"context"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Definition jumps from a name to where the workspace file declares it.
func (s *Server) Definition(ctx context.Context, params *protocol.DefinitionParams) (protocol.DefinitionResult, error) {
	d := s.doc(params.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	r, ok := d.refAt(params.Position)
	if !ok || r.Decl.Filename == "" {
		return nil, nil
	}
	src := d.res.Sources[r.Decl.Filename]
	if src == nil {
		return nil, nil
	}
	m := newMapper(src.Text)
	return &protocol.Location{URI: uri.File(r.Decl.Filename), Range: m.rangeOf(r.Decl.Start.Offset, r.Decl.End.Offset)}, nil
}
