package bench

import (
	"bytes"
	"os"
	"sync"
	"testing"

	gherkin "github.com/cucumber/gherkin/go/v26"
	messages "github.com/cucumber/messages/go/v21"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/grammar"
	"github.com/instrc/instrc/workspace"
)

// Scenarios is the size of both generated files: DESIGN.md's target is that
// a 10,000-scenario file lints well under a second.
const Scenarios = 10_000

var (
	instrFile   = sync.OnceValue(func() []byte { return Instructions(Scenarios) })
	featureFile = sync.OnceValue(func() []byte { return Feature(Scenarios) })
)

func salesWorkspace(tb testing.TB) *workspace.Workspace {
	tb.Helper()
	b, err := os.ReadFile(SalesWorkspace)
	if err != nil {
		tb.Fatal(err)
	}
	ws, ds := workspace.Load(SalesWorkspace, b)
	if ds.HasErrors() {
		tb.Fatalf("%v", ds)
	}
	return ws
}

func parseFeature(text []byte) (*messages.GherkinDocument, error) {
	return gherkin.ParseGherkinDocument(bytes.NewReader(text), (&messages.Incrementing{}).NewId)
}

func countScenarios(doc *messages.GherkinDocument) int {
	n := 0
	if doc.Feature != nil {
		for _, c := range doc.Feature.Children {
			if c.Scenario != nil {
				n++
			}
		}
	}
	return n
}

func TestFilesAreComparable(t *testing.T) {
	instr, feature := instrFile(), featureFile()
	ratio := float64(len(feature)) / float64(len(instr))
	t.Logf("instructions: %d bytes, feature: %d bytes (ratio %.2f)", len(instr), len(feature), ratio)
	if ratio < 0.9 || ratio > 1.1 {
		t.Errorf("the feature file is %.0f%% of the instruction file's size: keep them within 10%%", ratio*100)
	}
	if !bytes.Equal(instr, Instructions(Scenarios)) || !bytes.Equal(feature, Feature(Scenarios)) {
		t.Error("the generators are not deterministic")
	}
}

func TestGherkinParsesFeature(t *testing.T) {
	doc, err := parseFeature(featureFile())
	if err != nil {
		t.Fatal(err)
	}
	if got := countScenarios(doc); got != Scenarios {
		t.Fatalf("gherkin found %d scenarios, want %d", got, Scenarios)
	}
}

func TestInstrcLintsInstructions(t *testing.T) {
	if testing.Short() {
		t.Skip("lints a 10,000-scenario file")
	}
	r := compiler.Run(compiler.Source{Filename: "generated.instr", Text: instrFile()}, compiler.Options{Workspace: salesWorkspace(t)})
	var errs []diag.Diagnostic
	for _, d := range r.Diagnostics {
		if d.Severity == diag.Error {
			errs = append(errs, d)
		}
	}
	if len(errs) > 0 {
		t.Fatalf("%d errors, first: %s: %s [%s]", len(errs), r.File.Source.Line(errs[0].Range.Start.Line), errs[0].Message, errs[0].Code)
	}
	if got := len(r.Plan.Scenarios); got != Scenarios {
		t.Fatalf("instrc compiled %d scenarios, want %d", got, Scenarios)
	}
}

// perRun reports scenarios per second, and the CPU time per run: on a
// shared machine wall time (ns/op) grows with other people's load, CPU time
// much less.
func perRun(b *testing.B, scenarios int, cpuStart int64) {
	b.ReportMetric(float64(scenarios)*float64(b.N)/b.Elapsed().Seconds(), "scenarios/s")
	if cpuStart > 0 {
		b.ReportMetric(float64(cpuTime()-cpuStart)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkInstrcParse is instrc's grammar alone: the counterpart of what
// the Gherkin parser does.
func BenchmarkInstrcParse(b *testing.B) {
	text := instrFile()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	var f *grammar.File
	cpu := cpuTime()
	for b.Loop() {
		f = grammar.Parse("generated.instr", text, grammar.Options{})
	}
	perRun(b, len(f.Scenarios), cpu)
}

// BenchmarkInstrcLint is `instrc lint` without the file reading and
// printing: parse, resolve against the workspace, check, lower to a plan.
func BenchmarkInstrcLint(b *testing.B) {
	text := instrFile()
	ws := salesWorkspace(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	var r *compiler.Result
	cpu := cpuTime()
	for b.Loop() {
		r = compiler.Run(compiler.Source{Filename: "generated.instr", Text: text}, compiler.Options{Workspace: ws})
	}
	perRun(b, len(r.Plan.Scenarios), cpu)
}

// BenchmarkGherkinParse is the Gherkin Go parser on a feature file of the
// same size and number of scenarios.
func BenchmarkGherkinParse(b *testing.B) {
	text := featureFile()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	var doc *messages.GherkinDocument
	cpu := cpuTime()
	for b.Loop() {
		var err error
		if doc, err = parseFeature(text); err != nil {
			b.Fatal(err)
		}
	}
	perRun(b, countScenarios(doc), cpu)
}
