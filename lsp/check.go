package lsp

import (
	"context"
	"os"
	"path/filepath"
	"slices"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/config"
	"github.com/instrc/instrc/diag"
)

// filename is the path the compiler sees for a document: its file path, or
// the URI itself for unsaved buffers (front matter paths then cannot be
// resolved, which the diagnostics say).
func filename(u uri.URI) string {
	if u.Scheme() == "file" {
		return u.FsPath()
	}
	return string(u)
}

// analyze compiles an instruction file as lint would, with the instrc.yaml
// found above it (when it is a file on disk) and its disable comments. A
// file the editor opens is linted even when instrc.yaml ignores it: ignore
// globs only skip files found by walking folders, and the author opened
// this one to work on it.
func analyze(name string, text []byte, onDisk bool) (*compiler.Result, *config.Config, diag.Diagnostics) {
	var cfg *config.Config
	var cfgDiags diag.Diagnostics
	if onDisk {
		if p := config.Find(filepath.Dir(name)); p != "" {
			c, ds, err := config.LoadFile(p)
			if err == nil {
				cfg, cfgDiags = c, ds
			}
		}
	}
	res := compiler.Run(compiler.Source{Filename: name, Text: text}, compiler.Options{}.WithDefaults(cfg.Defaults()))
	// The compiler has applied the file's instrc-disable comments.
	res.Diagnostics = cfg.Apply(res.Diagnostics)
	return res, cfg, cfgDiags
}

// check compiles a document as lint would and publishes its diagnostics,
// and those of its workspace file.
func (s *Server) check(ctx context.Context, d *document) {
	name := filename(d.uri)
	res, cfg, cfgDiags := analyze(name, d.text, d.uri.Scheme() == "file")
	if cfg != nil && cfg.File != "" {
		res.Sources[cfg.File] = diag.NewSource(cfg.File, readOrEmpty(cfg.File))
		res.Diagnostics = append(res.Diagnostics, cfgDiags...)
	}
	d.m, d.res = newMapper(d.text), res

	// Group by file: the document's own, then the workspace's and
	// instrc.yaml's, each published to its own URI.
	byFile := map[string][]protocol.Diagnostic{name: {}}
	for _, dg := range res.Diagnostics {
		src := res.Sources[dg.Range.Filename]
		var m *mapper
		switch {
		case dg.Range.Filename == name:
			m = d.m
		case src != nil:
			m = newMapper(src.Text)
		default:
			continue
		}
		byFile[dg.Range.Filename] = append(byFile[dg.Range.Filename], toLSP(m, dg))
	}
	_ = s.client.PublishDiagnostics(ctx, &protocol.PublishDiagnosticsParams{
		URI: d.uri, Version: protocol.NewOptional(d.version), Diagnostics: byFile[name],
	})
	delete(byFile, name)
	files := make([]string, 0, len(byFile))
	for f := range byFile {
		files = append(files, f)
	}
	slices.Sort(files)
	for _, f := range files {
		u := uri.File(f)
		s.mu.Lock()
		s.extra[u] = true
		s.mu.Unlock()
		_ = s.client.PublishDiagnostics(ctx, &protocol.PublishDiagnosticsParams{URI: u, Diagnostics: byFile[f]})
	}
	s.clearFixed(ctx, res, byFile)
}

// clearFixed clears the diagnostics last published for this document's
// workspace or instrc.yaml when they have none any more.
func (s *Server) clearFixed(ctx context.Context, res *compiler.Result, now map[string][]protocol.Diagnostic) {
	for f := range res.Sources {
		if _, has := now[f]; has {
			continue
		}
		u := uri.File(f)
		s.mu.Lock()
		stale := s.extra[u]
		delete(s.extra, u)
		s.mu.Unlock()
		if stale {
			_ = s.client.PublishDiagnostics(ctx, &protocol.PublishDiagnosticsParams{URI: u, Diagnostics: []protocol.Diagnostic{}})
		}
	}
}

// toLSP converts a diagnostic; ranges become UTF-16 positions.
func toLSP(m *mapper, d diag.Diagnostic) protocol.Diagnostic {
	sev := protocol.DiagnosticSeverityError
	if d.Severity == diag.Warning {
		sev = protocol.DiagnosticSeverityWarning
	}
	return protocol.Diagnostic{
		Range:    m.rangeOf(d.Range.Start.Offset, d.Range.End.Offset),
		Severity: sev,
		Code:     protocol.String(d.Code),
		Source:   protocol.NewOptional("instrc"),
		Message:  protocol.String(d.Message),
	}
}

// readOrEmpty reads a file, or returns nothing when it cannot: its
// diagnostics then land at the start of the file.
func readOrEmpty(path string) []byte {
	b, _ := os.ReadFile(path)
	return b
}

// messagesLang is the language of a compilation's messages.
func messagesLang(res *compiler.Result) string {
	if res.File != nil {
		return res.File.Language
	}
	return "en"
}
