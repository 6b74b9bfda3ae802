package diag

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// naivePos is the definition Source.Pos must agree with: count lines and
// then runes from the start of the line.
func naivePos(text []byte, offset int) Pos {
	offset = max(0, min(offset, len(text)))
	line, start := 1, 0
	for i := 0; i < offset; i++ {
		if text[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return Pos{Line: line, Column: utf8.RuneCount(text[start:offset]) + 1, Offset: offset}
}

func TestSourcePos(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{"empty", ""},
		{"english", "- If the contact asks about pricing, assign to @Sales Team.\n- Close the conversation.\n"},
		{"french with accents", "- Si le contact a fourni son budget, enregistre-le comme champ Budget.\r\n- Assigne à @Équipe Ventes 🚀.\n"},
		{"no final newline", "line one\nligne deux é"},
		{"long line of accents and emoji", strings.Repeat("é🙂a", 2000) + "\n" + strings.Repeat("x", 3000)},
		{"invalid UTF-8 on a long line", strings.Repeat("a\xffé\xe2\x82", 700) + "\nend"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := []byte(tt.text)
			s := NewSource("f.instr", text)
			for off := -1; off <= len(text)+1; off++ {
				want := naivePos(text, off)
				if got := s.Pos(off); got != want {
					t.Fatalf("Pos(%d): %s", off, cmp.Diff(want, got))
				}
			}
		})
	}
}

func TestSourceOffsetRoundTrip(t *testing.T) {
	text := []byte("premier\n" + strings.Repeat("àb🙂", 1500) + "\r\ndernière ligne")
	s := NewSource("f.instr", text)
	for off := 0; off <= len(text); {
		p := s.Pos(off)
		require.Equal(t, off, s.Offset(p.Line, p.Column), "offset %d at %d:%d", off, p.Line, p.Column)
		if off == len(text) {
			break
		}
		_, n := utf8.DecodeRune(text[off:])
		off += n
	}
	// A column past the end of a line stops at its newline.
	start, end, ok := s.LineSpan(2)
	require.True(t, ok)
	assert.Equal(t, end+1, s.Offset(2, 1_000_000), "the offset of the newline after \\r")
	assert.Equal(t, strings.Repeat("àb🙂", 1500), string(text[start:end]))
	assert.Equal(t, 0, s.Offset(0, 5))
	assert.Equal(t, len(text), s.Offset(9, 1))
}

func TestSourceLines(t *testing.T) {
	s := NewSource("f.instr", []byte("one\r\ntwo\n\nfour"))
	assert.Equal(t, 4, s.LineCount())
	got := []string{s.Line(0), s.Line(1), s.Line(2), s.Line(3), s.Line(4), s.Line(5)}
	if d := cmp.Diff([]string{"", "one", "two", "", "four", ""}, got); d != "" {
		t.Error(d)
	}
	r := s.Range(5, 8)
	assert.Equal(t, Range{Filename: "f.instr", Start: Pos{2, 1, 5}, End: Pos{2, 4, 8}}, r)
}

// longLine is one line of n bytes of mixed ASCII, accents and emoji.
func longLine(n int) []byte {
	unit := "Si le contact écrit 🙂, assigne à @Équipe. "
	return []byte(strings.Repeat(unit, n/len(unit)+1)[:n])
}

// TestLongLinePositionsLinear checks that positions on a long line cost time
// in proportion to the line, not to its square: indexing a line ten times
// longer and finding ten times as many positions on it takes well under
// fifty times as long (counting from the start of the line for each
// position, as instrc once did, makes it about a hundred times; linear is
// ten, with room for a loaded machine). It also
// checks that finding a position allocates nothing.
func TestLongLinePositionsLinear(t *testing.T) {
	measure := func(size int) time.Duration {
		text := longLine(size)
		best := time.Duration(0)
		for range 9 {
			start := time.Now()
			s := NewSource("long.instr", text)
			for off := 0; off < len(text); off += 50 {
				_ = s.Pos(off)
			}
			if d := time.Since(start); best == 0 || d < best {
				best = d
			}
		}
		return best
	}
	small, large := measure(40_000), measure(400_000)
	ratio := float64(large) / float64(small)
	t.Logf("40 KB: %v, 400 KB: %v, ratio %.1f", small, large, ratio)
	assert.Less(t, ratio, 50.0, "positions on a long line are not linear")

	s := NewSource("long.instr", longLine(400_000))
	allocs := testing.AllocsPerRun(10, func() {
		for off := 0; off < 400_000; off += 5000 {
			_ = s.Pos(off)
			_ = s.Offset(1, off/2)
		}
	})
	assert.Zero(t, allocs, "finding positions allocates")
}

func BenchmarkLongLinePositions(b *testing.B) {
	text := longLine(400_000)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		s := NewSource("long.instr", text)
		for off := 0; off < len(text); off += 50 {
			_ = s.Pos(off)
		}
	}
}
