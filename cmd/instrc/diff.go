package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/lang"
	"github.com/instrc/instrc/scenariotest"
)

// DiffCmd compares two versions of an agent as scenarios and custom actions,
// not lines, and names the scenario tests that cover what changed.
type DiffCmd struct {
	Workspace string   `short:"w" help:"Workspace file for both versions (overrides their front matter)."`
	Format    string   `short:"f" enum:"text,json" default:"text" help:"Output format: text, or json (for a pull-request comment)."`
	Tests     []string `help:"Scenario test files (.test.yaml) of the new version; by default those next to NEW that test it." type:"path"`
	Old       string   `arg:"" help:"The old version (.instr)."`
	New       string   `arg:"" help:"The new version (.instr)."`
}

// DiffScenario is one scenario of a version, as the diff shows it.
type DiffScenario struct {
	ID        string   `json:"id"`
	Line      int      `json:"line"`
	Condition string   `json:"condition"`
	Actions   []string `json:"actions"`
	Reply     string   `json:"reply,omitempty"`
}

// DiffChange is a scenario found in both versions whose meaning changed.
type DiffChange struct {
	Old DiffScenario `json:"old"`
	New DiffScenario `json:"new"`
	// What lists what changed: condition, actions, collect, reply.
	What  []string   `json:"what"`
	Tests []DiffTest `json:"tests"`
}

// DiffAdded is a scenario of the new version only, with its tests.
type DiffAdded struct {
	DiffScenario
	Tests []DiffTest `json:"tests"`
}

// DiffTest is a scenario test case that expects a scenario.
type DiffTest struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Name string `json:"name"`
}

// DiffActionChange is a custom action found in both versions that changed.
type DiffActionChange struct {
	Name string   `json:"name"`
	What []string `json:"what"`
}

// DiffReport is the JSON output of instrc diff.
type DiffReport struct {
	Old       string `json:"old"`
	New       string `json:"new"`
	Scenarios struct {
		Added     []DiffAdded    `json:"added"`
		Removed   []DiffScenario `json:"removed"`
		Changed   []DiffChange   `json:"changed"`
		Unchanged int            `json:"unchanged"`
	} `json:"scenarios"`
	Actions struct {
		Added   []string           `json:"added"`
		Removed []string           `json:"removed"`
		Changed []DiffActionChange `json:"changed"`
	} `json:"actions"`
	// Untested lists the ids (in the new version) of the added and changed
	// scenarios no test case expects.
	Untested []string `json:"untested"`
}

// Run compiles both versions and prints what changed.
func (d *DiffCmd) Run(g *Globals) error {
	plans := make([]*ir.Plan, 2)
	for i, f := range []string{d.Old, d.New} {
		res, err := compiler.CompileFile(f, compiler.Options{WorkspacePath: d.Workspace})
		if err != nil {
			return cannot("%v", readError(f, err))
		}
		if res.Diagnostics.HasErrors() {
			if err := printDiagnostics(g.toStderr(), "text", res.Diagnostics, res.Sources); err != nil {
				return cannot("%v", err)
			}
			return cannot("%s has errors: fix them first (instrc lint %s)", f, f)
		}
		plans[i] = res.Plan
	}
	tests, err := d.testFiles()
	if err != nil {
		return cannot("%v", err)
	}
	rep, err := diffPlans(d.Old, d.New, plans[0], plans[1], tests)
	if err != nil {
		return cannot("%v", err)
	}
	if d.Format == "json" {
		enc := json.NewEncoder(g.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	}
	writeDiff(g, rep)
	return nil
}

// testFiles are --tests, or the .test.yaml files next to NEW whose agent
// is NEW.
func (d *DiffCmd) testFiles() ([]*scenariotest.Suite, error) {
	paths := d.Tests
	explicit := len(paths) > 0
	if !explicit {
		paths, _ = filepath.Glob(filepath.Join(filepath.Dir(d.New), "*.test.yaml"))
	}
	var out []*scenariotest.Suite
	for _, p := range paths {
		s, err := scenariotest.LoadFile(p)
		if err != nil {
			return nil, err
		}
		if explicit || sameFile(s.Agent, d.New) {
			out = append(out, s)
		}
	}
	return out, nil
}

func sameFile(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

// diffPlans pairs the scenarios of two plans: first by condition (compared
// without case, accents and extra spaces), then, among those left, a
// scenario whose condition was reworded but whose actions, collect and
// reply are the same. What is left is added or removed.
func diffPlans(oldName, newName string, oldP, newP *ir.Plan, tests []*scenariotest.Suite) (*DiffReport, error) {
	rep := &DiffReport{Old: oldName, New: newName}
	rep.Scenarios.Added, rep.Scenarios.Removed, rep.Scenarios.Changed = []DiffAdded{}, []DiffScenario{}, []DiffChange{}
	rep.Actions.Added, rep.Actions.Removed, rep.Actions.Changed = []string{}, []string{}, []DiffActionChange{}
	rep.Untested = []string{}
	covered := coverage(newP, tests)

	pairOf := make([]int, len(newP.Scenarios)) // index in old, or -1
	usedOld := make([]bool, len(oldP.Scenarios))
	for i := range pairOf {
		pairOf[i] = -1
	}
	match := func(same func(o, n ir.Scenario) bool) {
		for i, n := range newP.Scenarios {
			if pairOf[i] >= 0 {
				continue
			}
			for j, o := range oldP.Scenarios {
				if !usedOld[j] && same(o, n) {
					pairOf[i], usedOld[j] = j, true
					break
				}
			}
		}
	}
	match(func(o, n ir.Scenario) bool { return conditionKey(o) == conditionKey(n) })
	match(func(o, n ir.Scenario) bool { return behaviour(o) == behaviour(n) })

	for i, n := range newP.Scenarios {
		j := pairOf[i]
		if j < 0 {
			rep.Scenarios.Added = append(rep.Scenarios.Added, DiffAdded{DiffScenario: scenarioView(n, newP), Tests: orEmpty(covered[n.ID])})
			if len(covered[n.ID]) == 0 {
				rep.Untested = append(rep.Untested, n.ID)
			}
			continue
		}
		o := oldP.Scenarios[j]
		var what []string
		if conditionKey(o) != conditionKey(n) {
			what = append(what, "condition")
		}
		if asJSON(o.Actions) != asJSON(n.Actions) {
			what = append(what, "actions")
		}
		if asJSON(o.Collect) != asJSON(n.Collect) {
			what = append(what, "collect")
		}
		if asJSON(o.Reply) != asJSON(n.Reply) {
			what = append(what, "reply")
		}
		if len(what) == 0 {
			rep.Scenarios.Unchanged++
			continue
		}
		rep.Scenarios.Changed = append(rep.Scenarios.Changed, DiffChange{Old: scenarioView(o, oldP), New: scenarioView(n, newP), What: what, Tests: orEmpty(covered[n.ID])})
		if len(covered[n.ID]) == 0 {
			rep.Untested = append(rep.Untested, n.ID)
		}
	}
	for j, o := range oldP.Scenarios {
		if !usedOld[j] {
			rep.Scenarios.Removed = append(rep.Scenarios.Removed, scenarioView(o, oldP))
		}
	}

	oldA, newA := customActions(oldP), customActions(newP)
	for _, name := range slices.Sorted(mapsKeys(newA)) {
		o, ok := oldA[name]
		if !ok {
			rep.Actions.Added = append(rep.Actions.Added, name)
			continue
		}
		n := newA[name]
		var what []string
		for _, c := range []struct {
			field  string
			ov, nv any
		}{
			{"description", o.Description, n.Description}, {"inputs", o.Inputs, n.Inputs}, {"method", o.Method, n.Method},
			{"url", o.URL, n.URL}, {"auth", o.Auth, n.Auth}, {"response_instructions", o.ResponseInstructions, n.ResponseInstructions},
		} {
			if asJSON(c.ov) != asJSON(c.nv) {
				what = append(what, c.field)
			}
		}
		if len(what) > 0 {
			rep.Actions.Changed = append(rep.Actions.Changed, DiffActionChange{Name: name, What: what})
		}
	}
	for _, name := range slices.Sorted(mapsKeys(oldA)) {
		if _, ok := newA[name]; !ok {
			rep.Actions.Removed = append(rep.Actions.Removed, name)
		}
	}
	return rep, nil
}

// coverage maps each scenario id of plan to the test cases that expect it.
func coverage(plan *ir.Plan, suites []*scenariotest.Suite) map[string][]DiffTest {
	out := map[string][]DiffTest{}
	for _, s := range suites {
		for _, c := range s.Cases {
			seen := map[string]bool{}
			for _, st := range c.Steps {
				if st.Expect == nil || st.Expect.Scenario == nil {
					continue
				}
				id, ok := scenariotest.ScenarioRef(plan, st.Expect.Scenario.Text)
				if ok && id != "" && !seen[id] {
					seen[id] = true
					out[id] = append(out[id], DiffTest{File: s.File, Line: c.Pos.Line, Name: c.Name})
				}
			}
		}
	}
	return out
}

func conditionKey(s ir.Scenario) string {
	c := s.Condition
	return fmt.Sprintf("%s|%t|%t|%s|%s", strings.Join(strings.Fields(lang.Fold(c.Text)), " "), c.Always, c.Fallback, c.Answers, lang.Fold(c.Question))
}

func behaviour(s ir.Scenario) string {
	return asJSON(s.Actions) + asJSON(s.Collect) + asJSON(s.Reply)
}

func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func scenarioView(s ir.Scenario, p *ir.Plan) DiffScenario {
	fr := p.Language == "fr"
	v := DiffScenario{ID: s.ID, Line: s.Line, Condition: s.Condition.Text, Actions: []string{}}
	if s.Condition.Always {
		v.Condition = "(every message)"
	}
	for _, a := range s.Actions {
		v.Actions = append(v.Actions, describeAction(a, fr))
	}
	if s.Reply != nil {
		v.Reply = cmpOr(s.Reply.Template, s.Reply.Guidance)
	}
	return v
}

func customActions(p *ir.Plan) map[string]ir.CustomAction {
	out := map[string]ir.CustomAction{}
	if p.Workspace != nil {
		for _, a := range p.Workspace.CustomActions {
			out[a.Name] = a
		}
	}
	return out
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func orEmpty(ts []DiffTest) []DiffTest {
	if ts == nil {
		return []DiffTest{}
	}
	return ts
}

// writeDiff prints the report for a person.
func writeDiff(g *Globals, r *DiffReport) {
	w := g.Stdout
	tests := func(ts []DiffTest) {
		if len(ts) == 0 {
			fmt.Fprintln(w, "    no scenario test expects it")
		}
		for _, t := range ts {
			fmt.Fprintf(w, "    tested by %s:%d: %s\n", t.File, t.Line, t.Name)
		}
	}
	show := func(sign string, s DiffScenario) {
		fmt.Fprintf(w, "%s %s (line %d): %s\n", sign, s.ID, s.Line, s.Condition)
		for _, a := range s.Actions {
			fmt.Fprintf(w, "    %s\n", a)
		}
		if s.Reply != "" {
			fmt.Fprintf(w, "    reply: %s\n", s.Reply)
		}
	}
	for _, s := range r.Scenarios.Removed {
		show("-", s)
	}
	for _, s := range r.Scenarios.Added {
		show("+", s.DiffScenario)
		tests(s.Tests)
	}
	for _, c := range r.Scenarios.Changed {
		fmt.Fprintf(w, "~ %s (line %d) -> %s (line %d): %s changed\n", c.Old.ID, c.Old.Line, c.New.ID, c.New.Line, strings.Join(c.What, ", "))
		if slices.Contains(c.What, "condition") {
			fmt.Fprintf(w, "    condition: %s -> %s\n", c.Old.Condition, c.New.Condition)
		} else {
			fmt.Fprintf(w, "    condition: %s\n", c.New.Condition)
		}
		if slices.Contains(c.What, "actions") {
			fmt.Fprintf(w, "    actions: %s -> %s\n", strings.Join(c.Old.Actions, "; "), strings.Join(c.New.Actions, "; "))
		}
		if slices.Contains(c.What, "reply") {
			fmt.Fprintf(w, "    reply: %s -> %s\n", c.Old.Reply, c.New.Reply)
		}
		tests(c.Tests)
	}
	for _, a := range r.Actions.Removed {
		fmt.Fprintf(w, "- action !%s\n", a)
	}
	for _, a := range r.Actions.Added {
		fmt.Fprintf(w, "+ action !%s\n", a)
	}
	for _, a := range r.Actions.Changed {
		fmt.Fprintf(w, "~ action !%s: %s changed\n", a.Name, strings.Join(a.What, ", "))
	}
	fmt.Fprintf(g.Stderr, "%d added, %d removed, %d changed, %d unchanged scenarios; %d added, %d removed, %d changed actions; %d untested\n",
		len(r.Scenarios.Added), len(r.Scenarios.Removed), len(r.Scenarios.Changed), r.Scenarios.Unchanged,
		len(r.Actions.Added), len(r.Actions.Removed), len(r.Actions.Changed), len(r.Untested))
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
