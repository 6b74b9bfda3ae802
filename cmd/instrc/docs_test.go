package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// block returns the body of the first fenced block opened by fence (as
// "```yaml") after the heading, failing the test when there is none.
func block(t *testing.T, doc, heading, fence string) string {
	t.Helper()
	i := strings.Index(doc, heading)
	require.GreaterOrEqual(t, i, 0, "no heading %q", heading)
	rest := doc[i:]
	j := strings.Index(rest, fence+"\n")
	require.GreaterOrEqual(t, j, 0, "no %s block after %q", fence, heading)
	rest = rest[j+len(fence)+1:]
	k := strings.Index(rest, "\n```")
	require.GreaterOrEqual(t, k, 0)
	return rest[:k+1]
}

// lint runs instrc lint on files written to a temporary folder and returns
// its exit status and output.
func lintFilesIn(t *testing.T, files map[string]string, args ...string) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	t.Chdir(dir)
	var out, errb bytes.Buffer
	code := run(append([]string{"lint"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestReadmeTour checks that the README's tour instructions lint clean
// against the tour's own workspace, and so does its French sentence.
func TestReadmeTour(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	readme := string(b)
	instr := block(t, readme, "### Writing scenarios", "```text")
	ws := block(t, readme, "### The workspace", "```yaml")
	require.Contains(t, instr, "workspace: workspace.yaml")

	i := strings.Index(readme, "`Lorsqu'")
	require.GreaterOrEqual(t, i, 0, "the tour's French sentence")
	fr := readme[i+1:]
	fr = "---\nworkspace: workspace.yaml\n---\n- " + fr[:strings.Index(fr, "`")] + "\n"

	code, out, errs := lintFilesIn(t, map[string]string{"agent.instr": instr, "fr.instr": fr, "workspace.yaml": ws}, "agent.instr", "fr.instr")
	assert.Equal(t, 0, code)
	assert.Empty(t, out)
	assert.Empty(t, errs)
}

// TestLanguageWorkspaceExample checks the complete example of custom actions
// and workflows in docs/language.md: its English and French instructions
// lint clean against its workspace, and the assignment the text says would
// conflict does.
func TestLanguageWorkspaceExample(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "language.md"))
	require.NoError(t, err)
	doc := string(b)
	const section = "## The workspace: custom actions and workflows"
	ws := block(t, doc, section, "```yaml workspace.yaml")
	en := block(t, doc, section, "```instr agent.instr")
	fr := block(t, doc, section, "```instr fr.instr")
	for _, key := range []string{"request:", "auth:", "inputs:", "response_instructions:", "trigger:", "action:", "target:", "secret_env:"} {
		assert.Contains(t, ws, key, "the example workspace shows %s", key)
	}

	code, out, errs := lintFilesIn(t, map[string]string{"workspace.yaml": ws, "agent.instr": en, "fr.instr": fr}, "agent.instr", "fr.instr")
	assert.Equal(t, 0, code)
	assert.Empty(t, out)
	assert.Empty(t, errs)

	conflict := strings.Replace(en, "add %Refund and trigger !refund_processing", "add %Refund and assign to @Support", 1)
	require.NotEqual(t, en, conflict)
	_, out, _ = lintFilesIn(t, map[string]string{"workspace.yaml": ws, "agent.instr": conflict}, "agent.instr")
	assert.Contains(t, out, "[workflow-conflict]")
}

// TestMistakesReadmeCommand runs the command examples/mistakes/README.md
// gives, from the repository root, and checks that it prints the output the
// README shows, with the exit status it says.
func TestMistakesReadmeCommand(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "mistakes", "README.md"))
	require.NoError(t, err)
	readme := string(b)
	cmdLine := strings.TrimSpace(block(t, readme, "# Common mistakes", "```sh"))
	args, ok := strings.CutPrefix(cmdLine, "instrc ")
	require.True(t, ok, "the command is an instrc command: %q", cmdLine)
	want := block(t, readme, "## What lint says", "```text lint-output")
	require.Contains(t, readme, "`"+cmdLine+"` prints", "the README's text names the command it shows")

	t.Chdir(filepath.Join("..", ".."))
	var out, errb bytes.Buffer
	code := run(strings.Fields(args), strings.NewReader(""), &out, &errb)
	assert.Equal(t, 1, code, "the exit status is 1, since there are errors")
	if diff := cmp.Diff(want, out.String()+errb.String()); diff != "" {
		t.Errorf("%s does not print what the README shows (-README +got):\n%s", cmdLine, diff)
	}
}
