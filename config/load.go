package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/internal/yamlnode"
	"github.com/instrc/instrc/lang"
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
	docs, err := yamlnode.Parse(text)
	if err != nil {
		l.yamlError(err)
		return c, l.ds
	}
	if len(docs) == 0 {
		return c, l.ds // an empty file is a valid, empty configuration
	}
	l.config(c, docs[0])
	l.ds.Sort()
	return c, l.ds
}

type loader struct {
	src *diag.Source
	ds  diag.Diagnostics
}

func (l *loader) errorf(n ast.Node, suggestion, format string, args ...any) {
	l.ds = append(l.ds, diag.Diagnostic{Severity: diag.Error, Code: Code, Message: fmt.Sprintf(format, args...), Suggestion: suggestion, Range: yamlnode.Range(l.src, n)})
}

func (l *loader) yamlError(err error) {
	msg, at := yamlnode.ParseError(err)
	r := l.src.Range(0, 0)
	if at != nil {
		off := l.src.Offset(at.Line, at.Column)
		r = l.src.Range(off, off)
	}
	l.ds = append(l.ds, diag.Diagnostic{Severity: diag.Error, Code: Code, Message: "YAML syntax: " + msg, Range: r})
}

// mapping returns the key/value pairs of a mapping node; nothing at all is
// an empty mapping.
func (l *loader) mapping(n ast.Node, what string) []yamlnode.Pair {
	pairs, ok := yamlnode.Pairs(n)
	if !ok && !yamlnode.IsNull(n) {
		l.errorf(n, "", "%s must be a mapping (key: value lines)", what)
	}
	return pairs
}

// scalar returns a single value's text. A block literal (| or >) is not
// one here.
func (l *loader) scalar(n ast.Node, what string) (string, bool) {
	_, literal := yamlnode.Unwrap(n).(*ast.LiteralNode)
	switch s, ok := yamlnode.Text(n); {
	case ok && !literal:
		return s, true
	case yamlnode.IsNull(n):
		l.errorf(n, "", "%s is empty: give a value", what)
	default:
		l.errorf(n, "", "%s must be a single value", what)
	}
	return "", false
}

func didYouMean(s string) string {
	if s == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", s)
}

func (l *loader) config(c *Config, root ast.Node) {
	seen := map[string]bool{}
	for _, kv := range l.mapping(root, FileName) {
		key := kv.Key
		if seen[key] {
			l.errorf(kv.KeyNode, "", "%q is given twice: keep one", key)
			continue
		}
		seen[key] = true
		switch key {
		case "workspace":
			if s, ok := l.scalar(kv.Value, "workspace"); ok {
				c.Workspace = s
			}
		case "language":
			if s, ok := l.scalar(kv.Value, "language"); ok {
				switch strings.ToLower(s) {
				case "en", "fr":
					c.Language = strings.ToLower(s)
				default:
					l.errorf(kv.Value, "", "language %q is not supported: use en or fr", s)
				}
			}
		case "rules":
			l.rules(c, kv.Value)
		case "ignore":
			l.ignore(c, kv.Value)
		default:
			s := lang.Nearest(key, topKeys)
			l.errorf(kv.KeyNode, s, "unknown key %q in %s: allowed keys are %s%s", key, FileName, strings.Join(topKeys, ", "), didYouMean(s))
		}
	}
}

func codes() []string {
	out := make([]string, 0, len(diag.Rules))
	for _, r := range diag.Rules {
		out = append(out, r.Code)
	}
	return out
}

func (l *loader) rules(c *Config, n ast.Node) {
	known := codes()
	levels := []string{Off, Warning, Error}
	for _, kv := range l.mapping(n, "rules") {
		code := kv.Key
		if !slices.Contains(known, code) {
			s := lang.Nearest(code, known)
			l.errorf(kv.KeyNode, s, "unknown rule %q: rules are the diagnostic codes (%s)%s", code, strings.Join(known, ", "), didYouMean(s))
			continue
		}
		v, ok := l.scalar(kv.Value, "the severity of "+code)
		if !ok {
			continue
		}
		if !slices.Contains(levels, v) {
			s := lang.Nearest(v, levels)
			l.errorf(kv.Value, s, "severity %q of rule %q: use off, warning or error%s", v, code, didYouMean(s))
			continue
		}
		if v == Off && (code == diag.CodeSyntax || code == diag.CodeWorkspace) {
			l.errorf(kv.Value, "", "rule %q cannot be turned off: without it lint would check text it cannot read", code)
			continue
		}
		c.Rules[code] = v
	}
}

func (l *loader) ignore(c *Config, n ast.Node) {
	if yamlnode.IsNull(n) {
		return
	}
	items, ok := yamlnode.Items(n)
	if !ok {
		items = []ast.Node{n} // a single pattern
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
