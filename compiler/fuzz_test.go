package compiler

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/workspace"
)

// salesWorkspace is the sales example's workspace, loaded once.
var salesWorkspace = sync.OnceValues(func() (*workspace.Workspace, error) {
	b, err := os.ReadFile("../examples/sales/workspace.yaml")
	if err != nil {
		return nil, err
	}
	ws, ds := workspace.Load("workspace.yaml", b)
	if ds.HasErrors() {
		return nil, fmt.Errorf("sales workspace: %v", ds)
	}
	return ws, nil
})

func mustSalesWorkspace(tb testing.TB) *workspace.Workspace {
	tb.Helper()
	ws, err := salesWorkspace()
	if err != nil {
		tb.Fatal(err)
	}
	return ws
}

var raceEnabled = func() bool {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-race" {
				return s.Value == "true"
			}
		}
	}
	return false
}()

// within runs fn and fails t when it takes longer than a generous budget
// for an input of n bytes (5 s plus 50 µs a byte; twenty times that under
// -race), so that a hang is reported as one instead of as a test timeout.
func within[T any](t *testing.T, n int, what string, fn func() T) T {
	t.Helper()
	if raceEnabled && n > 8<<10 {
		t.Skipf("%d-byte input skipped under -race (single-goroutine code, ten times slower)", n)
	}
	budget := 5*time.Second + time.Duration(n)*50*time.Microsecond
	if raceEnabled {
		budget *= 20
	}
	done := make(chan T, 1)
	go func() { done <- fn() }()
	select {
	case v := <-done:
		return v
	case <-time.After(budget):
		t.Fatalf("hang: %s of a %d-byte input did not finish within %v", what, n, budget)
		var zero T
		return zero
	}
}

// compareDiagnostics is the order diag.Diagnostics.Sort promises.
func compareDiagnostics(a, b diag.Diagnostic) int {
	return cmp.Or(
		cmp.Compare(a.Range.Filename, b.Range.Filename),
		cmp.Compare(a.Range.Start.Offset, b.Range.Start.Offset),
		cmp.Compare(a.Range.End.Offset, b.Range.End.Offset),
		cmp.Compare(a.Code, b.Code),
		cmp.Compare(a.Message, b.Message),
	)
}

// checkDiagnostics reports diagnostics out of order, without a code or
// message, or whose range is outside the text of their file.
func checkDiagnostics(ds diag.Diagnostics, sources diag.Sources) error {
	for i, d := range ds {
		if i > 0 && compareDiagnostics(ds[i-1], d) > 0 {
			return fmt.Errorf("diagnostics not sorted at %d: %v after %v", i, d.Range, ds[i-1].Range)
		}
		if d.Code == "" || d.Message == "" {
			return fmt.Errorf("diagnostic %d has no code or message: %+v", i, d)
		}
		r := d.Range
		if r.Start.Offset > r.End.Offset || r.Start.Offset < 0 {
			return fmt.Errorf("diagnostic %d %q [%s]: range [%d, %d) runs backwards", i, d.Message, d.Code, r.Start.Offset, r.End.Offset)
		}
		if r.Start.Line < 1 || r.Start.Column < 1 || r.End.Line < r.Start.Line {
			return fmt.Errorf("diagnostic %d %q [%s]: bad position %d:%d-%d:%d", i, d.Message, d.Code, r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
		}
		src := sources[r.Filename]
		if src == nil {
			return fmt.Errorf("diagnostic %d %q [%s] names file %q, which is not among the sources", i, d.Message, d.Code, r.Filename)
		}
		if r.End.Offset > len(src.Text) {
			return fmt.Errorf("diagnostic %d %q [%s]: range ends at %d, past the end of %s (%d bytes)", i, d.Message, d.Code, r.End.Offset, r.Filename, len(src.Text))
		}
	}
	return nil
}

// checkPlan round-trips a plan through JSON: it must marshal, read back,
// validate, and marshal again to the same bytes. (JSON turns bytes that are
// not UTF-8 into U+FFFD, so exact equality is only asked for when the
// source text is UTF-8.)
func checkPlan(p *ir.Plan, exact bool) error {
	if p == nil {
		return fmt.Errorf("no plan")
	}
	b, err := ir.Marshal(p)
	if err != nil {
		return fmt.Errorf("marshal: %w", err)
	}
	back, err := ir.Unmarshal(b)
	if err != nil {
		return fmt.Errorf("plan does not read back: %w\n%s", err, b)
	}
	if err := back.Validate(); err != nil {
		return fmt.Errorf("plan read back does not validate: %w", err)
	}
	again, err := ir.Marshal(back)
	if err != nil {
		return fmt.Errorf("marshal after round trip: %w", err)
	}
	if exact && !bytes.Equal(b, again) {
		return fmt.Errorf("plan JSON changes on a round trip:\n%s\n---\n%s", b, again)
	}
	return nil
}

// instructionSeeds are the example agents (as they are and without their
// front matter), the sentence corpus, and hostile inputs.
func instructionSeeds(tb testing.TB) [][]byte {
	var out [][]byte
	paths, _ := filepath.Glob("../examples/*/*.instr")
	corpus, _ := filepath.Glob("testdata/corpus/*.txt")
	for _, p := range append(paths, corpus...) {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
		if _, body, ok := bytes.Cut(b, []byte("\n---\n")); ok && bytes.HasPrefix(b, []byte("---\n")) {
			out = append(out, body)
		}
	}
	for _, s := range []string{
		"",
		"\xff\xfe- If x, close the conversation.\x80",
		"- If \x00, assign to @\x00Sales Development\x00.",
		"- If x, close the conversation with closing note \"Spam",
		"- If x, reply to the contact: \"Hi {{$contact.firstname\"",
		"- If x, reply to the contact: \"Hi {{$contact.",
		"- If x, reply to the contact: \"{{$contact.}} $contact. $contact.nope {{$contact.Budget}}\"",
		"- If x" + strings.Repeat(",", 10000) + " close the conversation.",
		"- If x, add %Pricing" + strings.Repeat(" and then add %Pricing", 300) + ".",
		strings.Repeat("- If x, assign to @Account Executives and then add %Pricing and then save it as Budget.\n", 200),
		"- If 👍🏽, add %Interested 🎉 and reply with 😀.",
		"- إذا سأل العميل عن السعر، assign to @Sales Development.",
		"- If x\u202e, close the conversation\u202c.",
		"- Assign to @Renewals, then unassign the conversation, then reply with thanks.",
		"- If x, assign to @Account Executives and @Enterprise Sales by round robin.",
		"- If x, assign to @Priya Shah by round robin at 5pm tomorrow.",
		"- If x, set the Budget field to lots, set the Budget field to 5 and set the Company Size field to \"huge\".",
		"- If x, set the Demo Date field to 31/02/2026 and the Website field to not a url and the Marketing Opt-in field to maybe.",
		"- If x, add an internal comment " + strings.Repeat("very ", 500) + "long and mention @Sales Development.",
		"- If the lifecycle stage is Qualifed and the Budgett field is empty, update the lifecycle stage.",
		"- If the contact has the tag %Pricing, trigger !partner_referral and call !lookup_account and !nope.",
		"- Reopen the conversation and create a new field.",
		"- If x, close the conversation and select closing note \"\" and do not generate a summary nor choose a closing note.",
		"- If x, transfer to the next available agent or whoever is online.",
		"Maybe close the conversation or something.",
		"---\nworkspace: ../../../../../../etc/passwd\n---\n- If x, close the conversation.",
		"---\nlanguage: fr\n---\n- Si x, ferme la conversation et assigne à @Account Executives.",
	} {
		out = append(out, []byte(s))
	}
	return out
}

// FuzzCompile compiles any instruction text against the sales workspace:
// no panic, no hang, diagnostics sorted and inside the text, and a plan
// that survives the JSON round trip.
func FuzzCompile(f *testing.F) {
	for _, b := range instructionSeeds(f) {
		f.Add(b)
	}
	ws := mustSalesWorkspace(f)
	f.Fuzz(func(t *testing.T, text []byte) {
		r := within(t, len(text), "compiling", func() *Result {
			return Run(Source{Filename: "fuzz.instr", Text: text}, Options{Workspace: ws})
		})
		if r.Workspace != ws {
			t.Fatalf("the result's workspace is not the one given")
		}
		if err := checkDiagnostics(r.Diagnostics, r.Sources); err != nil {
			t.Fatal(err)
		}
		if err := checkPlan(r.Plan, utf8.Valid(text)); err != nil {
			t.Fatal(err)
		}
		if !r.Diagnostics.HasErrors() {
			for _, s := range r.Plan.Scenarios {
				if s.Line < 1 || s.Line > r.File.Source.LineCount() {
					t.Fatalf("scenario %s: line %d outside the file", s.ID, s.Line)
				}
			}
		}
	})
}

// FuzzWorkspace loads any bytes as a workspace file (no panic, no hang,
// diagnostics inside the file), then compiles the sales agent against
// whatever was loaded.
func FuzzWorkspace(f *testing.F) {
	paths, _ := filepath.Glob("../examples/*/workspace.yaml")
	paths = append(paths, "testdata/corpus/workspace.yaml")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"",
		"\x00",
		"\xff\xfe",
		"name: x\n",
		"{",
		"[",
		"- a\n- b\n",
		"name: [\n",
		"name: \"unterminated\n",
		"name: 'unterminated\n",
		"name: x\nname: y\n",
		"name: x\ncolour: red\n",
		"name: x\n---\nname: y\n",
		"\tname: x\n",
		"name: x\ncontact_fields:\n  - {name: Budget, type: money}\n  - {name: Budget, type: number}\n  - {id: only_id}\n  - just a string\n",
		"contact_fields: {name: Budget}\nlifecycle_stages: Qualified\nclosing_notes: [[a]]\ntags: {a: b}\n",
		"teams:\n  - {name: Sales, members: alice}\n  - {name: Sales}\nusers: [Sales, alice, alice]\nai_agents: [Sales]\n",
		"workflows:\n  - {name: w, trigger: conversation_opened, action: assign, target: Nobody}\n  - {name: w, published: maybe}\n  - {trigger: x}\n",
		"actions:\n  - name: a\n    inputs: [{name: x}]\n    request: {method: TELEPORT, url: \"ftp://{y}\", auth: {type: magic}}\n",
		"actions:\n  - name: a\n    request: {url: \"{{{\"}\n",
		"name: &a x\ncontact_fields: *a\ntags: *nope\n",
		"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\ntags: *e\n",
		"tags: " + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + "\n",
		"tags: " + strings.Repeat("{a: ", 500) + "x" + strings.Repeat("}", 500) + "\n",
		"tags: [" + strings.Repeat("Pricing, ", 5000) + "]\n",
		"name: !!binary AAAA\ntags: !!map {}\nusers: !custom [a]\n",
		"name: x # comment\n? complex key\n: value\n",
		"tags: [👍🏽, \u202eevil, \"\\u0000\", \"\"]\nusers: [\"\", \" \"]\n",
		"name: |\n  multi\n  line\nlifecycle_stages:\n- >-\n  folded\n  stage\n",
	} {
		f.Add([]byte(s))
	}
	agent, err := os.ReadFile("../examples/sales/agent.instr")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		type loaded struct {
			ws *workspace.Workspace
			ds diag.Diagnostics
		}
		l := within(t, len(text), "loading the workspace", func() loaded {
			ws, ds := workspace.Load("fuzz.yaml", text)
			return loaded{ws, ds}
		})
		if err := checkDiagnostics(l.ds, diag.Sources{"fuzz.yaml": diag.NewSource("fuzz.yaml", text)}); err != nil {
			t.Fatal(err)
		}
		if l.ws == nil {
			if !l.ds.HasErrors() {
				t.Fatal("no workspace and no error")
			}
			return
		}
		_ = l.ws.IR()
		r := within(t, len(text)+len(agent), "compiling against the workspace", func() *Result {
			return Run(Source{Filename: "agent.instr", Text: agent}, Options{Workspace: l.ws})
		})
		if err := checkDiagnostics(r.Diagnostics, r.Sources); err != nil {
			t.Fatal(err)
		}
		if err := checkPlan(r.Plan, true); err != nil {
			t.Fatal(err)
		}
	})
}
