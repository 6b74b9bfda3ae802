package diag

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func diagAt(s *Source, start, end int, code, msg string) Diagnostic {
	return Diagnostic{Severity: Error, Code: code, Message: msg, Range: s.Range(start, end)}
}

func TestWriteTextShortLines(t *testing.T) {
	tests := []struct {
		name, text, word, want string
	}{
		{"english", "- If the contact asks, save it as the Budjet field.\n", "Budjet",
			"f.instr:1:39: error: unknown [unknown-field]\n    - If the contact asks, save it as the Budjet field.\n                                          ^^^^^^\n"},
		{"french with a tab", "\t- Si le contact écrit, assigne à @Équipe Ventez.\n", "Équipe Ventez",
			"f.instr:1:36: error: unknown [unknown-field]\n    \t- Si le contact écrit, assigne à @Équipe Ventez.\n    \t                                  ^^^^^^^^^^^^^\n"},
		{"emoji", "- Si le client envoie 🙂, ajoute %Contentt.\n", "Contentt",
			"f.instr:1:34: error: unknown [unknown-field]\n    - Si le client envoie 🙂, ajoute %Contentt.\n                                     ^^^^^^^^\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSource("f.instr", []byte(tt.text))
			i := strings.Index(tt.text, tt.word)
			var b bytes.Buffer
			require.NoError(t, WriteText(&b, Diagnostics{diagAt(s, i, i+len(tt.word), "unknown-field", "unknown")}, Sources{"f.instr": s}))
			if d := cmp.Diff(tt.want, b.String()); d != "" {
				t.Error(d)
			}
		})
	}
}

func TestWriteTextLongLineWindow(t *testing.T) {
	line := strings.Repeat("Si le contact écrit 🙂, assigne à @Équipe. ", 10_000) // ~430 KB
	text := []byte(line + "\nfin\n")
	s := NewSource("long.instr", text)
	var ds Diagnostics
	for i := 0; i < len(line); i += 4000 {
		j := i + strings.Index(line[i:], "@Équipe")
		ds = append(ds, diagAt(s, j, j+len("@Équipe"), "unknown-assignee", "unknown"))
	}
	var b bytes.Buffer
	require.NoError(t, WriteText(&b, ds, Sources{"long.instr": s}))
	out := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Len(t, out, 3*len(ds))
	for k := 0; k < len(out); k += 3 {
		src, marks := strings.TrimPrefix(out[k+1], "    "), strings.TrimPrefix(out[k+2], "    ")
		n := len([]rune(src))
		assert.LessOrEqual(t, n, WindowRunes+2, "line %d is not a window", k+1)
		// The carets sit under the name in the window.
		col := len([]rune(marks)) - len(strings.TrimLeft(marks, " "))
		under := string([]rune(src)[len([]rune(marks))-len([]rune(strings.TrimLeft(marks, " "))):][:7])
		assert.Equal(t, "@Équipe", under, "window %q, carets at %d", src, col)
		assert.Equal(t, "^^^^^^^", strings.TrimLeft(marks, " "))
	}
	assert.Less(t, b.Len(), 400*len(ds), "the output repeats the whole line")
}

func TestPrintableAndJSONEscapes(t *testing.T) {
	text := []byte("- Close\x1b[31m it\x00 now\u202e here\x7f\u0085.\n")
	s := NewSource("c.instr", text)
	d := diagAt(s, 0, 7, "syntax", "bad \x1b[2J word\u2066")
	var b bytes.Buffer
	require.NoError(t, WriteText(&b, Diagnostics{d}, Sources{"c.instr": s}))
	assert.Equal(t, "c.instr:1:1: error: bad ␛[2J word\uFFFD [syntax]\n    - Close␛[31m it␀ now\uFFFD here␡\uFFFD.\n    ^^^^^^^\n", b.String())
	for _, r := range b.String() {
		assert.False(t, IsControl(r) && r != '\n', "control %U reached the text output", r)
	}

	b.Reset()
	require.NoError(t, WriteJSON(&b, Diagnostics{d}))
	assert.Contains(t, b.String(), `"message": "bad \u001b[2J word\u2066"`)
	var back JSONReport
	require.NoError(t, json.Unmarshal(b.Bytes(), &back))
	assert.Equal(t, d.Message, back.Diagnostics[0].Message)
	for _, r := range b.String() {
		assert.False(t, IsControl(r) && r != '\n', "control %U reached the JSON output", r)
	}
	assert.Equal(t, "a\uFFFDb", Printable("a\xffb"))
	assert.Equal(t, "U+001B (escape)", ControlName(0x1b))
}

func TestSortAndCount(t *testing.T) {
	s := NewSource("a.instr", []byte("one two three"))
	ds := Diagnostics{
		{Severity: Warning, Code: "b", Range: s.Range(4, 7)},
		{Severity: Error, Code: "z", Range: Range{Filename: "0.instr"}},
		{Severity: Error, Code: "a", Range: s.Range(4, 7)},
	}
	ds.Sort()
	assert.Equal(t, []string{"z", "a", "b"}, []string{ds[0].Code, ds[1].Code, ds[2].Code})
	e, w := ds.Count()
	assert.Equal(t, [2]int{2, 1}, [2]int{e, w})
	assert.True(t, ds.HasErrors())
	assert.False(t, Diagnostics{{Severity: Warning}}.HasErrors())
}
