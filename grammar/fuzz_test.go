package grammar

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/instrc/instrc/diag"
)

// fuzzSeeds are inputs that have broken or slowed parsers of this kind of
// text: bytes that are not UTF-8, NULs, quotes and templates that are never
// closed, runs of separators, long chains, emoji and right-to-left scripts.
// The example agents are added on top of them.
func fuzzSeeds() []string {
	return []string{
		"",
		"\n",
		"\uFEFF",
		"- ",
		"-",
		"1.",
		"1. ",
		"* * *",
		"#",
		"```\n- If x, close the conversation.\n",
		"---",
		"---\n",
		"---\n---\n",
		"---\r\n---\r\n",
		"---\nworkspace: w.yaml\nlanguage: en\n",
		"---\nworkspace\nlangue: fr\n---\n- Si x, ferme la conversation.",
		"---\nlanguage: klingon\n---\nIf x, close the conversation.",
		"\uFEFF---\nworkspace: \"\"\n---\n",
		"- If the contact has no more questions, close the conversation and select closing note \"Issue Resolved\".",
		"- If the contact asked about their schedule, assign to @Scheduling Team by round robin.",
		"- Si le contact a fourni son budget, enregistre-le comme champ Budget.",
		"Assign to @Sales if the customer mentions pricing or a demo.",
		"- Lorsqu'il demande un remboursement, déclenche !refund_processing puis ferme la conversation.",
		"- Quand le client écrit « merci », réponds : « Avec plaisir, {{$contact.prenom}} ! »",
		"- If x, reply to the contact: “Thanks, see you on $contact.bookingdate.”",
		// invalid UTF-8 and NULs
		"\xff\xfe- If x, close the conversation.\x80",
		"- If \x00, assign to @\x00Sales\x00 and add %\x00.",
		"- If x, add %Pric\xc3ing and save it as Bud\xe2\x82get.",
		"\xc3",
		"\x00\x00\x00",
		"- \xed\xa0\x80 assign to @A",
		// unterminated quotes and templates
		"- Close the conversation with closing note \"Spam",
		"- Close the conversation with closing note “Spam",
		"- Close the conversation with closing note «Spam",
		"- Ferme la conversation et sélectionne la note de clôture « Spam",
		"- If x, assign to @\"Sales Team",
		"- If x, assign to @'",
		"\"",
		"'",
		"- If x, reply to the contact: \"Hi {{$contact.firstname\"",
		"- If x, reply to the contact: \"Hi {{$contact.",
		"- If x, reply with {{",
		"{{",
		"{{$",
		"{{$contact.}}",
		"$contact.",
		"$",
		"- If x, reply with {{{{{{{{{{{{{{{{{{{{",
		"- If x, reply with }}}}}}}}}}}}}}}}",
		// bare sigils
		"@", "%", "!", "@ ", "- assign to @", "- add %", "- trigger !", "- add % and @ and !",
		"- assign to @\"\"", "- set the \"\" field to \"\"",
		// separators and chains
		"- If x" + strings.Repeat(",", 10000) + " close the conversation.",
		strings.Repeat(",", 10000),
		strings.Repeat(".", 5000),
		strings.Repeat("- \n", 2000),
		strings.Repeat("@", 3000),
		strings.Repeat("\"", 3001),
		strings.Repeat("l'", 3000),
		"- If x, add %Pricing" + strings.Repeat(" and then add %Pricing", 2000) + ".",
		"- If x, assign to @A" + strings.Repeat(" and then", 3000),
		strings.Repeat("and then ", 3000),
		strings.Repeat("if ", 3000),
		"- If " + strings.Repeat("x and ", 2000) + "y, close the conversation.",
		"- Close the conversation if " + strings.Repeat("x or ", 2000) + "y.",
		"- Assign to @" + strings.Repeat("Sales ", 2000) + "by round robin.",
		"- Set the Budget field to " + strings.Repeat("9", 5000) + ".",
		// emoji and right-to-left text
		"- If the contact sends 👍🏽, add %Interested 🎉 and reply with 😀.",
		"- If 👨‍👩‍👧‍👦, assign to @👨‍👩‍👧‍👦 and add %🔥.",
		"- إذا سأل العميل عن السعر، assign to @Sales.",
		"- If x, reply to the contact: \"שלום {{$contact.firstname}}\".",
		"- If x\u202e, close the conversation\u202c.",
		"\u0301\u0301\u0301",
		"- If x,\u00a0close\u202fthe\u2009conversation.",
		"- If x\r\n  and y, close the conversation.\r\n- add %A",
		"> - If x, close the conversation.",
		"<!-- If x, close the conversation. -->",
		"- [ ] If x, close the conversation.\n- [x] add %A",
		"12345) If x, close.",
		"• Si x, ferme-la et transfère-la à @Équipe.",
		"- n'",
		"- qu'",
		"- Ne pas fermer la conversation.",
		"- Do not close the conversation and never assign to @A.",
	}
}

// exampleSeeds returns the instruction files of the example agents.
func exampleSeeds(tb testing.TB) [][]byte {
	paths, err := filepath.Glob("../examples/*/*.instr")
	if err != nil {
		tb.Fatal(err)
	}
	var out [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func addSeeds(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add([]byte(s))
	}
	for _, b := range exampleSeeds(f) {
		f.Add(b)
	}
}

// checkRange reports a range that is not inside text or runs backwards, and
// a line or column that does not match its offset.
func checkRange(src *diag.Source, what string, r diag.Range) error {
	n := len(src.Text)
	if r.Start.Offset < 0 || r.End.Offset > n || r.Start.Offset > r.End.Offset {
		return fmt.Errorf("%s: range [%d, %d) outside text of %d bytes or backwards", what, r.Start.Offset, r.End.Offset, n)
	}
	for _, p := range []diag.Pos{r.Start, r.End} {
		if want := src.Pos(p.Offset); p.Line != want.Line || p.Column != want.Column {
			return fmt.Errorf("%s: position %d:%d does not match offset %d (%d:%d)", what, p.Line, p.Column, p.Offset, want.Line, want.Column)
		}
	}
	return nil
}

// checkTokens reports tokens that leave [start, end], run backwards,
// overlap or come out of order.
func checkTokens(toks []Token, start, end int) error {
	prev := start
	for i, t := range toks {
		if t.Start < start || t.End > end || t.Start > t.End {
			return fmt.Errorf("token %d %s %q: [%d, %d) outside [%d, %d) or backwards", i, t.Kind, t.Text, t.Start, t.End, start, end)
		}
		if t.Start < prev {
			return fmt.Errorf("token %d %s %q starts at %d, before the previous token ends (%d)", i, t.Kind, t.Text, t.Start, prev)
		}
		prev = t.End
	}
	return nil
}

func checkFile(text []byte, f *File) error {
	if f == nil {
		return fmt.Errorf("Parse returned nil")
	}
	src := f.Source
	if src == nil || len(src.Text) != len(text) {
		return fmt.Errorf("File.Source does not hold the text")
	}
	if f.Language != "en" && f.Language != "fr" {
		return fmt.Errorf("language %q is neither en nor fr", f.Language)
	}
	for i, d := range f.Diagnostics {
		if err := checkRange(src, fmt.Sprintf("diagnostic %d %q (%s)", i, d.Message, d.Code), d.Range); err != nil {
			return err
		}
		if d.Code == "" || d.Message == "" {
			return fmt.Errorf("diagnostic %d has no code or message: %+v", i, d)
		}
		if i > 0 && f.Diagnostics[i-1].Range.Start.Offset > d.Range.Start.Offset {
			return fmt.Errorf("diagnostics are not sorted at %d", i)
		}
	}
	if f.Front.Present {
		if err := checkRange(src, "front matter", f.Front.Range); err != nil {
			return err
		}
	}
	for i, g := range f.Guidance {
		if err := checkRange(src, fmt.Sprintf("guidance %d", i), g.Range); err != nil {
			return err
		}
	}
	for i, sc := range f.Scenarios {
		what := fmt.Sprintf("scenario %d %q", i, sc.Text)
		if err := checkRange(src, what, sc.Range); err != nil {
			return err
		}
		if err := checkTokens(sc.Tokens, 0, len(text)); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		for j, c := range sc.Conditions {
			if err := checkRange(src, fmt.Sprintf("%s condition %d", what, j), c.Range); err != nil {
				return err
			}
		}
		for j, st := range sc.Steps {
			if err := checkRange(src, fmt.Sprintf("%s step %d (%s)", what, j, st.Kind), st.Range); err != nil {
				return err
			}
			for k, n := range append(append([]*Name{}, st.Names...), st.Mentions...) {
				if n == nil {
					return fmt.Errorf("%s step %d: nil name %d", what, j, k)
				}
				if err := checkRange(src, fmt.Sprintf("%s step %d name %q", what, j, n.Text), n.Range); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// raceEnabled reports whether the test binary was built with -race.
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

// parseBudget is how long parsing may take before it counts as a hang: 5
// seconds, plus 50µs a byte (20 KB/s, a small fraction of normal speed),
// twenty times that under the race detector. Parse runs in its own
// goroutine so that a hang fails the test at the budget instead of running
// to the test timeout.
func parseBudget(n int) time.Duration {
	d := 5*time.Second + time.Duration(n)*50*time.Microsecond
	if raceEnabled {
		d *= 20
	}
	return d
}

// parseWithin parses text and fails t if that takes longer than the budget.
func parseWithin(t *testing.T, text []byte, opts Options) *File {
	t.Helper()
	if raceEnabled && len(text) > 8<<10 {
		// The parser is single-goroutine: -race finds nothing here and makes
		// large inputs ten times slower. Plain `go test` runs them.
		t.Skipf("%d-byte input skipped under -race", len(text))
	}
	done := make(chan *File, 1)
	start := time.Now()
	go func() { done <- Parse("fuzz.instr", text, opts) }()
	budget := parseBudget(len(text))
	select {
	case f := <-done:
		return f
	case <-time.After(budget):
		t.Fatalf("hang: Parse of a %d-byte input did not finish within %v (started %v ago)", len(text), budget, time.Since(start).Round(time.Millisecond))
		return nil
	}
}

// FuzzParse feeds any bytes to Parse: it must not panic or hang, and every
// range it returns must lie inside the text.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text []byte) {
		file := parseWithin(t, text, Options{})
		if err := checkFile(text, file); err != nil {
			t.Fatal(err)
		}
		// The total reading: every token of every scenario is in exactly
		// one part (condition, step, reply, filler or unread run).
		for _, sc := range file.Scenarios {
			if err := sc.CheckReading(); err != nil {
				t.Fatal(err)
			}
		}
		if err := checkTokens(Lex(text, 0, len(text)), 0, len(text)); err != nil {
			t.Fatal(err)
		}
		// The same text with French messages parses the same way.
		fr := parseWithin(t, text, Options{Messages: "fr"})
		if len(fr.Scenarios) != len(file.Scenarios) || len(fr.Diagnostics) != len(file.Diagnostics) {
			t.Fatalf("message language changed the parse: %d/%d scenarios, %d/%d diagnostics",
				len(file.Scenarios), len(fr.Scenarios), len(file.Diagnostics), len(fr.Diagnostics))
		}
	})
}

// FuzzLex lexes any bytes, whole and in a sub-range: tokens stay inside the
// range, in order, without overlapping.
func FuzzLex(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add([]byte(s), uint16(0), uint16(len(s)))
		f.Add([]byte(s), uint16(1), uint16(len(s)/2))
	}
	for _, b := range exampleSeeds(f) {
		f.Add(b, uint16(0), uint16(len(b)))
	}
	f.Fuzz(func(t *testing.T, text []byte, a, b uint16) {
		if err := checkTokens(Lex(text, 0, len(text)), 0, len(text)); err != nil {
			t.Fatal(err)
		}
		start, end := min(int(a), len(text)), min(int(b), len(text))
		if start > end {
			start, end = end, start
		}
		toks := Lex(text, start, end)
		if err := checkTokens(toks, start, end); err != nil {
			t.Fatal(err)
		}
		for i, tk := range toks {
			if tk.Kind == KEOF {
				t.Fatalf("token %d is EOF", i)
			}
			if utf8.Valid(text[start:end]) && !utf8.ValidString(tk.Text) {
				t.Fatalf("token %d %q is not UTF-8 though its input is", i, tk.Text)
			}
		}
	})
}
