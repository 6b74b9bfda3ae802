package compiler

import (
	"os"
	"path/filepath"

	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/grammar"
	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/workspace"
)

// Source is an instruction file's name and text.
type Source struct {
	Filename string
	Text     []byte
}

// Options configure a compilation.
type Options struct {
	// Workspace is the loaded workspace. When nil, WorkspacePath is loaded,
	// else the file's front matter `workspace:` (relative to the file).
	Workspace *workspace.Workspace
	// WorkspacePath overrides the front matter (the CLI's --workspace).
	WorkspacePath string
	// DefaultWorkspacePath is used when neither WorkspacePath nor the
	// file's front matter names a workspace (instrc.yaml's workspace).
	DefaultWorkspacePath string
	// Messages is the language of diagnostics ("en" or "fr"); by default
	// the file's language.
	Messages string
	// StopAfter names the last stage to run (see Stages); empty runs them
	// all. Tests use it to look at what one stage leaves.
	StopAfter string
}

// WithDefaults applies a configuration's defaults below what o already
// says: messages when o has no language, workspacePath when neither o nor
// the file's front matter names a workspace.
func (o Options) WithDefaults(messages, workspacePath string) Options {
	if o.Messages == "" {
		o.Messages = messages
	}
	o.DefaultWorkspacePath = workspacePath
	return o
}

// Result is everything a compilation produced: the parsed file, the
// workspace, the resolved names (for editors), the plan (partial when there
// are errors) and the diagnostics of every stage, sorted, without those an
// instrc-disable comment of the file silences (diag.ApplyDirectives): lint,
// explain, compile and the runtime see the same ones.
type Result struct {
	File        *grammar.File
	Workspace   *workspace.Workspace
	Refs        []Ref
	Plan        *ir.Plan
	Diagnostics diag.Diagnostics
	// Sources holds the text of the instruction and workspace files, for
	// printing diagnostics.
	Sources diag.Sources
	// Timings holds how long each stage took, in order.
	Timings []StageTime
}

// Compile parses, resolves, checks and lowers one instruction file. It
// always returns a plan, partial when there are errors; the plan is only
// safe to run when the diagnostics have no errors.
func Compile(src Source, opts Options) (*ir.Plan, diag.Diagnostics) {
	r := Run(src, opts)
	return r.Plan, r.Diagnostics
}

// CompileFile reads path and compiles it.
func CompileFile(path string, opts Options) (*Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Run(Source{Filename: path, Text: b}, opts), nil
}

// loadWorkspace finds the workspace as lint does: --workspace, else the
// front matter path relative to the instruction file, else instrc.yaml's.
func loadWorkspace(f *grammar.File, filename string, opts Options, lang string, res *Result) *workspace.Workspace {
	path := opts.WorkspacePath
	at := diag.Range{Filename: filename, Start: diag.Pos{Line: 1, Column: 1}, End: diag.Pos{Line: 1, Column: 1}}
	if path == "" {
		switch {
		case f.Front.Workspace != "":
			path = f.Front.Workspace
			at = f.Front.WorkspaceRange
			if !filepath.IsAbs(path) {
				path = filepath.Join(filepath.Dir(filename), path)
			}
		case opts.DefaultWorkspacePath != "":
			path = opts.DefaultWorkspacePath
		default:
			code, msg := text(lang, "no-workspace")
			res.Diagnostics = append(res.Diagnostics, diag.Diagnostic{Severity: diag.Error, Code: code, Message: msg, Range: at})
			return nil
		}
	}
	ws, ds, err := workspace.LoadFile(path)
	if err != nil {
		reason := err.Error()
		if os.IsNotExist(err) {
			reason = phrase(lang, "no such file", "fichier introuvable")
		}
		code, msg := text(lang, "workspace-unreadable", path, reason)
		res.Diagnostics = append(res.Diagnostics, diag.Diagnostic{Severity: diag.Error, Code: code, Message: msg, Range: at})
		return nil
	}
	res.Diagnostics = append(res.Diagnostics, ds...)
	return ws
}
