package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// project is a folder with instrc.yaml, a workspace and two files: one with
// a warning only (an unconditional action) and one in drafts/ with an error.
func project(t *testing.T, config string) string {
	return writeProject(t, map[string]string{
		"instrc.yaml":           config,
		"ws/workspace.yaml":     "tags: [Pricing]\nclosing_notes: [Spam]\n",
		"other.yaml":            "tags: [Other]\n",
		"agents/a.instr":        "- Add %Pricing.\n",
		"agents/drafts/b.instr": "- If the message is spam, close the conversation with closing note Spamm.\n",
	})
}

func TestLintReadsInstrcYAML(t *testing.T) {
	dir := project(t, "workspace: ws/workspace.yaml\n")
	out, _, code := lintWith(t, "-f", "json", filepath.Join(dir, "agents"))
	assert.Equal(t, exitErrors, code, out)
	assert.Contains(t, out, `"code": "unconditional-action"`)
	assert.Contains(t, out, `"code": "unknown-closing-note"`)
	assert.NotContains(t, out, `"code": "workspace"`, "the workspace comes from instrc.yaml")
}

func TestLintIgnoresAndReconfiguresRules(t *testing.T) {
	dir := project(t, "workspace: ws/workspace.yaml\nlanguage: fr\nignore: [agents/drafts/**]\nrules:\n  unconditional-action: error\n")
	out, _, code := lintWith(t, filepath.Join(dir, "agents"))
	assert.Equal(t, exitErrors, code)
	assert.Contains(t, out, "a.instr:1:3: error:")
	assert.Contains(t, out, "cette action n'a pas de condition", "language: fr sets the messages' language")
	assert.NotContains(t, out, "b.instr", "drafts are ignored")

	dir = project(t, "workspace: ws/workspace.yaml\nignore: [agents/drafts/**]\nrules:\n  unconditional-action: off\n")
	out, _, code = lintWith(t, filepath.Join(dir, "agents"))
	assert.Equal(t, exitOK, code)
	assert.Empty(t, out)
}

func TestLintWorkspacePrecedence(t *testing.T) {
	dir := project(t, "workspace: other.yaml\nignore: [agents/drafts/**]\n")
	// instrc.yaml's workspace has no tag Pricing.
	out, _, code := lintWith(t, "-f", "json", filepath.Join(dir, "agents"))
	assert.Equal(t, exitErrors, code)
	assert.Contains(t, out, `"code": "unknown-tag"`)
	// --workspace wins over instrc.yaml.
	out, _, code = lintWith(t, "-f", "json", "--workspace", filepath.Join(dir, "ws", "workspace.yaml"), filepath.Join(dir, "agents"))
	assert.Equal(t, exitOK, code, out)
}

func TestLintMaxWarnings(t *testing.T) {
	dir := project(t, "workspace: ws/workspace.yaml\nignore: [agents/drafts/**]\n")
	_, _, code := lintWith(t, filepath.Join(dir, "agents"))
	assert.Equal(t, exitOK, code, "warnings alone pass")
	_, _, code = lintWith(t, "--max-warnings", "1", filepath.Join(dir, "agents"))
	assert.Equal(t, exitOK, code)
	_, stderr, code := lintWith(t, "--max-warnings", "0", filepath.Join(dir, "agents"))
	assert.Equal(t, exitErrors, code)
	assert.Contains(t, stderr, "more than --max-warnings 0")
}

func TestLintRejectsUnknownConfigKeys(t *testing.T) {
	dir := project(t, "workspace: ws/workspace.yaml\nignores: [x]\n")
	_, stderr, code := lintWith(t, filepath.Join(dir, "agents"))
	assert.Equal(t, exitCannot, code)
	assert.Contains(t, stderr, "instrc.yaml:2:1: error: unknown key \"ignores\"")
}
