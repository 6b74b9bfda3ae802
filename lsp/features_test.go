package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func TestMapperCountsUTF16(t *testing.T) {
	text := []byte("é😀x\nab")
	m := newMapper(text)
	for _, tc := range []struct {
		offset int
		pos    protocol.Position
	}{
		{0, protocol.Position{Line: 0, Character: 0}},
		{2, protocol.Position{Line: 0, Character: 1}}, // after é (2 bytes, 1 unit)
		{6, protocol.Position{Line: 0, Character: 3}}, // after 😀 (4 bytes, 2 units)
		{7, protocol.Position{Line: 0, Character: 4}},
		{8, protocol.Position{Line: 1, Character: 0}},
		{10, protocol.Position{Line: 1, Character: 2}},
	} {
		assert.Equal(t, tc.pos, m.position(tc.offset), "position(%d)", tc.offset)
		assert.Equal(t, tc.offset, m.offset(tc.pos), "offset(%v)", tc.pos)
	}
	// Inside a character or past the line's end: clamp.
	assert.Equal(t, 2, m.offset(protocol.Position{Line: 0, Character: 2}), "in the middle of the emoji")
	assert.Equal(t, 7, m.offset(protocol.Position{Line: 0, Character: 99}))
	assert.Equal(t, 10, m.offset(protocol.Position{Line: 9, Character: 0}))
	assert.Equal(t, protocol.Position{Line: 0, Character: 1}, m.position(3), "inside the emoji")
}

const frDoc = "---\nworkspace: workspace.yaml\nlanguage: fr\n---\n" +
	"- Si le client demande un cadeau, ajoute %Cadeau et assigne à @Équipe Logistique.\n"

func TestFrenchAccentsHoverAndDefinition(t *testing.T) {
	dir, e := setup(t, map[string]string{"workspace.yaml": testWorkspace})
	u := string(uri.File(filepath.Join(dir, "boutique.instr")))
	open(e, u, frDoc)
	same(t, "no diagnostics", js(t, `[]`), e.diagnostics(u))
	// "- Si le client demande un cadeau, ajoute %Cadeau et assigne à " is
	// 62 UTF-16 units and 63 bytes (à is one unit, two bytes).
	got := e.call("textDocument/hover", at(u, 4, 66))
	same(t, "hover on an accented team", js(t, `{
		"contents": {"kind": "markdown", "value": "**Équipe Logistique** — team\n\nMembers: chloé\n\nDeclared in workspace.yaml, line 9."},
		"range": {"start": {"line": 4, "character": 62}, "end": {"line": 4, "character": 80}}
	}`), got)
	got = e.call("textDocument/definition", at(u, 4, 70))
	same(t, "definition", js(t, `{"uri": "`+string(uri.File(filepath.Join(dir, "workspace.yaml")))+`",
		"range": {"start": {"line": 8, "character": 11}, "end": {"line": 8, "character": 28}}}`), got)
	got = e.call("textDocument/hover", at(u, 4, 3))
	assert.Nil(t, got)
}

// labels returns the labels and the replaced text of a completion reply.
func labels(t *testing.T, got any) (names []string, newTexts []string) {
	t.Helper()
	items := got.(map[string]any)["items"].([]any)
	for _, it := range items {
		m := it.(map[string]any)
		names = append(names, m["label"].(string))
		newTexts = append(newTexts, m["textEdit"].(map[string]any)["newText"].(string))
	}
	return names, newTexts
}

func TestCompletionContexts(t *testing.T) {
	dir, e := setup(t, map[string]string{"workspace.yaml": testWorkspace})
	u := string(uri.File(filepath.Join(dir, "c.instr")))
	lines := []string{
		"---", "workspace: workspace.yaml", "---",
		"- If x, assign to @Sa",                                  // 3
		"- If x, add %",                                          // 4
		"- If x, trigger !",                                      // 5
		"- If x, reply: \"Hi $contact.",                          // 6
		"- If x, reply: \"Hi {{ $contact.bu",                     // 7
		"- If x, update the lifecycle stage to ",                 // 8
		"- Si x, mets à jour l'étape du cycle de vie à « Qu",     // 9
		"- Si x, ferme la conversation avec la note de clôture ", // 10
		"- If x, set the field ",                                 // 11
		"- If x, close the conversation",                         // 12
	}
	text := ""
	for _, l := range lines {
		text += l + "\n"
	}
	open(e, u, text)
	e.diagnostics(u)
	end := func(line int) map[string]any { return at(u, line, len([]rune(lines[line]))) }

	names, _ := labels(t, e.call("textDocument/completion", end(3)))
	assert.Equal(t, []string{"Sales Team", "Équipe Logistique", "alice", "bob", "chloé", "Billing Bot"}, names)
	names, _ = labels(t, e.call("textDocument/completion", end(4)))
	assert.Equal(t, []string{"Pricing", "Cadeau"}, names)
	names, _ = labels(t, e.call("textDocument/completion", end(5)))
	assert.Equal(t, []string{"refund_processing"}, names, "unpublished workflows are not offered")
	names, _ = labels(t, e.call("textDocument/completion", end(6)))
	assert.Equal(t, []string{"budget", "Plan", "order_number"}, names)
	got := e.call("textDocument/completion", end(7))
	same(t, "field id after {{ $contact.", js(t, `{"label": "budget", "kind": 5, "detail": "Budget (number)", "sortText": "000", "filterText": "budget",
		"textEdit": {"range": {"start": {"line": 7, "character": 31}, "end": {"line": 7, "character": 33}}, "newText": "budget"}}`),
		got.(map[string]any)["items"].([]any)[0])
	names, inserts := labels(t, e.call("textDocument/completion", end(8)))
	assert.Equal(t, []string{"New Lead", "Qualified", "Customer"}, names)
	assert.Equal(t, []string{`"New Lead"`, "Qualified", "Customer"}, inserts)
	names, inserts = labels(t, e.call("textDocument/completion", end(9)))
	assert.Equal(t, []string{"New Lead", "Qualified", "Customer"}, names)
	assert.Equal(t, []string{"New Lead", "Qualified", "Customer"}, inserts, "inside « » no quotes are added")
	names, _ = labels(t, e.call("textDocument/completion", end(10)))
	assert.Equal(t, []string{"Issue Resolved", "Spam"}, names)
	names, _ = labels(t, e.call("textDocument/completion", end(11)))
	assert.Equal(t, []string{"Budget", "Plan", "Numéro de Commande"}, names)
	names, _ = labels(t, e.call("textDocument/completion", end(12)))
	assert.Empty(t, names, "no name is expected after a verb")
}

func TestWorkspaceReloadAndProjectConfig(t *testing.T) {
	// No front matter: the workspace comes from instrc.yaml.
	dir, e := setup(t, map[string]string{
		"workspace.yaml": testWorkspace,
		"instrc.yaml":    "workspace: workspace.yaml\nrules:\n  unconditional-action: off\n",
	})
	u := string(uri.File(filepath.Join(dir, "a.instr")))
	open(e, u, "- If the contact wants a gift, add %Gift.\n- Add %Cadeau.\n")
	diags := e.diagnostics(u).([]any)
	require.Len(t, diags, 1, "%v", diags)
	assert.Equal(t, "unknown-tag", diags[0].(map[string]any)["code"])

	// The workspace gains the tag: the watched-file event re-checks.
	ws := filepath.Join(dir, "workspace.yaml")
	updated := []byte(strings.Replace(testWorkspace, "tags: [Pricing, Cadeau]", "tags: [Pricing, Cadeau, Gift]", 1))
	require.NoError(t, os.WriteFile(ws, updated, 0o644))
	e.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": string(uri.File(ws)), "type": 2}}})
	same(t, "diagnostics after the workspace changed", js(t, `[]`), e.diagnostics(u))

	// A broken workspace shows its problem in the workspace file itself.
	require.NoError(t, os.WriteFile(ws, append(updated, []byte("colour: blue\n")...), 0o644))
	e.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": string(uri.File(ws))}})
	wsDiags := e.diagnostics(string(uri.File(ws))).([]any)
	require.Len(t, wsDiags, 1)
	assert.Equal(t, "workspace", wsDiags[0].(map[string]any)["code"])
}
