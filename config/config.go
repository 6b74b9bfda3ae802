// Package config reads instrc.yaml, the project file that sits at the root
// of a folder of instruction files. It lets a team state once what every
// `instrc lint` run and every editor session should share: which workspace
// the files are checked against, the language of the messages, how severe
// each rule is, and which files are not instructions at all.
package config

import (
	"path/filepath"
	"strings"

	"github.com/instrc/instrc/diag"
)

// FileName is the name of the project file, looked up from the linted files
// towards the root of the file system.
const FileName = "instrc.yaml"

// Code is the diagnostic code of problems in instrc.yaml itself.
const Code = "config"

// Severity levels a rule may be set to.
const (
	Off     = "off"
	Warning = "warning"
	Error   = "error"
)

// Config is a loaded instrc.yaml. The zero value (no file) changes nothing.
type Config struct {
	// File is the path of instrc.yaml; empty when there is none.
	File string
	// Dir is the folder holding it: relative paths and globs start there.
	Dir string
	// Workspace is the workspace file, absolute or relative to Dir as
	// written; WorkspacePath returns it resolved.
	Workspace string
	// Language is the language of diagnostics ("en" or "fr").
	Language string
	// Rules maps a diagnostic code to off, warning or error.
	Rules map[string]string
	// Ignore holds globs (relative to Dir, `**` for any folders) of files
	// that lint and the editor leave alone.
	Ignore []string
}

// WorkspacePath returns the workspace file resolved against Dir, or "".
func (c *Config) WorkspacePath() string {
	if c == nil || c.Workspace == "" {
		return ""
	}
	if filepath.IsAbs(c.Workspace) {
		return c.Workspace
	}
	return filepath.Join(c.Dir, filepath.FromSlash(c.Workspace))
}

// Apply returns ds with each rule's configured severity: `off` drops the
// diagnostic, `warning` and `error` replace its severity. Diagnostics of the
// config and workspace files themselves are never dropped, since lint cannot
// be trusted without them.
func (c *Config) Apply(ds diag.Diagnostics) diag.Diagnostics {
	if c == nil || len(c.Rules) == 0 {
		return ds
	}
	out := make(diag.Diagnostics, 0, len(ds))
	for _, d := range ds {
		switch c.Rules[d.Code] {
		case Off:
			continue
		case Warning:
			d.Severity = diag.Warning
		case Error:
			d.Severity = diag.Error
		}
		out = append(out, d)
	}
	return out
}

// Ignored reports whether path matches one of the ignore globs. Paths
// outside Dir are never ignored.
func (c *Config) Ignored(path string) bool {
	if c == nil || len(c.Ignore) == 0 {
		return false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(c.Dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	rel = filepath.ToSlash(rel)
	for _, g := range c.Ignore {
		if Match(g, rel) {
			return true
		}
	}
	return false
}
