package lsp

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/config"
	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/format"
	"github.com/instrc/instrc/internal/yamlnode"
)

// use is one place a workspace name is written: in an instruction file
// (ref) or in the workspace file (its declaration, a team's member, a
// workflow's target).
type use struct {
	file   string
	text   []byte
	rng    diag.Range
	decl   bool
	byID   bool // a field written by its id: it stays when the name changes
	inYAML bool
}

// References lists every use of the workspace name under the cursor in the
// instruction files that share the document's workspace: the open ones and
// those below the project's folder (instrc.yaml's, else the workspace's).
func (s *Server) References(ctx context.Context, params *protocol.ReferenceParams) ([]protocol.Location, error) {
	uses, _, err := s.uses(params.TextDocument.URI, params.Position)
	if err != nil || uses == nil {
		return []protocol.Location{}, nil
	}
	out := []protocol.Location{}
	for _, u := range uses {
		if u.decl && !params.Context.IncludeDeclaration {
			continue
		}
		if u.inYAML && !u.decl {
			continue // members and targets are uses of the workspace, not references
		}
		m := newMapper(u.text)
		out = append(out, protocol.Location{URI: uri.File(u.file), Range: m.rangeOf(u.rng.Start.Offset, u.rng.End.Offset)})
	}
	return out, nil
}

// PrepareRename says whether the cursor is on a workspace name, and which.
func (s *Server) PrepareRename(ctx context.Context, params *protocol.PrepareRenameParams) (protocol.PrepareRenameResult, error) {
	d := s.doc(params.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	r, ok := d.refAt(params.Position)
	if !ok || r.Decl.Filename == "" {
		return nil, errors.New("no workspace name here: rename works on the names the workspace declares")
	}
	return &protocol.PrepareRenamePlaceholder{Range: d.m.rangeOf(r.Range.Start.Offset, r.Range.End.Offset), Placeholder: r.Name}, nil
}

// Rename renames a workspace name where the workspace declares it (and
// where its teams and workflows name it) and in every instruction file that
// uses it, keeping each use's sigil and quotes. A field written by its id
// keeps it.
func (s *Server) Rename(ctx context.Context, params *protocol.RenameParams) (*protocol.WorkspaceEdit, error) {
	newName := strings.Join(strings.Fields(params.NewName), " ")
	if newName == "" || strings.ContainsAny(newName, "\"\n") {
		return nil, errors.New("a workspace name cannot be empty or hold a double quote")
	}
	uses, ref, err := s.uses(params.TextDocument.URI, params.Position)
	if err != nil {
		return nil, err
	}
	if uses == nil {
		return nil, errors.New("no workspace name here: rename works on the names the workspace declares")
	}
	changes := map[uri.URI][]protocol.TextEdit{}
	for _, u := range uses {
		if u.byID {
			continue
		}
		var repl string
		if u.inYAML {
			repl = yamlReplacement(u.text, u.rng, newName)
		} else {
			repl = format.Replacement(u.text, diag.Diagnostic{Suggestion: newName, Range: u.rng})
			if strings.Contains(newName, " ") && !quoted(u.text, u.rng) {
				repl = format.Replacement(u.text, diag.Diagnostic{Suggestion: `"` + newName + `"`, Range: u.rng})
			}
		}
		m := newMapper(u.text)
		key := uri.File(u.file)
		changes[key] = append(changes[key], protocol.TextEdit{Range: m.rangeOf(u.rng.Start.Offset, u.rng.End.Offset), NewText: repl})
	}
	_ = ref
	return &protocol.WorkspaceEdit{Changes: changes}, nil
}

// quoted reports whether the name at r is written in quotes.
func quoted(text []byte, r diag.Range) bool {
	old := strings.TrimLeft(string(text[r.Start.Offset:r.End.Offset]), "@%!")
	return strings.HasPrefix(old, `"`) || strings.HasPrefix(old, "«") || strings.HasPrefix(old, "“") || strings.HasPrefix(old, "'")
}

// yamlReplacement writes name in place of the YAML scalar at r: in the
// quotes the scalar had, else quoted when YAML would read it otherwise.
func yamlReplacement(text []byte, r diag.Range, name string) string {
	old := string(text[r.Start.Offset:r.End.Offset])
	switch {
	case strings.HasPrefix(old, `"`):
		return `"` + name + `"`
	case strings.HasPrefix(old, "'"):
		return "'" + strings.ReplaceAll(name, "'", "''") + "'"
	case strings.ContainsAny(name, ":#,[]{}&*!|>'%@`") || strings.ContainsAny(name[:1], "-?"):
		return `"` + name + `"`
	}
	return name
}

// uses finds the workspace name under the cursor and every place it is
// written. It returns nil when the cursor is on no workspace name.
func (s *Server) uses(u uri.URI, p protocol.Position) ([]use, compiler.Ref, error) {
	d := s.doc(u)
	if d == nil {
		return nil, compiler.Ref{}, nil
	}
	r, ok := d.refAt(p)
	if !ok || r.Decl.Filename == "" || d.res.Workspace == nil {
		return nil, compiler.Ref{}, nil
	}
	wsFile := absClean(r.Decl.Filename)
	id := ""
	if f, ok := d.res.Workspace.Field(r.Name); ok && r.Kind == "field" {
		id = f.ID
	}
	var out []use
	for _, f := range s.instructionFiles(filename(d.uri), wsFile) {
		text, res := s.analyzed(f)
		if res == nil || res.Workspace == nil || absClean(res.Workspace.File) != wsFile {
			continue
		}
		for _, ref := range res.Refs {
			if ref.Kind != r.Kind || ref.Name != r.Name || ref.Range.Filename != f {
				continue
			}
			written := strings.Trim(strings.TrimLeft(string(text[ref.Range.Start.Offset:ref.Range.End.Offset]), "@%!"), "\"'“”«» ")
			out = append(out, use{file: f, text: text, rng: ref.Range, byID: id != "" && written == id && written != r.Name})
		}
	}
	if src := d.res.Sources[r.Decl.Filename]; src != nil {
		out = append(out, use{file: r.Decl.Filename, text: src.Text, rng: r.Decl, decl: true, inYAML: true})
		if r.Kind == "team" || r.Kind == "user" || r.Kind == "ai_agent" {
			for _, rng := range yamlMentions(src, r.Name, "members", "target") {
				out = append(out, use{file: r.Decl.Filename, text: src.Text, rng: rng, inYAML: true})
			}
		}
	}
	return out, r, nil
}

// yamlMentions returns the ranges of the scalars equal to name under the
// given keys (as a value or an item of a list), in the YAML file of src.
func yamlMentions(src *diag.Source, name string, keys ...string) []diag.Range {
	docs, err := yamlnode.Parse(src.Text)
	if err != nil {
		return nil
	}
	var out []diag.Range
	var walk func(n ast.Node, key string)
	walk = func(n ast.Node, key string) {
		if pairs, ok := yamlnode.Pairs(n); ok {
			for _, p := range pairs {
				walk(p.Value, p.Key)
			}
			return
		}
		if items, ok := yamlnode.Items(n); ok {
			for _, it := range items {
				walk(it, key)
			}
			return
		}
		if t, ok := yamlnode.Text(n); ok && t == name && slices.Contains(keys, key) {
			out = append(out, yamlnode.Range(src, yamlnode.Unwrap(n)))
		}
	}
	for _, doc := range docs {
		walk(doc, "")
	}
	return out
}

// instructionFiles lists the instruction files a rename may touch: the
// open documents and the .instr files below the project's folder (the
// folder of instrc.yaml above the document, else of the workspace file).
func (s *Server) instructionFiles(doc, wsFile string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	s.mu.Lock()
	for u := range s.docs {
		if u.Scheme() == "file" {
			add(u.FsPath())
		}
	}
	s.mu.Unlock()
	root := filepath.Dir(wsFile)
	if p := config.Find(filepath.Dir(doc)); p != "" {
		root = filepath.Dir(p)
	}
	_ = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if e.IsDir() && path != root && (strings.HasPrefix(e.Name(), ".") || e.Name() == "testdata" || e.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".instr") {
			add(path)
		}
		return nil
	})
	slices.Sort(out)
	return out
}

// analyzed returns a file's text and compilation: an open document's as the
// editor holds it, else the file's on disk.
func (s *Server) analyzed(path string) ([]byte, *compiler.Result) {
	if d := s.doc(uri.File(path)); d != nil && d.res != nil {
		return d.text, d.res
	}
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, nil
	}
	res, _, _ := analyze(path, text, true)
	return text, res
}

func absClean(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}
