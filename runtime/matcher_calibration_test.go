package runtime_test

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/scenariotest"
)

// calibration is how the matcher's confidence splits the labelled turns of
// a corpus: turns it is sure of (Confidence ≥ SureConfidence) and the
// others, each right or wrong.
type calibration struct {
	sureRight, sureWrong, unsureRight, unsureWrong int
}

func (c calibration) total() int {
	return c.sureRight + c.sureWrong + c.unsureRight + c.unsureWrong
}

var expectLine = regexp.MustCompile(`^(?i)(?:line|ligne)\s+(\d+)$`)

// expectedScenario resolves a test's expected scenario ("s3", "line 12",
// "none") to a scenario id, "" for none.
func expectedScenario(p *ir.Plan, want string) string {
	w := strings.TrimSpace(want)
	switch strings.ToLower(w) {
	case "none", "aucun", "null", "~":
		return ""
	}
	if m := expectLine.FindStringSubmatch(w); m != nil {
		line, _ := strconv.Atoi(m[1])
		for _, sc := range p.Scenarios {
			if sc.Line == line {
				return sc.ID
			}
		}
	}
	return w
}

// calibrate runs every case of a scenario test file offline, turn by turn,
// and sorts the turns that say which scenario they expect by the matcher's
// confidence and whether its choice was right.
func calibrate(t *testing.T, file string) calibration {
	t.Helper()
	s, err := scenariotest.LoadFile(file)
	require.NoError(t, err)
	res, err := compiler.CompileFile(s.Agent, compiler.Options{WorkspacePath: s.Workspace})
	require.NoError(t, err)
	require.False(t, res.Diagnostics.HasErrors(), "%s: %v", file, res.Diagnostics)
	now := wednesday10am
	if s.Now != nil {
		now = *s.Now
	}
	var c calibration
	ctx := context.Background()
	for ci, cs := range s.Cases {
		e, b := newEngine(t, res.Plan, runtime.Options{Clock: func() time.Time { return now }})
		id := fmt.Sprint("case", ci)
		contact := runtime.Contact{ID: id, Fields: map[string]string{}, Lifecycle: cs.Contact.Lifecycle, Tags: cs.Contact.Tags}
		for k, v := range cs.Contact.Fields {
			name := k
			if f, ok := res.Plan.Workspace.Field(k); ok {
				name = f.Name
			}
			contact.Fields[name] = v
		}
		require.NoError(t, b.PutContact(ctx, contact))
		var history []runtime.Message
		for i, st := range cs.Steps {
			if st.Role == runtime.RoleAgent {
				history = append(history, runtime.Message{Role: runtime.RoleAgent, Text: st.Text})
				continue
			}
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: id, ContactID: id, MessageID: fmt.Sprint(id, "-", i),
				Text: st.Text, History: append([]runtime.Message(nil), history...)})
			require.NoError(t, err)
			history = append(history, runtime.Message{Role: runtime.RoleContact, Text: st.Text})
			if r.ReplySent {
				history = append(history, runtime.Message{Role: runtime.RoleAgent, Text: r.Reply})
			}
			if st.Expect == nil || st.Expect.Scenario == nil {
				continue
			}
			right := r.Scenario == expectedScenario(res.Plan, st.Expect.Scenario.Text)
			sure := r.Confidence >= runtime.SureConfidence
			switch {
			case sure && right:
				c.sureRight++
			case sure:
				c.sureWrong++
				t.Logf("%s: sure (%.2f) and wrong: %q ran %s: %s", filepath.Base(filepath.Dir(file)), r.Confidence, st.Text, r.Scenario, r.Why)
			case right:
				c.unsureRight++
			default:
				c.unsureWrong++
			}
		}
	}
	return c
}

// TestConfidenceCalibratedOnHeldOut checks that the confidence threshold
// separates right from wrong on conversations the matcher was not tuned on
// (testdata/heldout): sure and wrong on at most 2% of the labelled turns,
// and a sure choice right more often than an unsure one.
func TestConfidenceCalibratedOnHeldOut(t *testing.T) {
	var all calibration
	for _, h := range heldout {
		c := calibrate(t, filepath.Join("testdata", "heldout", h.name, "agent.test.yaml"))
		t.Logf("%s: %d labelled turns, sure %d (%d wrong), unsure %d (%d wrong)", h.name, c.total(),
			c.sureRight+c.sureWrong, c.sureWrong, c.unsureRight+c.unsureWrong, c.unsureWrong)
		all.sureRight += c.sureRight
		all.sureWrong += c.sureWrong
		all.unsureRight += c.unsureRight
		all.unsureWrong += c.unsureWrong
	}
	require.Positive(t, all.total())
	sure := all.sureRight + all.sureWrong
	unsure := all.unsureRight + all.unsureWrong
	require.Positive(t, sure, "some turns are sure")
	assert.LessOrEqual(t, float64(all.sureWrong)/float64(all.total()), 0.02, "sure and wrong: %d of %d turns", all.sureWrong, all.total())
	if unsure > 0 {
		assert.Greater(t, float64(all.sureRight)/float64(sure), float64(all.unsureRight)/float64(unsure),
			"a sure choice is right more often than an unsure one")
	}
}
