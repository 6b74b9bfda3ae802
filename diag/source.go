package diag

import (
	"unicode/utf8"
)

// Source is the text of one file with a line index, used to turn byte
// offsets into positions and to print the line a diagnostic points at.
type Source struct {
	Filename string
	Text     []byte
	lines    []int // byte offset where each line starts
}

// NewSource indexes text for position lookups.
func NewSource(filename string, text []byte) *Source {
	s := &Source{Filename: filename, Text: text, lines: []int{0}}
	for i, b := range text {
		if b == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	return s
}

// Pos converts a byte offset into a position (1-based line, rune column).
// Offsets outside the text are clamped.
func (s *Source) Pos(offset int) Pos {
	if offset < 0 {
		offset = 0
	}
	if offset > len(s.Text) {
		offset = len(s.Text)
	}
	// binary search for the line
	lo, hi := 0, len(s.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if s.lines[mid] <= offset {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	start := s.lines[lo]
	return Pos{Line: lo + 1, Column: utf8.RuneCount(s.Text[start:offset]) + 1, Offset: offset}
}

// Range builds a range from two byte offsets.
func (s *Source) Range(start, end int) Range {
	return Range{Filename: s.Filename, Start: s.Pos(start), End: s.Pos(end)}
}

// Line returns the text of the 1-based line n, without its newline.
func (s *Source) Line(n int) string {
	if n < 1 || n > len(s.lines) {
		return ""
	}
	start := s.lines[n-1]
	end := len(s.Text)
	if n < len(s.lines) {
		end = s.lines[n] - 1
	}
	if end > start && s.Text[end-1] == '\r' {
		end--
	}
	return string(s.Text[start:end])
}

// LineCount returns the number of lines.
func (s *Source) LineCount() int { return len(s.lines) }

// Offset converts a 1-based line and rune column back to a byte offset.
func (s *Source) Offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(s.lines) {
		return len(s.Text)
	}
	off := s.lines[line-1]
	for c := 1; c < col && off < len(s.Text) && s.Text[off] != '\n'; c++ {
		_, n := utf8.DecodeRune(s.Text[off:])
		off += n
	}
	return off
}
