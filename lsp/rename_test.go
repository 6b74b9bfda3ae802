package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.lsp.dev/uri"

	"github.com/instrc/instrc/compiler"
)

const renameWorkspace = `contact_fields:
  - {name: Budget, id: budget, type: number}
teams:
  - {name: Sales Team, members: [alice]}
users: [alice, "bob"]
tags: [Pricing, Cadeau]
workflows:
  - {name: welcome, trigger: conversation_opened, action: assign, target: alice}
`

const renameDoc = "---\nworkspace: workspace.yaml\n---\n" +
	"- If the contact asks about pricing, add %Pricing and assign to @\"Sales Team\".\n" +
	"- If the contact gives a budget, save it as the Budget field.\n" +
	"- If the contact gives a figure, save it as the budget field.\n" +
	"- Si le client écrit 🎁, ajoute %Cadeau et assigne à @alice.\n" +
	"- If the contact asks for bob, assign to @bob.\n"

// TestRename renames each kind of name and checks the edits, applied, leave
// files that compile without errors.
func TestRename(t *testing.T) {
	tests := []struct {
		name, at, newName string
		// want are strings the renamed files hold, not are those they no
		// longer hold.
		want, not []string
	}{
		{"tag to several words", "%Pricing", "Hot Price",
			[]string{`add %"Hot Price" and`, "tags: [Hot Price, Cadeau]"}, []string{"Pricing"}},
		{"quoted team", `@"Sales Team"`, "Sales Crew",
			[]string{`@"Sales Crew"`, "{name: Sales Crew, members: [alice]}"}, []string{"Sales Team"}},
		{"field by name, not by id", "Budget field", "Monthly Budget",
			[]string{`save it as the "Monthly Budget" field`, "save it as the budget field", "{name: Monthly Budget, id: budget"}, nil},
		{"user, team member and workflow target", "@alice", "Alice Martin",
			[]string{`assigne à @"Alice Martin"`, "members: [Alice Martin]", "users: [Alice Martin,", "target: Alice Martin}"}, []string{"alice"}},
		{"quoted YAML keeps its quotes", "@bob", "Bob: the builder",
			[]string{`@"Bob: the builder"`, `users: [alice, "Bob: the builder"]`}, nil},
		{"tag after an emoji", "%Cadeau", "Cadeau 🎀",
			[]string{`ajoute %"Cadeau 🎀" et`, "tags: [Pricing, Cadeau 🎀]"}, []string{"%Cadeau "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, e := setup(t, map[string]string{"workspace.yaml": renameWorkspace, "agent.instr": renameDoc})
			u := string(uri.File(filepath.Join(dir, "agent.instr")))
			wsURI := string(uri.File(filepath.Join(dir, "workspace.yaml")))
			open(e, u, renameDoc)
			e.diagnostics(u)
			line, col := utf16Col(renameDoc, tt.at)
			ren := e.call("textDocument/rename", map[string]any{
				"textDocument": map[string]any{"uri": u}, "position": pos(line, col+2), "newName": tt.newName,
			}).(map[string]any)
			changes := ren["changes"].(map[string]any)
			doc := applyEdits(t, renameDoc, changes[u].([]any))
			ws := applyEdits(t, renameWorkspace, changes[wsURI].([]any))
			both := doc + ws
			for _, w := range tt.want {
				assert.Contains(t, both, w)
			}
			for _, n := range tt.not {
				assert.NotContains(t, both, n)
			}
			require.NoError(t, os.WriteFile(filepath.Join(dir, "workspace.yaml"), []byte(ws), 0o644))
			res := compiler.Run(compiler.Source{Filename: filepath.Join(dir, "agent.instr"), Text: []byte(doc)}, compiler.Options{})
			assert.False(t, res.Diagnostics.HasErrors(), "after the rename: %v", res.Diagnostics)
		})
	}
}

// TestRenameRefused checks that rename and prepareRename refuse a place
// that is no workspace name, and a name with a double quote.
func TestRenameRefused(t *testing.T) {
	dir, e := setup(t, map[string]string{"workspace.yaml": renameWorkspace, "agent.instr": renameDoc})
	u := string(uri.File(filepath.Join(dir, "agent.instr")))
	open(e, u, renameDoc)
	e.diagnostics(u)
	line, col := utf16Col(renameDoc, "asks about")
	assert.Contains(t, e.callError("textDocument/prepareRename", at(u, line, col)), "no workspace name here")
	line, col = utf16Col(renameDoc, "%Pricing")
	assert.Contains(t, e.callError("textDocument/rename", map[string]any{
		"textDocument": map[string]any{"uri": u}, "position": pos(line, col+2), "newName": `Say "hi"`,
	}), "double quote")
	assert.True(t, strings.Contains(renameDoc, "%Pricing"))
}

// callError sends a request that must fail and returns its error message.
func (e *editor) callError(method string, params any) string {
	e.t.Helper()
	e.mu.Lock()
	e.nextID++
	id := e.nextID
	ch := make(chan wire, 1)
	e.waiting[id] = ch
	e.mu.Unlock()
	e.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	select {
	case m := <-ch:
		require.NotNil(e.t, m.Error, "%s succeeded", method)
		return m.Error.Message
	case <-time.After(10 * time.Second):
		e.t.Fatalf("no reply to %s", method)
		return ""
	}
}

// TestWorkspaceQuickFix checks the quick fix of a diagnostic in the
// workspace file: an unknown key replaced by the nearest allowed one.
func TestWorkspaceQuickFix(t *testing.T) {
	ws := "tag: [Pricing]\n"
	doc := "---\nworkspace: workspace.yaml\n---\n- If the contact asks about pricing, close the conversation.\n"
	dir, e := setup(t, map[string]string{"workspace.yaml": ws, "agent.instr": doc})
	u := string(uri.File(filepath.Join(dir, "agent.instr")))
	wsURI := string(uri.File(filepath.Join(dir, "workspace.yaml")))
	open(e, u, doc)
	e.diagnostics(u)
	got := e.call("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": wsURI},
		"range":        map[string]any{"start": pos(0, 1), "end": pos(0, 1)},
		"context":      map[string]any{"diagnostics": []any{}},
	}).([]any)
	require.Len(t, got, 1)
	edits := got[0].(map[string]any)["edit"].(map[string]any)["changes"].(map[string]any)[wsURI].([]any)
	assert.Equal(t, "tags: [Pricing]\n", applyEdits(t, ws, edits))
}
