package examples_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/instrc/instrc/internal/golden"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/scenariotest"
)

// clean lists the examples that must lint without a single diagnostic.
var clean = []string{"boutique", "cabinet", "coworking", "dentiste", "helpdesk", "sales", "support"}

// TestExamplePlans compiles every example and compares its plan with the
// plan.json next to it.
func TestExamplePlans(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("*", "agent.instr"))
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		names = append(names, filepath.Dir(f))
	}
	for _, name := range clean {
		require.Contains(t, names, name)
	}
	for _, name := range names {
		if !slices.Contains(clean, name) {
			continue
		}
		t.Run(name, func(t *testing.T) {
			res, err := compiler.CompileFile(filepath.Join(name, "agent.instr"), compiler.Options{})
			require.NoError(t, err)
			assert.Empty(t, render(t, res.Diagnostics, res.Sources), "%s must lint clean", name)

			got, err := ir.Marshal(res.Plan)
			require.NoError(t, err)
			golden.CheckFile(t, filepath.Join(name, "plan.json"), got)

			back, err := ir.Unmarshal(got)
			require.NoError(t, err)
			if diff := cmp.Diff(res.Plan, back); diff != "" {
				t.Errorf("plan does not round-trip through JSON (-compiled +read):\n%s", diff)
			}
			assert.NotEmpty(t, back.Scenarios)
		})
	}
}

// TestMistakes checks that examples/mistakes gets every diagnostic its README
// lists, and that the README shows the exact output of lint.
func TestMistakes(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("mistakes", "README.md"))
	require.NoError(t, err)
	// Paths as a user sees them when linting from the repository root.
	t.Chdir("..")
	path := filepath.Join("examples", "mistakes", "agent.instr")
	res, err := compiler.CompileFile(path, compiler.Options{})
	require.NoError(t, err)

	codes := readmeCodes(string(readme))
	require.NotEmpty(t, codes, "the README's table lists no codes")
	for _, code := range codes {
		_, ok := diag.RuleFor(code)
		assert.True(t, ok, "README lists %q, which is no diagnostic code", code)
		assert.True(t, slices.ContainsFunc(res.Diagnostics, func(d diag.Diagnostic) bool { return d.Code == code }),
			"%s has no %s diagnostic", path, code)
	}
	for _, d := range res.Diagnostics {
		assert.Contains(t, codes, d.Code, "%s:%d reports %s, which the README does not list", path, d.Range.Start.Line, d.Code)
	}

	errs, warns := res.Diagnostics.Count()
	out := render(t, res.Diagnostics, res.Sources) + fmt.Sprintf("%s, %s\n", plural(errs, "error"), plural(warns, "warning"))
	newReadme, ok := replaceBlock(string(readme), out)
	require.True(t, ok, "mistakes/README.md has no %q block", outputFence)
	if golden.Update() {
		require.NoError(t, os.WriteFile(filepath.Join("examples", "mistakes", "README.md"), []byte(newReadme), 0o644))
		return
	}
	if diff := cmp.Diff(string(readme), newReadme); diff != "" {
		t.Errorf("mistakes/README.md does not show the current lint output; run go test ./examples -update (-README +lint):\n%s", diff)
	}
}

func render(t *testing.T, ds diag.Diagnostics, srcs diag.Sources) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, diag.WriteText(&b, ds, srcs))
	return b.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// readmeCodes returns the codes in the "code" column of the README's table.
func readmeCodes(readme string) []string {
	var codes []string
	col := -1
	for _, line := range strings.Split(readme, "\n") {
		if !strings.HasPrefix(line, "|") {
			col = -1
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if col < 0 {
			col = slices.Index(cells, "code")
			continue
		}
		if col < len(cells) {
			for _, m := range codeRe.FindAllStringSubmatch(cells[col], -1) {
				if !slices.Contains(codes, m[1]) {
					codes = append(codes, m[1])
				}
			}
		}
	}
	return codes
}

var codeRe = regexp.MustCompile("`([a-z-]+)`")

// outputFence opens the README block that holds the lint output.
const outputFence = "```text lint-output"

// replaceBlock puts out in the README's output block.
func replaceBlock(readme, out string) (string, bool) {
	start := strings.Index(readme, outputFence+"\n")
	if start < 0 {
		return readme, false
	}
	body := start + len(outputFence) + 1
	end := strings.Index(readme[body:], "```")
	if end < 0 {
		return readme, false
	}
	return readme[:body] + out + readme[body+end:], true
}

// TestFlowExamples runs the scenario tests of the agents written in the
// structure respond.io's prompt guide recommends (a numbered flow with
// arrows and a fallback), English and French, offline.
func TestFlowExamples(t *testing.T) {
	for _, name := range []string{"helpdesk", "cabinet"} {
		t.Run(name, func(t *testing.T) {
			s, err := scenariotest.LoadFile(filepath.Join(name, "agent.test.yaml"))
			require.NoError(t, err)
			res, err := compiler.CompileFile(s.Agent, compiler.Options{WorkspacePath: s.Workspace})
			require.NoError(t, err)
			require.False(t, res.Diagnostics.HasErrors())
			var fallback, greeting int
			for _, sc := range res.Plan.Scenarios {
				if sc.Condition.Fallback {
					fallback++
				}
				if slices.Contains(sc.Condition.Intents, "greeting") && sc.Reply != nil && sc.Reply.Template != "" {
					greeting++
				}
			}
			assert.Equal(t, 1, fallback, "one fallback scenario")
			assert.Equal(t, 1, greeting, "the flow's greeting is the reply to a new conversation")
			r := scenariotest.Run(context.Background(), s, res.Plan, scenariotest.Options{})
			require.NoError(t, r.Err)
			require.NotEmpty(t, r.Cases)
			for _, c := range r.Cases {
				assert.True(t, c.Passed(), "%s: %s %+v", name, c.Name, c.Failures)
			}
		})
	}
}

// TestNewUserAgents runs, offline, the scenario tests of two agents written
// from the docs alone the way a new user would (English coworking, French
// dental practice): at least 40 cases, and no fewer passing than today (42
// of 42). A case that fails must be listed in docs/testing.md, "Known
// limits of the offline matcher".
func TestNewUserAgents(t *testing.T) {
	total, passed := 0, 0
	for _, name := range []string{"coworking", "dentiste"} {
		s, err := scenariotest.LoadFile(filepath.Join(name, "agent.test.yaml"))
		require.NoError(t, err)
		res, err := compiler.CompileFile(s.Agent, compiler.Options{WorkspacePath: s.Workspace})
		require.NoError(t, err)
		require.False(t, res.Diagnostics.HasErrors())
		r := scenariotest.Run(context.Background(), s, res.Plan, scenariotest.Options{})
		require.NoError(t, r.Err)
		for _, c := range r.Cases {
			total++
			if c.Passed() {
				passed++
			} else {
				t.Logf("%s: %s fails: %+v", name, c.Name, c.Failures)
			}
		}
	}
	require.GreaterOrEqual(t, total, 40)
	require.GreaterOrEqual(t, passed, 42, "%d of %d cases pass", passed, total)
}
