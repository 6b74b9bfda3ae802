package compiler_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/workspace"
)

func TestStagesRunInOrderAndStop(t *testing.T) {
	ws, ds := workspace.Load("ws.yaml", []byte("name: Acme\ntags:\n  - Refund\n"))
	require.Empty(t, ds)
	src := compiler.Source{Filename: "a.instr", Text: []byte("- If the customer wants a refund, add %Refnd.\n")}

	var names []string
	for _, st := range compiler.Stages {
		names = append(names, st.Name)
	}
	if diff := cmp.Diff([]string{"parse", "workspace", "resolve", "check", "lower"}, names); diff != "" {
		t.Fatalf("stages (-want +got):\n%s", diff)
	}

	full := compiler.Run(src, compiler.Options{Workspace: ws})
	require.Len(t, full.Timings, len(compiler.Stages))
	require.NotNil(t, full.Plan)
	assert.True(t, full.Diagnostics.HasErrors(), "the misspelt tag is reported by resolve")

	parsed := compiler.Run(src, compiler.Options{Workspace: ws, StopAfter: "parse"})
	assert.Len(t, parsed.Timings, 1)
	assert.NotNil(t, parsed.File)
	assert.Nil(t, parsed.Workspace, "the workspace stage did not run")
	assert.Nil(t, parsed.Plan)
	assert.Empty(t, parsed.Diagnostics)

	resolved := compiler.Run(src, compiler.Options{Workspace: ws, StopAfter: "resolve"})
	assert.Len(t, resolved.Timings, 3)
	assert.Nil(t, resolved.Plan, "lower did not run")
	assert.Equal(t, full.Diagnostics, resolved.Diagnostics, "resolve alone finds the unknown tag")
}
