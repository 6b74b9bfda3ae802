package lsp

import (
	"context"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/instrc/instrc/config"
)

// watchers are the files whose changes re-check the open documents:
// workspaces (YAML) and instrc.yaml.
const watchers = `{"watchers":[{"globPattern":"**/*.{yaml,yml}"}]}`

// watch registers the file watchers when the client allows it. Clients that
// do not still send didSave for the YAML files they edit, and editors such
// as VS Code can be told to forward file events without registration.
func (s *Server) watch(ctx context.Context) {
	s.mu.Lock()
	can := s.canWatch
	s.mu.Unlock()
	if !can {
		return
	}
	_ = s.client.RegisterCapability(ctx, &protocol.RegistrationParams{Registrations: []protocol.Registration{{
		ID: "instrc-watch-yaml", Method: protocol.MethodWorkspaceDidChangeWatchedFiles, RegisterOptions: protocol.LSPAny(watchers),
	}}})
}

// DidOpen checks a newly opened document.
func (s *Server) DidOpen(ctx context.Context, params *protocol.DidOpenTextDocumentParams) error {
	td := params.TextDocument
	if isYAML(td.URI) {
		return nil
	}
	d := &document{uri: td.URI, version: td.Version, text: []byte(td.Text)}
	s.mu.Lock()
	s.docs[td.URI] = d
	s.mu.Unlock()
	s.check(ctx, d)
	return nil
}

// DidChange applies the edits in order (each range refers to the text left
// by the previous one) and checks the document again.
func (s *Server) DidChange(ctx context.Context, params *protocol.DidChangeTextDocumentParams) error {
	d := s.doc(params.TextDocument.URI)
	if d == nil {
		return nil
	}
	text := d.text
	for _, ch := range params.ContentChanges {
		switch c := ch.(type) {
		case *protocol.TextDocumentContentChangeWholeDocument:
			text = []byte(c.Text)
		case *protocol.TextDocumentContentChangePartial:
			m := newMapper(text)
			a, b := m.offset(c.Range.Start), m.offset(c.Range.End)
			if b < a {
				a, b = b, a
			}
			next := make([]byte, 0, len(text)-(b-a)+len(c.Text))
			next = append(next, text[:a]...)
			next = append(next, c.Text...)
			text = append(next, text[b:]...)
		}
	}
	nd := &document{uri: d.uri, version: params.TextDocument.Version, text: text}
	s.mu.Lock()
	s.docs[d.uri] = nd
	s.mu.Unlock()
	s.check(ctx, nd)
	return nil
}

// DidClose forgets the document and clears its diagnostics.
func (s *Server) DidClose(ctx context.Context, params *protocol.DidCloseTextDocumentParams) error {
	s.mu.Lock()
	delete(s.docs, params.TextDocument.URI)
	s.mu.Unlock()
	return s.client.PublishDiagnostics(ctx, &protocol.PublishDiagnosticsParams{URI: params.TextDocument.URI, Diagnostics: []protocol.Diagnostic{}})
}

// DidSave re-checks every open document when a workspace or instrc.yaml was
// saved.
func (s *Server) DidSave(ctx context.Context, params *protocol.DidSaveTextDocumentParams) error {
	if isYAML(params.TextDocument.URI) {
		s.recheckAll(ctx)
	}
	return nil
}

// DidChangeWatchedFiles re-checks every open document when a YAML file
// changed on disk: it may be the workspace or instrc.yaml of any of them.
func (s *Server) DidChangeWatchedFiles(ctx context.Context, params *protocol.DidChangeWatchedFilesParams) error {
	for _, ch := range params.Changes {
		if isYAML(ch.URI) {
			s.recheckAll(ctx)
			return nil
		}
	}
	return nil
}

func (s *Server) recheckAll(ctx context.Context) {
	s.mu.Lock()
	docs := make([]*document, 0, len(s.docs))
	for _, d := range s.docs {
		docs = append(docs, d)
	}
	s.mu.Unlock()
	for _, d := range docs {
		s.check(ctx, d)
	}
}

func isYAML(u uri.URI) bool {
	p := strings.ToLower(u.Path())
	return strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") || filepath.Base(p) == config.FileName
}
