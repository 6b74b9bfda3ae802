package compiler

import (
	"time"

	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/grammar"
)

// A Stage is one named step of a compilation. Run executes the stages in
// order on one state; each reads what the earlier ones left and adds its
// diagnostics, so a file with ten mistakes gets ten diagnostics and still
// a partial plan. Options.StopAfter runs a prefix of the table, so that a
// test can look at the state a stage leaves.
type Stage struct {
	Name string
	run  func(*compilation)
}

// Stages is the compiler, in order:
//
//	parse      text → AST with spans (the grammar package)
//	workspace  the workspace the file names, loaded and checked
//	resolve    names in steps and conditions → exact workspace names
//	check      chains, scenarios and the file against the platform's rules
//	lower      scenarios → ir.Plan
var Stages = []Stage{
	{"parse", stageParse},
	{"workspace", stageWorkspace},
	{"resolve", func(c *compilation) { c.checker().resolve() }},
	{"check", func(c *compilation) { c.checker().check() }},
	{"lower", func(c *compilation) { c.res.Plan = c.checker().lower() }},
}

// StageTime is how long one stage took on one file.
type StageTime struct {
	Stage    string
	Duration time.Duration
}

// compilation is the state the stages share.
type compilation struct {
	src  Source
	opts Options
	lang string
	res  *Result
	c    *checker
}

func (c *compilation) checker() *checker {
	if c.c == nil {
		c.c = &checker{file: c.res.File, ws: c.res.Workspace, lang: c.lang, res: c.res}
	}
	return c.c
}

func stageParse(c *compilation) {
	f := grammar.Parse(c.src.Filename, c.src.Text, grammar.Options{Messages: c.opts.Messages})
	c.res.File = f
	c.res.Sources[c.src.Filename] = f.Source
	c.res.Diagnostics = append(c.res.Diagnostics, f.Diagnostics...)
	c.lang = c.opts.Messages
	if c.lang == "" {
		c.lang = f.Language
	}
}

func stageWorkspace(c *compilation) {
	ws := c.opts.Workspace
	if ws == nil {
		ws = loadWorkspace(c.res.File, c.src.Filename, c.opts, c.lang, c.res)
	}
	if ws != nil && ws.Source != nil {
		c.res.Sources[ws.File] = ws.Source
	}
	c.res.Workspace = ws
}

// Run compiles and returns the whole Result, with each stage's time in
// Result.Timings.
func Run(src Source, opts Options) *Result {
	c := &compilation{src: src, opts: opts, res: &Result{Sources: diag.Sources{}}}
	for _, st := range Stages {
		if f := c.res.File; f != nil && f.NotText && st.Name != "lower" {
			// Nothing was read from a file that is not text, so there is
			// nothing to check; its one diagnostic says why.
			c.res.Workspace = opts.Workspace
			continue
		}
		start := time.Now()
		st.run(c)
		c.res.Timings = append(c.res.Timings, StageTime{st.Name, time.Since(start)})
		if st.Name == opts.StopAfter {
			break
		}
	}
	if f := c.res.File; f != nil {
		// "<!-- instrc-disable code -->": silenced for every command
		// alike. What a silenced error leaves in the plan is what any
		// error leaves: the step or sentence in error is left out
		// (docs/diagnostics.md, "Silencing a diagnostic").
		c.res.Diagnostics = diag.ApplyDirectives(c.res.Sources[src.Filename], c.res.Diagnostics, c.lang)
	}
	c.res.Diagnostics.Sort()
	return c.res
}
