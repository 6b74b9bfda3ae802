// Package lsp is instrc's language server: it meets authors in their editor
// with what `instrc lint` tells them in the terminal, as they type. It
// speaks the Language Server Protocol over a byte stream (stdio in
// practice) with go.lsp.dev/protocol and handles:
//
//   - diagnostics on open and on every change (incremental sync), against
//     the workspace found as lint finds it, published again when the
//     workspace or instrc.yaml changes;
//   - hover on names: what they resolve to in the workspace;
//   - completion of names after sigils and keywords, in English and French;
//   - quick fixes from every "did you mean" suggestion, in instruction
//     files and in the workspace file;
//   - go-to-definition from a name to its line in the workspace file;
//   - document symbols, one per scenario;
//   - formatting with instrc fmt's layout;
//   - references to a workspace name and its rename, across the
//     instruction files that share the workspace and in the workspace file.
//
// Requests are handled one at a time in the order they arrive, so a hover
// always sees the text of the changes sent before it.
package lsp

import (
	"context"
	"errors"
	"io"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/instrc/instrc/compiler"
)

// Server holds the open documents of one editor session.
type Server struct {
	protocol.UnimplementedServer

	client protocol.Client
	conn   jsonrpc2.Conn
	// ctx lives as long as the session; a request's own context must not
	// be kept past its handler.
	ctx context.Context

	mu   sync.Mutex
	docs map[uri.URI]*document
	// extra are the other files (workspaces, instrc.yaml) diagnostics were
	// last published for, so that fixed problems are cleared.
	extra map[uri.URI]bool
	// shutdown is set once the client asked to shut down.
	shutdown bool
	// canWatch is set when the client lets the server register file
	// watchers.
	canWatch bool
	// exited is closed by the exit notification.
	exited   chan struct{}
	exitOnce sync.Once
}

// document is an open instruction file and its last analysis.
type document struct {
	uri     uri.URI
	version int32
	text    []byte
	m       *mapper
	res     *compiler.Result
}

// codec marshals LSP payloads with the protocol package's union-aware
// encoder, so that union values (hover contents, results) go out right.
type codec struct{}

func (codec) Marshal(v any) ([]byte, error) {
	if raw, ok := v.(jsonrpc2.RawMessage); ok {
		if raw == nil {
			return []byte("null"), nil
		}
		return raw, nil
	}
	return protocol.Marshal(v)
}

func (codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = append(jsonrpc2.RawMessage(nil), data...)
		return nil
	}
	return protocol.Unmarshal(data, v)
}

// stdio joins a reader and a writer into the stream jsonrpc2 wants.
type stdio struct {
	io.Reader
	io.Writer
}

func (s stdio) Close() error {
	var errs []error
	if c, ok := s.Reader.(io.Closer); ok {
		errs = append(errs, c.Close())
	}
	if c, ok := s.Writer.(io.Closer); ok {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// Serve runs a session over in and out (LSP header framing) until the
// client sends exit or closes the stream.
func Serve(ctx context.Context, in io.Reader, out io.Writer) error {
	conn := jsonrpc2.NewConn(jsonrpc2.NewHeaderStream(stdio{in, out}), jsonrpc2.WithCodec(codec{}))
	s := &Server{client: protocol.ClientDispatcher(conn), conn: conn, ctx: ctx, docs: map[uri.URI]*document{}, extra: map[uri.URI]bool{}, exited: make(chan struct{})}
	// Not protocol.Handlers: its asynchronous dispatch would let a hover
	// overtake the change sent before it. Requests are answered quickly and
	// in order, so there is nothing to cancel either.
	conn.Go(ctx, protocol.ServerHandler(s, jsonrpc2.MethodNotFoundHandler))
	select {
	case <-conn.Done():
	case <-s.exited:
		// Closing standard input does not wake a read blocked on it, so
		// the session ends here rather than when the reader notices.
		go conn.Close()
	case <-ctx.Done():
		conn.Close()
		<-conn.Done()
	}
	return nil
}

// Initialize states what the server can do.
func (s *Server) Initialize(ctx context.Context, params *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	if w := params.Capabilities.Workspace; w != nil && w.DidChangeWatchedFiles != nil && w.DidChangeWatchedFiles.DynamicRegistration != nil {
		s.mu.Lock()
		s.canWatch = *w.DidChangeWatchedFiles.DynamicRegistration
		s.mu.Unlock()
	}
	yes := true
	change := protocol.TextDocumentSyncKindIncremental
	return &protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			PositionEncoding: protocol.PositionEncodingKindUTF16,
			TextDocumentSync: &protocol.TextDocumentSyncOptions{
				OpenClose: &yes,
				Change:    &change,
				Save:      protocol.Boolean(true),
			},
			HoverProvider:          protocol.Boolean(true),
			DefinitionProvider:     protocol.Boolean(true),
			DocumentSymbolProvider: protocol.Boolean(true),
			CompletionProvider: &protocol.CompletionOptions{
				TriggerCharacters: []string{"@", "%", "!", ".", " ", "\""},
			},
			DocumentFormattingProvider: protocol.Boolean(true),
			ReferencesProvider:         protocol.Boolean(true),
			RenameProvider:             &protocol.RenameOptions{PrepareProvider: &yes},
			CodeActionProvider: &protocol.CodeActionOptions{
				CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix},
			},
		},
		ServerInfo: protocol.ServerInfo{Name: "instrc"},
	}, nil
}

// Initialized asks the client to report changes to workspace files and
// instrc.yaml, so that diagnostics follow them.
func (s *Server) Initialized(ctx context.Context, params *protocol.InitializedParams) error {
	go s.watch(s.ctx)
	return nil
}

// Shutdown acknowledges; exit then ends the session.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.shutdown = true
	s.mu.Unlock()
	return nil
}

// Exit ends Serve and closes the connection.
func (s *Server) Exit(ctx context.Context) error {
	s.exitOnce.Do(func() { close(s.exited) })
	go s.conn.Close()
	return nil
}

// SetTrace is accepted and ignored: the server logs nothing.
func (s *Server) SetTrace(ctx context.Context, params *protocol.SetTraceParams) error { return nil }

// DidChangeConfiguration is accepted: configuration lives in instrc.yaml.
func (s *Server) DidChangeConfiguration(ctx context.Context, params *protocol.DidChangeConfigurationParams) error {
	return nil
}

func (s *Server) doc(u uri.URI) *document {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.docs[u]
}
