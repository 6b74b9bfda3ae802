package runtime_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/scenariotest"
)

// heldout is the held-out corpus in testdata/heldout: agents, workspaces and
// scenario tests written from the documentation alone, never tuned against.
// passed is how many cases pass offline today; known lists the cases that
// fail for a reason docs/runtime.md gives under "Known limits". Any other
// failing case, or fewer passes, is a regression.
var heldout = []struct {
	name   string
	passed int
	known  []string
}{
	{"tasklane", 20, nil},
	{"locaroute", 16, []string{"suivi de réservation en plusieurs tours", "client professionnel"}},
	{"nimbus", 21, []string{
		"greeting plus bill question with the account number inside the sentence",
		"port-in collected over three turns without asking twice",
	}},
	{"azur", 23, nil},
	{"northwind", 18, []string{
		"greeting plus dispute request, date given in the sentence, then the details",
	}},
	{"assurazur", 17, []string{
		"injection de consignes",
	}},
}

func TestHeldOutCorpus(t *testing.T) {
	for _, h := range heldout {
		t.Run(h.name, func(t *testing.T) {
			s, err := scenariotest.LoadFile(filepath.Join("testdata", "heldout", h.name, "agent.test.yaml"))
			require.NoError(t, err)
			res, err := compiler.CompileFile(s.Agent, compiler.Options{WorkspacePath: s.Workspace})
			require.NoError(t, err)
			require.False(t, res.Diagnostics.HasErrors(), "%s must compile: %v", h.name, res.Diagnostics)
			r := scenariotest.Run(context.Background(), s, res.Plan, scenariotest.Options{})
			require.NoError(t, r.Err)
			passed := 0
			var unexpected []string
			for _, c := range r.Cases {
				switch {
				case c.Passed():
					passed++
					if slices.Contains(h.known, c.Name) {
						t.Logf("%s: %q passes now: take it off the known failures", h.name, c.Name)
					}
				case !slices.Contains(h.known, c.Name):
					unexpected = append(unexpected, c.Name)
					t.Errorf("%s: %q fails: %+v", h.name, c.Name, c.Failures)
				}
			}
			diff(t, []string(nil), unexpected)
			assert.GreaterOrEqual(t, passed, h.passed, "%s: %d of %d cases pass", h.name, passed, len(r.Cases))
		})
	}
}
