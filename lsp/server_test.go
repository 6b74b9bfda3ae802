package lsp

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.lsp.dev/uri"
)

const testWorkspace = `contact_fields:
  - {name: Budget, id: budget, type: number}
  - {name: Plan, type: list, options: [Free, Pro]}
  - {name: Numéro de Commande, id: order_number, type: text}
lifecycle_stages: [New Lead, Qualified, Customer]
closing_notes: [Issue Resolved, Spam]
teams:
  - {name: Sales Team, members: [alice, bob]}
  - {name: Équipe Logistique, members: [chloé]}
users: [alice, bob, chloé]
ai_agents: [Billing Bot]
tags: [Pricing, Cadeau]
workflows:
  - {name: refund_processing, published: true}
  - {name: draft_flow, published: false}
`

// The emoji take two UTF-16 units each (and four bytes): every position on
// that line differs between bytes, characters and UTF-16.
const testDoc = "---\nworkspace: workspace.yaml\n---\n" +
	"- If the contact asks about pricing, assign to @Sales Team by round robin.\n" +
	"- If the contact sends 🎉🎉, add %Pricng.\n"

func setup(t *testing.T, files map[string]string) (dir string, e *editor) {
	t.Helper()
	dir = t.TempDir()
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	e = startEditor(t)
	init := e.call("initialize", map[string]any{"processId": nil, "rootUri": string(uri.File(dir)), "capabilities": map[string]any{}})
	same(t, "initialize", js(t, `{
		"capabilities": {
			"positionEncoding": "utf-16",
			"textDocumentSync": {"openClose": true, "change": 2, "save": true},
			"completionProvider": {"triggerCharacters": ["@", "%", "!", ".", " ", "\""]},
			"hoverProvider": true,
			"definitionProvider": true,
			"documentSymbolProvider": true,
			"documentFormattingProvider": true,
			"referencesProvider": true,
			"renameProvider": {"prepareProvider": true},
			"codeActionProvider": {"codeActionKinds": ["quickfix"]}
		},
		"serverInfo": {"name": "instrc"}
	}`), init)
	e.notify("initialized", map[string]any{})
	return dir, e
}

func open(e *editor, u, text string) {
	e.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": u, "languageId": "instr", "version": 1, "text": text}})
}

func pos(line, char int) map[string]any { return map[string]any{"line": line, "character": char} }

func at(u string, line, char int) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": u}, "position": pos(line, char)}
}

func TestSession(t *testing.T) {
	dir, e := setup(t, map[string]string{"workspace.yaml": testWorkspace, "agent.instr": testDoc})
	u := string(uri.File(filepath.Join(dir, "agent.instr")))
	wsURI := string(uri.File(filepath.Join(dir, "workspace.yaml")))
	open(e, u, testDoc)

	// "%Pricng" starts after "- If the contact sends " (23 units), two
	// emoji (4 units) and ", add " (6 units).
	unknownTag := `{"range": {"start": {"line": 4, "character": 33}, "end": {"line": 4, "character": 40}},
		"severity": 1, "code": "unknown-tag", "source": "instrc",
		"message": "no tag is named \"Pricng\" in the workspace: use one of its tags (did you mean \"Pricing\"?)"}`
	same(t, "diagnostics on open", js(t, `[`+unknownTag+`]`), e.diagnostics(u))

	t.Run("codeAction", func(t *testing.T) {
		got := e.call("textDocument/codeAction", map[string]any{
			"textDocument": map[string]any{"uri": u},
			"range":        map[string]any{"start": pos(4, 35), "end": pos(4, 35)},
			"context":      map[string]any{"diagnostics": []any{}},
		})
		same(t, "quick fix", js(t, fmt.Sprintf(`[{
			"title": "Replace with %%Pricing", "kind": "quickfix", "isPreferred": true,
			"diagnostics": [%s],
			"edit": {"changes": {%q: [{"range": {"start": {"line": 4, "character": 33}, "end": {"line": 4, "character": 40}}, "newText": "%%Pricing"}]}}
		}]`, unknownTag, u)), got)
	})

	t.Run("hover", func(t *testing.T) {
		got := e.call("textDocument/hover", at(u, 3, 52))
		same(t, "hover on a team", js(t, `{
			"contents": {"kind": "markdown", "value": "**Sales Team** — team\n\nMembers: alice, bob\n\nDeclared in workspace.yaml, line 8."},
			"range": {"start": {"line": 3, "character": 47}, "end": {"line": 3, "character": 58}}
		}`), got)
		assert.Nil(t, e.call("textDocument/hover", at(u, 3, 5)), "no name under the cursor")
	})

	t.Run("definition", func(t *testing.T) {
		got := e.call("textDocument/definition", at(u, 3, 50))
		same(t, "definition of a team", js(t, fmt.Sprintf(`{"uri": %q,
			"range": {"start": {"line": 7, "character": 11}, "end": {"line": 7, "character": 21}}}`, wsURI)), got)
	})

	// The quick fix, applied as the editor would: an incremental change.
	e.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": u, "version": 2},
		"contentChanges": []any{map[string]any{"range": map[string]any{"start": pos(4, 33), "end": pos(4, 40)}, "text": "%Pricing"}},
	})
	same(t, "diagnostics after the fix", js(t, `[]`), e.diagnostics(u))

	t.Run("hover after an edit", func(t *testing.T) {
		got := e.call("textDocument/hover", at(u, 4, 36))
		same(t, "hover on a tag after emoji", js(t, `{
			"contents": {"kind": "markdown", "value": "**Pricing** — tag\n\nDeclared in workspace.yaml, line 12."},
			"range": {"start": {"line": 4, "character": 33}, "end": {"line": 4, "character": 41}}
		}`), got)
	})

	t.Run("documentSymbol", func(t *testing.T) {
		got := e.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": u}})
		same(t, "one symbol per scenario", js(t, `[
			{"name": "If the contact asks about pricing", "detail": "assign", "kind": 24,
			 "range": {"start": {"line": 3, "character": 2}, "end": {"line": 3, "character": 74}},
			 "selectionRange": {"start": {"line": 3, "character": 5}, "end": {"line": 3, "character": 35}}},
			{"name": "If the contact sends 🎉🎉", "detail": "add-tag", "kind": 24,
			 "range": {"start": {"line": 4, "character": 2}, "end": {"line": 4, "character": 42}},
			 "selectionRange": {"start": {"line": 4, "character": 5}, "end": {"line": 4, "character": 27}}}
		]`), got)
	})

	// Append a line, then complete a closing note at its end.
	e.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": u, "version": 3},
		"contentChanges": []any{map[string]any{"range": map[string]any{"start": pos(5, 0), "end": pos(5, 0)}, "text": "- If it is spam, close the conversation with closing note Iss"}},
	})
	e.diagnostics(u)
	t.Run("completion", func(t *testing.T) {
		got := e.call("textDocument/completion", at(u, 5, 61))
		same(t, "closing notes", js(t, `{"isIncomplete": false, "items": [
			{"label": "Issue Resolved", "kind": 20, "detail": "closing note", "sortText": "000", "filterText": "Issue Resolved",
			 "textEdit": {"range": {"start": {"line": 5, "character": 58}, "end": {"line": 5, "character": 61}}, "newText": "\"Issue Resolved\""}},
			{"label": "Spam", "kind": 20, "detail": "closing note", "sortText": "001", "filterText": "Spam",
			 "textEdit": {"range": {"start": {"line": 5, "character": 58}, "end": {"line": 5, "character": 61}}, "newText": "Spam"}}
		]}`), got)
	})

	same(t, "shutdown", nil, e.call("shutdown", nil))
	e.notify("exit", nil)
	select {
	case err := <-e.done:
		assert.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not stop on exit")
	}
}
