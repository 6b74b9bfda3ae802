// Package simreport summarises a replay of conversations (instrc simulate)
// for a support lead: how much the agent would automate, where it hands
// over, how each scenario's actions end, and what the instructions do not
// cover yet.
package simreport

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/lang"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/stdlib"
)

// Turn is one replayed contact message and what the agent did.
type Turn struct {
	Conversation string
	Message      string
	Scenario     string // "" when nothing matched
	Actions      []runtime.ActionOutcome
	ReplySent    bool
}

// Report is the summary of a replay.
type Report struct {
	Conversations int
	Turns         int
	Automated     int // matched, no handover, and an action ran or a reply was sent
	Handovers     int // an assign or unassign ran
	Unmatched     int
	Waiting       int // the scenario waits for the contact to give something
	Scenarios     []ScenarioStat
	Gaps          []Group         // unmatched messages grouped by similarity, largest first
	Failures      []FailedActions // failed actions grouped by scenario, action and reason
}

// ScenarioStat is how often a scenario fired and how its actions ended.
type ScenarioStat struct {
	ID, Condition         string
	Line                  int
	Fired                 int
	OK, FailedN, SkippedN int
	Handovers             int
}

// Group is a set of similar unmatched messages.
type Group struct {
	Count    int
	Examples []string // up to 3 distinct messages
	Keywords []string
	tokens   map[string]bool
}

// FailedActions counts one failure reason.
type FailedActions struct {
	Scenario, Action, Reason string
	Count                    int
	Example                  string // a message that led to it
}

// Share is part/whole as a percentage, 0 for an empty whole.
func Share(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return 100 * float64(part) / float64(whole)
}

// Build summarises the turns of a replay of conversations.
func Build(plan *ir.Plan, conversations int, turns []Turn) Report {
	r := Report{Conversations: conversations, Turns: len(turns)}
	stats := map[string]*ScenarioStat{}
	for _, sc := range plan.Scenarios {
		s := &ScenarioStat{ID: sc.ID, Line: sc.Line, Condition: sc.Condition.Text}
		if s.Condition == "" {
			s.Condition = "(no condition)"
		}
		stats[sc.ID] = s
	}
	failures := map[[3]string]*FailedActions{}
	for _, t := range turns {
		if t.Scenario == "" {
			r.Unmatched++
			r.addGap(t.Message)
			continue
		}
		s := stats[t.Scenario]
		if s == nil {
			s = &ScenarioStat{ID: t.Scenario}
			stats[t.Scenario] = s
		}
		s.Fired++
		handover, ran, waiting := false, false, false
		for _, a := range t.Actions {
			switch a.Status {
			case runtime.OK:
				s.OK++
				ran = true
				if a.Action.Kind == ir.KindAssign || a.Action.Kind == ir.KindUnassign {
					handover = true
				}
			case runtime.Failed:
				s.FailedN++
				key := [3]string{t.Scenario, describe(a.Action), a.Reason}
				f := failures[key]
				if f == nil {
					f = &FailedActions{Scenario: t.Scenario, Action: key[1], Reason: a.Reason, Example: t.Message}
					failures[key] = f
				}
				f.Count++
			default:
				s.SkippedN++
				if strings.HasPrefix(a.Reason, "waiting for") {
					waiting = true
				}
			}
		}
		switch {
		case handover:
			r.Handovers++
			s.Handovers++
		case ran || t.ReplySent:
			r.Automated++
		}
		if waiting {
			r.Waiting++
		}
	}
	for _, s := range stats {
		r.Scenarios = append(r.Scenarios, *s)
	}
	slices.SortFunc(r.Scenarios, func(a, b ScenarioStat) int {
		return cmp.Or(cmp.Compare(b.Fired, a.Fired), cmp.Compare(a.Line, b.Line), cmp.Compare(a.ID, b.ID))
	})
	for _, f := range failures {
		r.Failures = append(r.Failures, *f)
	}
	slices.SortFunc(r.Failures, func(a, b FailedActions) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Scenario, b.Scenario), cmp.Compare(a.Reason, b.Reason))
	})
	slices.SortStableFunc(r.Gaps, func(a, b Group) int { return cmp.Compare(b.Count, a.Count) })
	for i := range r.Gaps {
		r.Gaps[i].Keywords = topWords(r.Gaps[i].tokens, 4)
	}
	return r
}

// describe names an action in a few words: "assign Sales Team".
func describe(a ir.Action) string {
	s := a.Kind
	switch {
	case a.Target != nil:
		s += " " + a.Target.Name
	case a.Stage != "":
		s += " " + a.Stage
	case a.ClosingNote != "":
		s += " " + a.ClosingNote
	case a.Workflow != "":
		s += " " + a.Workflow
	case a.ActionName != "":
		s += " " + a.ActionName
	case len(a.Fields) > 0:
		var names []string
		for _, f := range a.Fields {
			names = append(names, f.Name)
		}
		s += " " + strings.Join(names, ", ")
	case len(a.Add) > 0:
		s += " " + strings.Join(a.Add, ", ")
	}
	return s
}

// tokens are a message's content words, stemmed in its language: the
// matcher's own reading (stdlib.Keywords), so that the report groups what
// the runtime could not match the way the runtime reads it.
func tokens(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range stdlib.Keywords(lang.Detect(s), s) {
		out[w] = true
	}
	return out
}

func similarity(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1 // codes, numbers, names: one group
	}
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for w := range a {
		if b[w] {
			inter++
		}
	}
	return float64(inter) / float64(min(len(a), len(b)))
}

// addGap puts an unmatched message into the most similar group, or a new
// one: two messages are similar when half the content words of the
// shorter appear in the other.
func (r *Report) addGap(msg string) {
	tk := tokens(msg)
	best, bestSim := -1, 0.5
	for i := range r.Gaps {
		if s := similarity(tk, r.Gaps[i].tokens); s >= bestSim {
			best, bestSim = i, s
		}
	}
	if best < 0 {
		r.Gaps = append(r.Gaps, Group{tokens: tk})
		best = len(r.Gaps) - 1
	}
	g := &r.Gaps[best]
	g.Count++
	if len(g.Examples) < 3 && !slices.Contains(g.Examples, msg) {
		g.Examples = append(g.Examples, msg)
	}
}

func topWords(tk map[string]bool, n int) []string {
	var out []string
	for w := range tk {
		out = append(out, w)
	}
	slices.Sort(out)
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// WriteText prints the report for the terminal.
func (r Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "Simulation: %d conversations, %d contact messages\n\n", r.Conversations, r.Turns)
	fmt.Fprintf(w, "  automated   %5d  %5.1f%%  (a scenario ran actions or replied, no handover)\n", r.Automated, Share(r.Automated, r.Turns))
	fmt.Fprintf(w, "  handed over %5d  %5.1f%%  (assigned or unassigned)\n", r.Handovers, Share(r.Handovers, r.Turns))
	fmt.Fprintf(w, "  unmatched   %5d  %5.1f%%  (no scenario applies: see below)\n", r.Unmatched, Share(r.Unmatched, r.Turns))
	if r.Waiting > 0 {
		fmt.Fprintf(w, "  waiting     %5d  %5.1f%%  (included above: the scenario first asked the contact for information)\n", r.Waiting, Share(r.Waiting, r.Turns))
	}
	fmt.Fprintf(w, "\nScenarios (fired, actions ok / failed / skipped, handovers):\n")
	for _, s := range r.Scenarios {
		fmt.Fprintf(w, "  %-4s line %-3d %5d  %4d / %3d / %3d  %4d  %s\n", s.ID, s.Line, s.Fired, s.OK, s.FailedN, s.SkippedN, s.Handovers, truncate(s.Condition, 70))
	}
	never := 0
	for _, s := range r.Scenarios {
		if s.Fired == 0 {
			never++
		}
	}
	if never > 0 {
		fmt.Fprintf(w, "  %d scenarios never fired: check their wording against what contacts write.\n", never)
	}
	if len(r.Gaps) > 0 {
		fmt.Fprintf(w, "\nUnmatched messages, grouped by similarity (what the instructions do not cover yet):\n")
		for i, g := range r.Gaps {
			if i == 15 {
				fmt.Fprintf(w, "  ... and %d more groups\n", len(r.Gaps)-i)
				break
			}
			fmt.Fprintf(w, "  %4d × %q", g.Count, truncate(g.Examples[0], 70))
			if len(g.Keywords) > 0 {
				fmt.Fprintf(w, "  [%s]", strings.Join(g.Keywords, ", "))
			}
			fmt.Fprintln(w)
		}
	}
	if len(r.Failures) > 0 {
		fmt.Fprintf(w, "\nFailed actions:\n")
		for _, f := range r.Failures {
			fmt.Fprintf(w, "  %4d × %s: %s: %s\n         e.g. %q\n", f.Count, f.Scenario, f.Action, f.Reason, truncate(f.Example, 70))
		}
	}
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
