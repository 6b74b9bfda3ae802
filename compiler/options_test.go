package compiler_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/compiler"
)

// The workspace comes from --workspace, else the file's front matter, else
// instrc.yaml's default; the language of messages from the option, else
// the configuration's default, else the file's.
func TestWorkspacePrecedence(t *testing.T) {
	dir := t.TempDir()
	write := func(name, stage string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte("name: "+name+"\nlifecycle_stages:\n  - "+stage+"\n"), 0o644))
		return p
	}
	write("front.yaml", "Front")
	cli, def := write("cli.yaml", "Cli"), write("default.yaml", "Default")
	withFront := []byte("---\nworkspace: front.yaml\n---\n- If the contact is happy, update the lifecycle stage to Front.\n")
	without := []byte("- If the contact is happy, update the lifecycle stage to Default.\n")
	file := filepath.Join(dir, "agent.instr")

	tests := []struct {
		name string
		text []byte
		opts compiler.Options
		want string
	}{
		{"front matter beats the configuration", withFront, compiler.Options{}.WithDefaults("", def), "front.yaml"},
		{"the configuration when no front matter", without, compiler.Options{}.WithDefaults("", def), "default.yaml"},
		{"--workspace beats everything", withFront, compiler.Options{WorkspacePath: cli}.WithDefaults("", def), "cli.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := compiler.Run(compiler.Source{Filename: file, Text: tt.text}, tt.opts)
			require.NotNil(t, res.Workspace)
			assert.Equal(t, tt.want, filepath.Base(res.Workspace.File))
		})
	}

	res := compiler.Run(compiler.Source{Filename: file, Text: without}, compiler.Options{})
	require.NotEmpty(t, res.Diagnostics, "no workspace anywhere is reported")

	assert.Equal(t, "fr", compiler.Options{}.WithDefaults("fr", "").Messages)
	assert.Equal(t, "en", compiler.Options{Messages: "en"}.WithDefaults("fr", "").Messages, "the option beats the configuration")
}
