package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/diag"
)

func TestLoadReadsEveryKey(t *testing.T) {
	text := "workspace: ws/workspace.yaml\nlanguage: fr\nrules:\n  unconditional-action: off\n  vague-instruction: error\n  too-long: warning\nignore:\n  - drafts/**\n  - '*.draft.instr'\n"
	c, ds := Load("/p/instrc.yaml", []byte(text))
	require.Empty(t, ds)
	assert.Equal(t, "/p", c.Dir)
	assert.Equal(t, "/p/ws/workspace.yaml", c.WorkspacePath())
	assert.Equal(t, "fr", c.Language)
	assert.Equal(t, map[string]string{"unconditional-action": Off, "vague-instruction": Error, "too-long": Warning}, c.Rules)
	assert.Equal(t, []string{"drafts/**", "*.draft.instr"}, c.Ignore)
}

func TestLoadReportsUnknownKeysWithPositions(t *testing.T) {
	text := "workspace: w.yaml\nworkspcae: x\nrules:\n  unknown-feild: off\n  vague-instruction: warnng\n  syntax: off\nlanguage: de\n"
	_, ds := Load("instrc.yaml", []byte(text))
	type got struct {
		Line, Col  int
		Suggestion string
	}
	var gots []got
	for _, d := range ds {
		assert.Equal(t, Code, d.Code)
		assert.Equal(t, diag.Error, d.Severity)
		gots = append(gots, got{d.Range.Start.Line, d.Range.Start.Column, d.Suggestion})
	}
	want := []got{{2, 1, "workspace"}, {4, 3, "unknown-field"}, {5, 22, "warning"}, {6, 11, ""}, {7, 11, ""}}
	if diff := cmp.Diff(want, gots); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s\n%v", diff, ds)
	}
	assert.Contains(t, ds[0].Message, `unknown key "workspcae"`)
}

func TestLoadReportsYAMLSyntax(t *testing.T) {
	_, ds := Load("instrc.yaml", []byte("rules: [unclosed\n"))
	require.Len(t, ds, 1)
	assert.Contains(t, ds[0].Message, "YAML syntax")
}

func TestApplyChangesSeverities(t *testing.T) {
	c := &Config{Rules: map[string]string{"unconditional-action": Off, "vague-instruction": Error, "unknown-tag": Warning}}
	ds := diag.Diagnostics{
		{Code: "unconditional-action", Severity: diag.Warning},
		{Code: "vague-instruction", Severity: diag.Warning},
		{Code: "unknown-tag", Severity: diag.Error},
		{Code: "syntax", Severity: diag.Error},
	}
	want := diag.Diagnostics{
		{Code: "vague-instruction", Severity: diag.Error},
		{Code: "unknown-tag", Severity: diag.Warning},
		{Code: "syntax", Severity: diag.Error},
	}
	if diff := cmp.Diff(want, c.Apply(ds)); diff != "" {
		t.Error(diff)
	}
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"drafts/**", "drafts/a.instr", true},
		{"drafts/**", "drafts/x/y/a.instr", true},
		{"drafts/**", "main/a.instr", false},
		{"**/old.instr", "a/b/old.instr", true},
		{"**/old.instr", "old.instr", true},
		{"*.draft.instr", "deep/in/x.draft.instr", true},
		{"*.draft.instr", "x.instr", false},
		{"drafts/old", "drafts/old/a.instr", true},
		{"a/*.instr", "a/b.instr", true},
		{"a/*.instr", "b/b.instr", false},
	} {
		assert.Equal(t, tc.want, Match(tc.pattern, tc.name), "%s ~ %s", tc.pattern, tc.name)
	}
}

func TestIgnoredIsRelativeToTheConfigFolder(t *testing.T) {
	dir := t.TempDir()
	c := &Config{Dir: dir, Ignore: []string{"drafts/**"}}
	assert.True(t, c.Ignored(filepath.Join(dir, "drafts", "a.instr")))
	assert.False(t, c.Ignored(filepath.Join(dir, "agent.instr")))
	assert.False(t, c.Ignored(filepath.Join(filepath.Dir(dir), "drafts", "a.instr")))
}

func TestFindWalksUp(t *testing.T) {
	dir := t.TempDir()
	deep := filepath.Join(dir, "a", "b")
	require.NoError(t, os.MkdirAll(deep, 0o755))
	assert.Equal(t, "", Find(deep))
	require.NoError(t, os.WriteFile(filepath.Join(dir, FileName), []byte("language: en\n"), 0o644))
	assert.Equal(t, filepath.Join(dir, FileName), Find(deep))

	c, ds, err := ForPaths("", []string{filepath.Join(deep, "x.instr")})
	require.NoError(t, err)
	require.Empty(t, ds)
	assert.Equal(t, "en", c.Language)
}

func TestDefaults(t *testing.T) {
	c := &Config{Dir: "/proj", Workspace: "ws.yaml", Language: "fr"}
	m, w := c.Defaults()
	assert.Equal(t, "fr", m)
	assert.Equal(t, filepath.Join("/proj", "ws.yaml"), w)
	var none *Config
	m, w = none.Defaults()
	assert.Empty(t, m+w)
}
