package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/diag"
)

var topKeys = []string{"workspace", "language", "rules", "ignore"}

// Find walks up from dir (a folder) to the root and returns the first
// instrc.yaml found, or "".
func Find(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, FileName)
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// ForPaths returns the configuration for a run over paths: explicit when
// given, else the instrc.yaml found above the first path, else above the
// current folder. No file at all is an empty configuration, not an error.
// A file that cannot be read is an error; problems inside it are
// diagnostics.
func ForPaths(explicit string, paths []string) (*Config, diag.Diagnostics, error) {
	file := explicit
	if file == "" {
		start := "."
		if len(paths) > 0 {
			start = paths[0]
			if info, err := os.Stat(start); err == nil && !info.IsDir() {
				start = filepath.Dir(start)
			}
		}
		file = Find(start)
	}
	if file == "" {
		return &Config{}, nil, nil
	}
	return LoadFile(file)
}

// LoadFile reads and loads an instrc.yaml.
func LoadFile(path string) (*Config, diag.Diagnostics, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	c, ds := Load(path, b)
	return c, ds, nil
}

// Load parses instrc.yaml text. It always returns a configuration (the
// parts that could be read) and every problem, each with its position, so
// that a typo in a key is reported rather than silently ignored.
func Load(filename string, text []byte) (*Config, diag.Diagnostics) {
	abs, err := filepath.Abs(filename)
	if err != nil {
		abs = filename
	}
	l := &loader{src: diag.NewSource(filename, text)}
	c := &Config{File: filename, Dir: filepath.Dir(abs), Rules: map[string]string{}}
	f, err := parser.ParseBytes(text, 0)
	if err != nil {
		l.yamlError(err)
		return c, l.ds
	}
	var root ast.Node
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			root = doc.Body
			break
		}
	}
	if root == nil {
		return c, l.ds // an empty file is a valid, empty configuration
	}
	l.config(c, root)
	l.ds.Sort()
	return c, l.ds
}

type loader struct {
	src *diag.Source
	ds  diag.Diagnostics
}

func (l *loader) errorf(n ast.Node, suggestion, format string, args ...any) {
	l.ds = append(l.ds, diag.Diagnostic{Severity: diag.Error, Code: Code, Message: fmt.Sprintf(format, args...), Suggestion: suggestion, Range: l.rangeOf(n)})
}

// rangeOf is the range of a node's own token: the key or the scalar.
func (l *loader) rangeOf(n ast.Node) diag.Range {
	if n == nil {
		return l.src.Range(0, 0)
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return l.src.Range(0, 0)
	}
	start := l.src.Offset(tk.Position.Line, tk.Position.Column)
	end := start + len(strings.TrimSpace(tk.Origin))
	if end < start+len(tk.Value) {
		end = start + len(tk.Value)
	}
	for i := start; i < end && i < len(l.src.Text); i++ {
		if l.src.Text[i] == '\n' {
			end = i
			break
		}
	}
	return l.src.Range(start, min(end, len(l.src.Text)))
}

func (l *loader) yamlError(err error) {
	var ye yaml.Error
	at := l.src.Range(0, 0)
	msg := err.Error()
	if errors.As(err, &ye) {
		msg = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			off := l.src.Offset(tk.Position.Line, tk.Position.Column)
			at = l.src.Range(off, off)
		}
	}
	l.ds = append(l.ds, diag.Diagnostic{Severity: diag.Error, Code: Code, Message: "YAML syntax: " + msg, Range: at})
}

func unwrap(n ast.Node) ast.Node {
	for {
		switch t := n.(type) {
		case *ast.TagNode:
			n = t.Value
		case *ast.AnchorNode:
			n = t.Value
		default:
			return n
		}
	}
}

// mapping returns the key/value pairs of a mapping node.
func (l *loader) mapping(n ast.Node, what string) []*ast.MappingValueNode {
	switch m := unwrap(n).(type) {
	case *ast.MappingNode:
		return m.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}
	case *ast.NullNode, nil:
		return nil
	default:
		l.errorf(n, "", "%s must be a mapping (key: value lines)", what)
		return nil
	}
}

// scalar returns a single value's text.
func (l *loader) scalar(n ast.Node, what string) (string, bool) {
	switch s := unwrap(n).(type) {
	case *ast.StringNode:
		return s.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return s.GetToken().Value, true
	case *ast.NullNode, nil:
		l.errorf(n, "", "%s is empty: give a value", what)
	default:
		l.errorf(n, "", "%s must be a single value", what)
	}
	return "", false
}

func nearest(s string, options []string) string {
	best, bestD := "", 4
	for _, o := range options {
		if d := levenshtein.ComputeDistance(strings.ToLower(s), o); d < bestD {
			best, bestD = o, d
		}
	}
	return best
}

func didYouMean(s string) string {
	if s == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", s)
}

func (l *loader) config(c *Config, root ast.Node) {
	seen := map[string]bool{}
	for _, mv := range l.mapping(root, FileName) {
		key := mv.Key.String()
		if seen[key] {
			l.errorf(mv.Key, "", "%q is given twice: keep one", key)
			continue
		}
		seen[key] = true
		switch key {
		case "workspace":
			if s, ok := l.scalar(mv.Value, "workspace"); ok {
				c.Workspace = s
			}
		case "language":
			if s, ok := l.scalar(mv.Value, "language"); ok {
				switch strings.ToLower(s) {
				case "en", "fr":
					c.Language = strings.ToLower(s)
				default:
					l.errorf(mv.Value, "", "language %q is not supported: use en or fr", s)
				}
			}
		case "rules":
			l.rules(c, mv.Value)
		case "ignore":
			l.ignore(c, mv.Value)
		default:
			s := nearest(key, topKeys)
			l.errorf(mv.Key, s, "unknown key %q in %s: allowed keys are %s%s", key, FileName, strings.Join(topKeys, ", "), didYouMean(s))
		}
	}
}

func codes() []string {
	out := make([]string, 0, len(compiler.Rules))
	for _, r := range compiler.Rules {
		out = append(out, r.Code)
	}
	return out
}

func (l *loader) rules(c *Config, n ast.Node) {
	known := codes()
	levels := []string{Off, Warning, Error}
	for _, mv := range l.mapping(n, "rules") {
		code := mv.Key.String()
		if !slices.Contains(known, code) {
			s := nearest(code, known)
			l.errorf(mv.Key, s, "unknown rule %q: rules are the diagnostic codes (%s)%s", code, strings.Join(known, ", "), didYouMean(s))
			continue
		}
		v, ok := l.scalar(mv.Value, "the severity of "+code)
		if !ok {
			continue
		}
		if !slices.Contains(levels, v) {
			s := nearest(v, levels)
			l.errorf(mv.Value, s, "severity %q of rule %q: use off, warning or error%s", v, code, didYouMean(s))
			continue
		}
		if v == Off && (code == compiler.CodeSyntax || code == compiler.CodeWorkspace) {
			l.errorf(mv.Value, "", "rule %q cannot be turned off: without it lint would check text it cannot read", code)
			continue
		}
		c.Rules[code] = v
	}
}

func (l *loader) ignore(c *Config, n ast.Node) {
	var items []ast.Node
	switch s := unwrap(n).(type) {
	case *ast.SequenceNode:
		items = s.Values
	case *ast.NullNode, nil:
		return
	default:
		items = []ast.Node{n}
	}
	for _, it := range items {
		g, ok := l.scalar(it, "an ignore pattern")
		if !ok {
			continue
		}
		if !validGlob(g) {
			l.errorf(it, "", "ignore pattern %q is not a valid glob", g)
			continue
		}
		c.Ignore = append(c.Ignore, g)
	}
}
