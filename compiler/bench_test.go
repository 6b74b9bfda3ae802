package compiler

import (
	"os"
	"sync"
	"testing"

	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/grammar"
	"github.com/instrc/instrc/workspace"
)

// benchScenarios is the size of the generated file the benchmarks lint:
// The target is that a 10,000-scenario file lints well under a
// second.
const benchScenarios = 10_000

var (
	benchEN = sync.OnceValue(func() []byte { return genEN.generate(benchScenarios) })
	benchFR = sync.OnceValue(func() []byte { return genFR.generate(benchScenarios) })
)

func benchWorkspace(tb testing.TB, path string) *workspace.Workspace {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	ws, ds := workspace.Load(path, b)
	if ds.HasErrors() {
		tb.Fatalf("%s: %v", path, ds)
	}
	return ws
}

// errorsOf returns the error diagnostics, with the source line of each.
func errorsOf(ds diag.Diagnostics, src *diag.Source) []string {
	var out []string
	for _, d := range ds {
		if d.Severity == diag.Error {
			out = append(out, d.Range.Filename+":"+src.Line(d.Range.Start.Line)+": "+d.Message+" ["+d.Code+"]")
		}
	}
	return out
}

// TestGeneratedFiles checks that the benchmark files are what they claim:
// deterministic, 10,000 scenarios, no errors.
func TestGeneratedFiles(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("lints two 10,000-scenario files (skipped with -short and -race)")
	}
	for _, c := range []struct {
		lang, ws string
		gen      genSpec
	}{
		{"en", "../examples/sales/workspace.yaml", genEN},
		{"fr", "../examples/boutique/workspace.yaml", genFR},
	} {
		t.Run(c.lang, func(t *testing.T) {
			text := c.gen.generate(benchScenarios)
			if string(text) != string(c.gen.generate(benchScenarios)) {
				t.Fatal("the generator is not deterministic")
			}
			r := Run(Source{Filename: "generated.instr", Text: text}, Options{Workspace: benchWorkspace(t, c.ws)})
			if errs := errorsOf(r.Diagnostics, r.File.Source); len(errs) > 0 {
				n := min(len(errs), 10)
				t.Fatalf("%d errors, first %d:\n%v", len(errs), n, errs[:n])
			}
			if r.File.Language != c.lang {
				t.Errorf("language %q, want %q", r.File.Language, c.lang)
			}
			if got := len(r.Plan.Scenarios); got != benchScenarios {
				t.Errorf("%d scenarios in the plan, want %d", got, benchScenarios)
			}
			t.Logf("%d bytes, %d scenarios, %d warnings", len(text), len(r.Plan.Scenarios), len(r.Diagnostics))
		})
	}
}

// benchLint compiles text end to end (parse, resolve, check, lower) and
// reports bytes, scenarios and allocations per run.
func benchLint(b *testing.B, text []byte, wsPath string) {
	ws := benchWorkspace(b, wsPath)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	var r *Result
	for b.Loop() {
		r = Run(Source{Filename: "generated.instr", Text: text}, Options{Workspace: ws})
	}
	if r.Diagnostics.HasErrors() {
		b.Fatalf("generated file has errors: %v", errorsOf(r.Diagnostics, r.File.Source)[0])
	}
	b.ReportMetric(float64(len(r.Plan.Scenarios))*float64(b.N)/b.Elapsed().Seconds(), "scenarios/s")
}

// benchParse runs the grammar alone.
func benchParse(b *testing.B, text []byte) {
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	var f *grammar.File
	for b.Loop() {
		f = grammar.Parse("generated.instr", text, grammar.Options{})
	}
	b.ReportMetric(float64(len(f.Scenarios))*float64(b.N)/b.Elapsed().Seconds(), "scenarios/s")
}

func BenchmarkLint10k(b *testing.B)   { benchLint(b, benchEN(), "../examples/sales/workspace.yaml") }
func BenchmarkLint10kFR(b *testing.B) { benchLint(b, benchFR(), "../examples/boutique/workspace.yaml") }
func BenchmarkParse10k(b *testing.B)  { benchParse(b, benchEN()) }
func BenchmarkParse10kFR(b *testing.B) {
	benchParse(b, benchFR())
}
