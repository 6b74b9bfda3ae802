package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/diag"
)

func TestGitHubAnnotations(t *testing.T) {
	ds := diag.Diagnostics{
		{Severity: diag.Error, Code: "unknown-tag", Message: "no tag is named \"Prícing\": use one, 100%\nsure", Suggestion: "Pricing",
			Range: diag.Range{Filename: "dir,1/a:b.instr", Start: diag.Pos{Line: 4, Column: 45}, End: diag.Pos{Line: 4, Column: 53}}},
		{Severity: diag.Warning, Code: "unconditional-action", Message: "no condition",
			Range: diag.Range{Filename: "a.instr", Start: diag.Pos{Line: 2, Column: 3}, End: diag.Pos{Line: 3, Column: 1}}},
		{Severity: diag.Error, Code: "workspace", Message: "no workspace file",
			Range: diag.Range{Filename: "a.instr", Start: diag.Pos{Line: 1, Column: 1}, End: diag.Pos{Line: 1, Column: 1}}},
	}
	var b bytes.Buffer
	require.NoError(t, writeGitHub(&b, ds))
	want := "::error file=dir%2C1/a%3Ab.instr,line=4,col=45,endLine=4,endColumn=53,title=unknown-tag::no tag is named \"Prícing\": use one, 100%25%0Asure (suggestion: Pricing)\n" +
		"::warning file=a.instr,line=2,col=3,endLine=3,endColumn=1,title=unconditional-action::no condition\n" +
		"::error file=a.instr,line=1,col=1,endLine=1,title=workspace::no workspace file\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// writeProject writes files (name → content) under a new folder.
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir
}

func TestLintGitHubFormat(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"ws.yaml":     "tags: [Pricing]\n",
		"agent.instr": "---\nworkspace: ws.yaml\n---\n- If the contact asks about prices, add %Pricng.\n",
	})
	out, _, code := lintWith(t, "-f", "github", dir)
	assert.Equal(t, exitErrors, code)
	assert.Contains(t, out, ",line=4,col=41,endLine=4,endColumn=48,title=unknown-tag::")
	assert.Regexp(t, `^::error file=\S*agent\.instr,`, out)
}
