package compiler_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/workspace"
)

// The corpus holds sentences a support lead would plausibly write, each
// with what it must compile to (see the header of the corpus files). It is
// the test that the language accepts natural variants, not one phrasing.
func TestCorpus(t *testing.T) {
	wsText, err := os.ReadFile("testdata/corpus/workspace.yaml")
	require.NoError(t, err)
	ws, wsDiags := workspace.Load("workspace.yaml", wsText)
	require.Empty(t, wsDiags)
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			files, err := filepath.Glob(filepath.Join("testdata/corpus", lang+"*.txt"))
			require.NoError(t, err)
			var blocks []corpusBlock
			for _, f := range files {
				blocks = append(blocks, readCorpus(t, f)...)
			}
			require.NotEmpty(t, blocks)
			for _, b := range blocks {
				t.Run(fmt.Sprintf("%s:%d", strings.TrimSuffix(b.file, ".txt"), b.line), func(t *testing.T) {
					src := "---\nlanguage: " + lang + "\n---\n" + b.text + "\n"
					plan, ds := compiler.Compile(compiler.Source{Filename: "corpus.instr", Text: []byte(src)}, compiler.Options{Workspace: ws})
					want, extras, _ := strings.Cut(" "+b.want, " | ")
					want = strings.TrimSpace(want)
					got := render(plan, ds)
					if extras != "" {
						got += " | " + renderExtras(plan, extras)
						want += " | " + extras
					}
					if diff := cmp.Diff(want, got); diff != "" {
						var msgs []string
						for _, d := range ds {
							msgs = append(msgs, fmt.Sprintf("%d:%d %s [%s]", d.Range.Start.Line-3, d.Range.Start.Column, d.Message, d.Code))
						}
						t.Errorf("%s\n(-want +got):\n%s%s", b.text, diff, strings.Join(msgs, "\n"))
					}
				})
			}
		})
	}
}

type corpusBlock struct {
	file string
	line int
	text string
	want string
}

func readCorpus(t *testing.T, path string) []corpusBlock {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []corpusBlock
	var cur []string
	start := 0
	for i, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "=> ") {
			out = append(out, corpusBlock{file: filepath.Base(path), line: start, text: strings.Join(cur, "\n"), want: strings.TrimSpace(line[3:])})
			cur = nil
			continue
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if len(cur) == 0 {
			start = i + 1
		}
		cur = append(cur, line)
	}
	return out
}

// render writes a compilation result in the corpus's expectation notation.
func render(p *ir.Plan, ds diag.Diagnostics) string {
	if len(ds) > 0 {
		var errs, warns []string
		for _, d := range ds {
			if d.Severity.String() == "error" {
				errs = append(errs, d.Code)
			} else {
				warns = append(warns, d.Code)
			}
		}
		slices.Sort(errs)
		slices.Sort(warns)
		errs, warns = slices.Compact(errs), slices.Compact(warns)
		var parts []string
		if len(errs) > 0 {
			parts = append(parts, "error "+strings.Join(errs, ","))
		}
		if len(warns) > 0 {
			parts = append(parts, "warning "+strings.Join(warns, ","))
		}
		return strings.Join(parts, " ; ")
	}
	if len(p.Scenarios) == 0 {
		return "guidance"
	}
	var items []string
	for _, s := range p.Scenarios {
		if s.Condition.Fallback {
			items = append(items, "fallback")
		}
		for _, a := range s.Actions {
			items = append(items, renderAction(a))
		}
		if s.Reply != nil && !s.Reply.None {
			if s.Reply.Template != "" {
				items = append(items, "reply template")
			} else {
				items = append(items, "reply guidance")
			}
		}
	}
	return strings.Join(items, " ; ")
}

// renderExtras renders what a block's expectation asks for after " | ",
// for each scenario of the plan (separated by " / "):
//
//	intents a,b     the condition's intents ("-" for none)
//	keywords a,b    the condition's keywords
//	ask a; b        what the scenario collects ("-" for nothing)
//	order a,b       actions and reply in the order the runtime takes them
//	condition TEXT  the condition as explain shows it
func renderExtras(p *ir.Plan, extras string) string {
	var out []string
	for _, item := range strings.Split(extras, " | ") {
		key, _, _ := strings.Cut(item, " ")
		var per []string
		for _, s := range p.Scenarios {
			switch key {
			case "intents":
				per = append(per, orDash(strings.Join(s.Condition.Intents, ",")))
			case "keywords":
				per = append(per, orDash(strings.Join(s.Condition.Keywords, ",")))
			case "ask":
				per = append(per, orDash(strings.Join(s.Collect, "; ")))
			case "condition":
				per = append(per, s.Condition.Text)
			case "order":
				var ks []string
				for _, a := range s.Actions {
					ks = append(ks, a.Kind)
				}
				switch {
				case s.Reply == nil:
				case s.Reply.None:
					ks = append(ks, "noreply")
				default:
					ks = append(ks, "reply")
				}
				per = append(per, orDash(strings.Join(ks, ",")))
			default:
				per = append(per, "unknown expectation "+key)
			}
		}
		out = append(out, key+" "+strings.Join(per, " / "))
	}
	return strings.Join(out, " | ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func q(s string) string {
	if strings.ContainsAny(s, " ") {
		return `"` + s + `"`
	}
	return s
}

func renderAction(a ir.Action) string {
	switch a.Kind {
	case ir.KindClose:
		s := "close"
		if a.ClosingNote != "" {
			s += ` note="` + a.ClosingNote + `"`
		}
		if !a.WantsSummary() {
			s += " nosummary"
		}
		return s
	case ir.KindAssign:
		switch a.Target.Type {
		case ir.TargetTeam:
			return fmt.Sprintf(`assign team="%s" method=%s`, a.Target.Name, a.Method)
		case ir.TargetUser:
			return fmt.Sprintf(`assign user="%s"`, a.Target.Name)
		}
		return fmt.Sprintf(`assign ai="%s"`, a.Target.Name)
	case ir.KindUnassign:
		return "unassign"
	case ir.KindUpdateFields:
		var fs []string
		for _, f := range a.Fields {
			if f.Value != "" {
				fs = append(fs, q(f.Name)+"="+q(f.Value))
			} else {
				fs = append(fs, q(f.Name))
			}
		}
		return "fields " + strings.Join(fs, ",")
	case ir.KindUpdateLifecycle:
		return "stage " + q(a.Stage)
	case ir.KindUpdateTags:
		var ts []string
		for _, t := range a.Add {
			ts = append(ts, "+"+q(t))
		}
		for _, t := range a.Remove {
			ts = append(ts, "-"+q(t))
		}
		return "tags " + strings.Join(ts, " ")
	case ir.KindAddComment:
		if len(a.Mentions) > 0 {
			var ms []string
			for _, m := range a.Mentions {
				ms = append(ms, q(m))
			}
			return "comment mentions=" + strings.Join(ms, ",")
		}
		return "comment"
	case ir.KindTriggerWorkflow:
		return "trigger " + a.Workflow
	case ir.KindCall:
		return "call " + a.ActionName
	}
	return a.Kind
}
