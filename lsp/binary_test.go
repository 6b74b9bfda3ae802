package lsp

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.lsp.dev/uri"

	"github.com/instrc/instrc/format"
)

// pipes joins the server process's standard output and input.
type pipes struct {
	io.Reader
	io.WriteCloser
}

// startBinary builds instrc and starts `instrc lsp` as an editor does, over
// its standard input and output.
func startBinary(t *testing.T) (e *editor, bin string, wait func() error) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the instrc binary")
	}
	bin = filepath.Join(t.TempDir(), "instrc")
	build := exec.Command("go", "build", "-o", bin, "github.com/instrc/instrc/cmd/instrc")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	cmd := exec.Command(bin, "lsp", "--stdio")
	in, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	e = &editor{t: t, conn: pipes{stdout, in}, done: make(chan error, 1), waiting: map[int]chan wire{}, notes: make(chan wire, 100)}
	go e.read()
	return e, bin, cmd.Wait
}

// applyEdits applies LSP text edits, whose positions count UTF-16 units,
// to text; it converts positions on its own, not with the server's mapper.
func applyEdits(t *testing.T, text string, edits []any) string {
	t.Helper()
	type edit struct {
		start, end int
		text       string
	}
	offset := func(p map[string]any) int {
		line, char := int(p["line"].(float64)), int(p["character"].(float64))
		lines := strings.SplitAfter(text, "\n")
		off := 0
		for i := 0; i < line; i++ {
			off += len(lines[i])
		}
		units := 0
		for _, r := range lines[line] {
			if units >= char {
				break
			}
			units += len(utf16.Encode([]rune{r}))
			off += utf8.RuneLen(r)
		}
		require.Equal(t, char, units, "position %v falls inside a character", p)
		return off
	}
	var es []edit
	for _, x := range edits {
		m := x.(map[string]any)
		r := m["range"].(map[string]any)
		es = append(es, edit{offset(r["start"].(map[string]any)), offset(r["end"].(map[string]any)), m["newText"].(string)})
	}
	sort.Slice(es, func(i, j int) bool { return es[i].start > es[j].start })
	for _, e := range es {
		text = text[:e.start] + e.text + text[e.end:]
	}
	return text
}

// utf16Col is the UTF-16 column of the first occurrence of sub on its line.
func utf16Col(text, sub string) (line, col int) {
	i := strings.Index(text, sub)
	before := text[:i]
	line = strings.Count(before, "\n")
	last := before[strings.LastIndex(before, "\n")+1:]
	return line, len(utf16.Encode([]rune(last)))
}

const binWorkspace = `contact_fields:
  - {name: Budget, id: budget, type: number}
teams:
  - {name: Sales Team, members: [alice]}
  - {name: Équipe Logistique, members: [chloé]}
users: [alice, chloé]
tags: [Pricing, Réclamation, Cadeau 🎁]
workflows:
  - {name: route_sales, trigger: conversation_opened, action: assign, target: Équipe Logistique}
`

const binEN = "---\nworkspace: workspace.yaml\n---\n" +
	"- If the contact sends 🎉🎉, add %Pricng.\n" +
	"- If the contact asks about pricing, add %Pricing and assign to @Sales Team.\n"

const binFR = "---\nworkspace: workspace.yaml\n---\n" +
	"*   Si le client écrit « réclamation » 😡,   ajoute %Réclamation et assigne à @Équipe Logistique.\n" +
	"- Si le contact demande les tarifs, ajoute %Pricing.\n"

// other.instr is never opened: rename and references find it on disk.
const binOther = "---\nworkspace: workspace.yaml\n---\n" +
	"- Si le client envoie un 🎁, ajoute %\"Cadeau 🎁\" et assigne à @Équipe Logistique.\n" +
	"- If the contact asks about pricing, add %Pricing.\n"

// TestBinarySession drives the real `instrc lsp` process over stdio through
// every feature, on English and French files with accents and emoji, whose
// positions differ between bytes, characters and UTF-16 units.
func TestBinarySession(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"workspace.yaml": binWorkspace, "en.instr": binEN, "fr.instr": binFR, "other.instr": binOther}
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	path := func(name string) string { return filepath.Join(dir, name) }
	u := func(name string) string { return string(uri.File(path(name))) }
	e, bin, wait := startBinary(t)

	init := e.call("initialize", map[string]any{"processId": nil, "rootUri": string(uri.File(dir)), "capabilities": map[string]any{}})
	caps := init.(map[string]any)["capabilities"].(map[string]any)
	for _, c := range []string{"documentFormattingProvider", "referencesProvider", "renameProvider", "codeActionProvider", "hoverProvider"} {
		assert.NotNil(t, caps[c], "capability %s", c)
	}
	e.notify("initialized", map[string]any{})

	// Diagnostics: "%Pricng" after two emoji (two UTF-16 units each).
	open(e, u("en.instr"), binEN)
	line, col := utf16Col(binEN, "%Pricng")
	same(t, "English diagnostics", js(t, `[{"range": {"start": {"line": 3, "character": 33}, "end": {"line": 3, "character": 40}},
		"severity": 1, "code": "unknown-tag", "source": "instrc",
		"message": "no tag is named \"Pricng\" in the workspace: use one of its tags (did you mean \"Pricing\"?)"}]`), e.diagnostics(u("en.instr")))
	require.Equal(t, []int{3, 33}, []int{line, col})

	// Quick fix.
	actions := e.call("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": u("en.instr")},
		"range":        map[string]any{"start": pos(3, 33), "end": pos(3, 40)},
		"context":      map[string]any{"diagnostics": []any{}},
	}).([]any)
	require.Len(t, actions, 1)
	fix := actions[0].(map[string]any)
	assert.Equal(t, "quickfix", fix["kind"])
	fixed := applyEdits(t, binEN, fix["edit"].(map[string]any)["changes"].(map[string]any)[u("en.instr")].([]any))
	assert.Equal(t, strings.Replace(binEN, "%Pricng", "%Pricing", 1), fixed)

	// Formatting the French file: instrc fmt's result, emoji and « » kept.
	open(e, u("fr.instr"), binFR)
	frDiags := e.diagnostics(u("fr.instr"))
	assert.Empty(t, frDiags, "the French file is clean")
	edits := e.call("textDocument/formatting", map[string]any{
		"textDocument": map[string]any{"uri": u("fr.instr")}, "options": map[string]any{"tabSize": 4, "insertSpaces": true},
	}).([]any)
	formatted := applyEdits(t, binFR, edits)
	assert.Equal(t, string(format.Source([]byte(binFR))), formatted)
	assert.Contains(t, formatted, "- Si le client écrit « réclamation » 😡, ajoute %Réclamation")
	again := e.call("textDocument/formatting", map[string]any{
		"textDocument": map[string]any{"uri": u("en.instr")}, "options": map[string]any{"tabSize": 4, "insertSpaces": true},
	}).([]any)
	assert.Empty(t, again, "a formatted file gets no edit")

	// References of %Pricing, from the English file: every instruction
	// file of the workspace, the unopened one too, and the declaration.
	line, col = utf16Col(binEN, "%Pricing")
	refs := e.call("textDocument/references", map[string]any{
		"textDocument": map[string]any{"uri": u("en.instr")}, "position": pos(line, col+2),
		"context": map[string]any{"includeDeclaration": true},
	}).([]any)
	var got []string
	for _, r := range refs {
		loc := r.(map[string]any)
		start := loc["range"].(map[string]any)["start"].(map[string]any)
		got = append(got, filepath.Base(uri.URI(loc["uri"].(string)).FsPath())+":"+
			itoa(int(start["line"].(float64)))+":"+itoa(int(start["character"].(float64))))
	}
	slices.Sort(got)
	wl, wc := utf16Col(binWorkspace, "Pricing")
	fl, fc := utf16Col(binFR, "%Pricing")
	ol, oc := utf16Col(binOther, "%Pricing")
	el, ec := utf16Col(binEN, "%Pricing")
	want := []string{"en.instr:" + itoa(el) + ":" + itoa(ec), "fr.instr:" + itoa(fl) + ":" + itoa(fc), "other.instr:" + itoa(ol) + ":" + itoa(oc), "workspace.yaml:" + itoa(wl) + ":" + itoa(wc)}
	slices.Sort(want)
	assert.Equal(t, want, got)

	// Rename @Équipe Logistique from the French file, after an emoji:
	// every use, the declaration, the team's workflow target.
	line, col = utf16Col(binFR, "@Équipe Logistique")
	prep := e.call("textDocument/prepareRename", at(u("fr.instr"), line, col+3)).(map[string]any)
	assert.Equal(t, "Équipe Logistique", prep["placeholder"])
	ren := e.call("textDocument/rename", map[string]any{
		"textDocument": map[string]any{"uri": u("fr.instr")}, "position": pos(line, col+3), "newName": "Équipe Livraison 🚚",
	}).(map[string]any)
	changes := ren["changes"].(map[string]any)
	assert.Len(t, changes, 3, "fr.instr, other.instr and workspace.yaml")
	for name, content := range map[string]string{"fr.instr": binFR, "other.instr": binOther, "workspace.yaml": binWorkspace} {
		ch, ok := changes[u(name)]
		require.True(t, ok, "no edit of %s", name)
		next := applyEdits(t, content, ch.([]any))
		assert.NotContains(t, next, "Logistique", name)
		require.NoError(t, os.WriteFile(path(name), []byte(next), 0o644))
	}
	ws, err := os.ReadFile(path("workspace.yaml"))
	require.NoError(t, err)
	assert.Contains(t, string(ws), "{name: Équipe Livraison 🚚, members: [chloé]}")
	assert.Contains(t, string(ws), "target: Équipe Livraison 🚚}")
	// The renamed files lint clean with the same binary.
	lint := exec.Command(bin, "lint", path("fr.instr"), path("other.instr"))
	out, err := lint.CombinedOutput()
	assert.NoError(t, err, "lint after the rename:\n%s", out)

	// Shutdown and exit end the process cleanly.
	e.call("shutdown", nil)
	e.send(map[string]any{"jsonrpc": "2.0", "method": "exit"})
	done := make(chan error, 1)
	go func() { done <- wait() }()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not exit")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
