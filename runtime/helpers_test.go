package runtime_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

// wednesday10am is inside the default business hours.
var wednesday10am = time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC)

func clockAt(t time.Time) func() time.Time { return func() time.Time { return t } }

// acmePlan reads the test plan, so that every test also checks the plan's
// JSON form.
func acmePlan(t testing.TB) *ir.Plan {
	t.Helper()
	f, err := os.Open("testdata/acme.plan.json")
	require.NoError(t, err)
	defer f.Close()
	p, err := ir.Read(f)
	require.NoError(t, err)
	return p
}

// newEngine returns an engine over a fresh in-memory backend seeded with the
// plan's teams.
func newEngine(t testing.TB, p *ir.Plan, opts runtime.Options) (*runtime.Engine, *runtime.MemoryBackend) {
	t.Helper()
	b := runtime.NewMemoryBackend()
	require.NoError(t, runtime.SeedWorkspace(context.Background(), b, p.Workspace))
	opts.Backend = b
	if opts.Clock == nil {
		opts.Clock = clockAt(wednesday10am)
	}
	if opts.Model != nil && opts.ModelSureMatch == 0 {
		// Tests of the model's answers need the model asked on every
		// turn; those of the skip decision set the thresholds.
		opts.ModelSureMatch, opts.ModelSureNone = 2, -1
	}
	e, err := runtime.New(p, opts)
	require.NoError(t, err)
	return e, b
}

func statuses(r runtime.TurnResult) []string {
	var out []string
	for _, a := range r.Actions {
		out = append(out, a.Status)
	}
	return out
}

func diff(t *testing.T, want, got any, opts ...cmp.Option) {
	t.Helper()
	if d := cmp.Diff(want, got, opts...); d != "" {
		t.Errorf("mismatch (-want +got):\n%s", d)
	}
}

// planWith builds a one-scenario plan over the acme workspace.
func planWith(t testing.TB, s ir.Scenario) *ir.Plan {
	t.Helper()
	p := acmePlan(t)
	if s.ID == "" {
		s.ID = "s1"
	}
	p.Scenarios = []ir.Scenario{s}
	return p
}

var always = ir.Condition{Text: "", Always: true}
