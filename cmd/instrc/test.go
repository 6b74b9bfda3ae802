package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/scenariotest"
)

// TestCmd runs scenario test files (*.test.yaml) against their agents.
type TestCmd struct {
	Model       string `help:"Model as openai:<model-name> or ollama:<model-name> (default: $INSTRC_MODEL; without one the offline matcher runs)."`
	ModelFlags  `embed:""`
	Repeat      int      `help:"Runs per case (default 1 offline, 5 with a model); the pass rate is reported." default:"0"`
	MinPassRate string   `name:"min-pass-rate" help:"Percentage of a case's runs that must pass, e.g. 80% (default 100%)." placeholder:"PERCENT"`
	Jobs        int      `help:"Runs at once (default 1 offline, 4 with a model)." default:"0"`
	Calls       string   `help:"Custom HTTP actions the test file gives no answer for (calls:): dry describes each request without sending it; live sends it, with secrets from the environment." enum:"dry,live" default:"dry"`
	JUnit       string   `name:"junit" help:"Also write the results as JUnit XML to this file; - writes them to standard output (and the text report to standard error)."`
	Paths       []string `arg:"" optional:"" help:"Test files, or folders searched for *.test.yaml (default: the current folder)."`
}

// Run runs every case; exit 1 when one fails, 2 when a file cannot run.
func (t *TestCmd) Run(g *Globals) error {
	files, err := testFiles(t.Paths)
	if err != nil {
		return cannot("%v", err)
	}
	if len(files) == 0 {
		return cannot("no *.test.yaml files found")
	}
	spec := t.Model
	if spec == "" {
		spec = os.Getenv("INSTRC_MODEL")
	}
	model, err := runtime.OpenModel(runtime.ModelConfigFromEnv(t.Model))
	if err != nil {
		return cannot("%v", err)
	}
	repeat := t.Repeat
	if repeat <= 0 {
		repeat = 1
		if spec != "" {
			repeat = 5
		}
	}
	rate, err := parsePercent(t.MinPassRate)
	if err != nil {
		return cannot("--min-pass-rate: %v", err)
	}
	jobs := t.Jobs
	if jobs <= 0 {
		jobs = 1
		if model != nil {
			jobs = 4
		}
	}
	opts := scenariotest.Options{Model: model, Repeat: repeat, MinPassRate: rate, Jobs: jobs, Caller: callerFor(t.Calls),
		ModelSureMatch: t.ModelSureMatch, ModelSureNone: t.ModelSureNone}
	ctx := context.Background()
	var results []scenariotest.SuiteResult
	loadErrors := 0
	for _, f := range files {
		s, err := scenariotest.LoadFile(f)
		if err != nil {
			results = append(results, scenariotest.SuiteResult{File: f, Err: err})
			loadErrors++
			continue
		}
		res, err := compiler.CompileFile(s.Agent, compiler.Options{WorkspacePath: s.Workspace})
		if err == nil && res.Diagnostics.HasErrors() {
			if perr := printDiagnostics(&Globals{Stdout: g.Stderr, Stderr: g.Stderr}, "text", res.Diagnostics, res.Sources); perr != nil {
				return cannot("%v", perr)
			}
			err = errAgentHasErrors
		}
		if err != nil {
			results = append(results, scenariotest.SuiteResult{File: f, Err: err})
			loadErrors++
			continue
		}
		results = append(results, scenariotest.Run(ctx, s, res.Plan, opts))
	}
	text := g.Stdout
	if t.JUnit == "-" {
		text = g.Stderr
	}
	scenariotest.WriteText(text, results, repeat > 1)
	if t.JUnit == "-" {
		if err := scenariotest.WriteJUnit(g.Stdout, results); err != nil {
			return cannot("writing JUnit: %v", err)
		}
	} else if t.JUnit != "" {
		out, err := os.Create(t.JUnit)
		if err != nil {
			return cannot("%v", err)
		}
		werr := scenariotest.WriteJUnit(out, results)
		if cerr := out.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return cannot("writing %s: %v", t.JUnit, werr)
		}
	}
	_, failedCases := scenariotest.Count(results)
	switch {
	case failedCases > 0:
		return failed
	case loadErrors > 0:
		return &exitError{code: exitCannot}
	}
	return nil
}

// parsePercent reads "80%" or "80" as 0.8; empty is 0 (every run must pass).
func parsePercent(s string) (float64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return 0, nil
	}
	p, err := strconv.ParseFloat(s, 64)
	if err != nil || p <= 0 || p > 100 {
		return 0, fmt.Errorf("%q is not a percentage from 1 to 100 (for example 80%%)", s)
	}
	return p / 100, nil
}

type agentError struct{}

func (agentError) Error() string { return "the agent has errors (printed above): fix them first" }

var errAgentHasErrors error = agentError{}

// testFiles expands folders into the *.test.yaml files under them.
func testFiles(paths []string) ([]string, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	files, bad, err := findFiles(paths, func(name string) bool {
		return strings.HasSuffix(name, ".test.yaml") || strings.HasSuffix(name, ".test.yml")
	}, "test files", false)
	if err == nil {
		err = firstError(bad)
	}
	return files, err
}
