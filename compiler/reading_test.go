package compiler_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/grammar"
)

// TestTotalReading checks, over the whole sentence corpus and every example
// agent, that every token of every scenario is covered by exactly one part:
// its condition, a step, reply guidance, a filler, or a run of unread words
// (which the compiler reports).
func TestTotalReading(t *testing.T) {
	var texts []struct{ name, text string }
	for _, lang := range []string{"en", "fr"} {
		paths, err := filepath.Glob(filepath.Join("testdata", "corpus", lang+"*.txt"))
		require.NoError(t, err)
		for _, path := range paths {
			for _, b := range readCorpus(t, path) {
				texts = append(texts, struct{ name, text string }{filepath.Base(path) + ":" + strconv.Itoa(b.line), "---\nlanguage: " + lang + "\n---\n" + b.text + "\n"})
			}
		}
	}
	examples, err := filepath.Glob(filepath.Join("..", "examples", "*", "*.instr"))
	require.NoError(t, err)
	require.NotEmpty(t, examples)
	for _, path := range examples {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		texts = append(texts, struct{ name, text string }{path, string(b)})
	}
	require.Greater(t, len(texts), 350)
	scenarios := 0
	for _, tx := range texts {
		f := grammar.Parse("reading.instr", []byte(tx.text))
		for _, sc := range f.Scenarios {
			scenarios++
			assert.NoError(t, sc.CheckReading(), tx.name)
		}
	}
	assert.Greater(t, scenarios, 350)
}

// TestReadingFindsUnreadWords checks that the reading is total for real:
// words a step does not take are an unread part, not part of the step.
func TestReadingFindsUnreadWords(t *testing.T) {
	tests := []struct {
		text   string
		unread []string
	}{
		{"- If the contact asks for a refund, assign to @Support Team and %Refund.", []string{"%Refund"}},
		{"- If the contact is angry, close the conversation and kindly ignoring the budget.", []string{"ignoring the budget"}},
		{"- Thanks for your patience, assign to @Sales Team.", []string{"Thanks for your patience"}},
		{"- Si le contact demande un remboursement, assigne à @Support Team et %Remboursement.", []string{"%Remboursement"}},
		{"- If the contact is done, close the conversation with closing note \"Spam\" and skip the summary.", nil},
		{"- Pricing questions → assign to @Sales Team", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			f := grammar.Parse("t.instr", []byte(tt.text))
			require.Len(t, f.Scenarios, 1)
			sc := f.Scenarios[0]
			require.NoError(t, sc.CheckReading())
			var got []string
			for _, p := range sc.Parts() {
				if p.Kind == grammar.PartUnread {
					got = append(got, tt.text[p.Start:p.End])
				}
			}
			assert.Equal(t, tt.unread, got)
		})
	}
}
