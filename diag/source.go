package diag

import (
	"bytes"
	"unicode/utf8"
)

// Source is the text of one file with a line index, used to turn byte
// offsets into positions and to print the line a diagnostic points at.
//
// Columns count runes from the start of the line. So that a very long line
// (a minified or pasted file, one line of megabytes) does not cost a count
// from its start for every position, NewSource records checkpoints every
// markEvery bytes on lines longer than that: a position is then found from
// the nearest checkpoint, and the whole file is indexed in linear time.
type Source struct {
	Filename string
	Text     []byte
	lines    []int          // byte offset where each line starts
	marks    map[int][]mark // checkpoints of long lines, by 0-based line index
}

// mark is a checkpoint on a long line: the byte offset of a rune start and
// the number of runes from the start of the line to it.
type mark struct{ off, runes int }

// markEvery is the spacing of checkpoints in bytes.
const markEvery = 1024

// NewSource indexes text for position lookups.
func NewSource(filename string, text []byte) *Source {
	s := &Source{Filename: filename, Text: text, lines: []int{0}}
	for i := 0; i < len(text); {
		j := bytes.IndexByte(text[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		s.lines = append(s.lines, i)
	}
	for n := range s.lines {
		start, end := s.lineSpan(n)
		if end-start <= markEvery {
			continue
		}
		if s.marks == nil {
			s.marks = map[int][]mark{}
		}
		var ms []mark
		runes, next := 0, start+markEvery
		for off := start; off < end; {
			if off >= next {
				ms = append(ms, mark{off, runes})
				next = off + markEvery
			}
			_, size := utf8.DecodeRune(text[off:end])
			off += size
			runes++
		}
		s.marks[n] = ms
	}
	return s
}

// lineSpan returns the byte offsets of the 0-based line n, without its
// newline (a carriage return before it is kept).
func (s *Source) lineSpan(n int) (start, end int) {
	start = s.lines[n]
	end = len(s.Text)
	if n+1 < len(s.lines) {
		end = s.lines[n+1] - 1
	}
	return start, end
}

// lineOf returns the 0-based line holding offset (already clamped).
func (s *Source) lineOf(offset int) int {
	lo, hi := 0, len(s.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if s.lines[mid] <= offset {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// lastMark returns the index of the last checkpoint for which before holds
// (checkpoints are in order), or -1.
func lastMark(ms []mark, before func(mark) bool) int {
	lo, hi := 0, len(ms) // the answer is lo-1 when done
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if before(ms[mid]) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo - 1
}

// Pos converts a byte offset into a position (1-based line, rune column).
// Offsets outside the text are clamped.
func (s *Source) Pos(offset int) Pos {
	offset = max(0, min(offset, len(s.Text)))
	n := s.lineOf(offset)
	from, runes := s.lines[n], 0
	if ms := s.marks[n]; len(ms) > 0 {
		// the last checkpoint at or before offset
		if i := lastMark(ms, func(m mark) bool { return m.off <= offset }); i >= 0 {
			from, runes = ms[i].off, ms[i].runes
		}
	}
	return Pos{Line: n + 1, Column: runes + runeCount(s.Text[from:offset]) + 1, Offset: offset}
}

// Range builds a range from two byte offsets.
func (s *Source) Range(start, end int) Range {
	return Range{Filename: s.Filename, Start: s.Pos(start), End: s.Pos(end)}
}

// LineSpan returns the byte offsets of the 1-based line n without its line
// ending (newline, or carriage return and newline); ok is false when there
// is no such line.
func (s *Source) LineSpan(n int) (start, end int, ok bool) {
	if n < 1 || n > len(s.lines) {
		return 0, 0, false
	}
	start, end = s.lineSpan(n - 1)
	if end > start && s.Text[end-1] == '\r' {
		end--
	}
	return start, end, true
}

// Line returns the text of the 1-based line n, without its newline.
func (s *Source) Line(n int) string {
	start, end, ok := s.LineSpan(n)
	if !ok {
		return ""
	}
	return string(s.Text[start:end])
}

// LineCount returns the number of lines.
func (s *Source) LineCount() int { return len(s.lines) }

// Offset converts a 1-based line and rune column back to a byte offset.
// A column past the end of the line gives the end of the line.
func (s *Source) Offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(s.lines) {
		return len(s.Text)
	}
	start, end := s.lineSpan(line - 1)
	off, runes := start, 0
	if ms := s.marks[line-1]; len(ms) > 0 {
		// the last checkpoint before the column
		if i := lastMark(ms, func(m mark) bool { return m.runes < col-1 }); i >= 0 {
			off, runes = ms[i].off, ms[i].runes
		}
	}
	for ; runes < col-1 && off < end; runes++ {
		_, n := utf8.DecodeRune(s.Text[off:end])
		off += n
	}
	return off
}

// runeCount is utf8.RuneCount without its conversion to a string, which
// copies the bytes: positions are looked up many times per line.
func runeCount(b []byte) int {
	n := 0
	for i := 0; i < len(b); n++ {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, size := utf8.DecodeRune(b[i:])
		i += size
	}
	return n
}
