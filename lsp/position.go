package lsp

import (
	"unicode/utf8"

	"go.lsp.dev/protocol"
)

// mapper converts between byte offsets (what instrc's diagnostics and tokens
// carry) and LSP positions, whose characters count UTF-16 code units: an
// accented letter is one unit (two bytes in UTF-8), an emoji two units
// (four bytes).
type mapper struct {
	text  []byte
	lines []int // byte offset where each line starts
}

func newMapper(text []byte) *mapper {
	m := &mapper{text: text, lines: []int{0}}
	for i, b := range text {
		if b == '\n' {
			m.lines = append(m.lines, i+1)
		}
	}
	return m
}

// position converts a byte offset, clamped to the text.
func (m *mapper) position(offset int) protocol.Position {
	offset = max(0, min(offset, len(m.text)))
	lo, hi := 0, len(m.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if m.lines[mid] <= offset {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	units := 0
	for i := m.lines[lo]; i < offset; {
		r, n := utf8.DecodeRune(m.text[i:])
		if i+n > offset {
			break // inside a character: stay before it
		}
		units += utf16Len(r)
		i += n
	}
	return protocol.Position{Line: uint32(lo), Character: uint32(units)}
}

// offset converts a position to a byte offset. A character past the end of
// its line means the end of the line, and a line past the end of the text
// the end of the text, as the protocol asks.
func (m *mapper) offset(p protocol.Position) int {
	if int(p.Line) >= len(m.lines) {
		return len(m.text)
	}
	i := m.lines[p.Line]
	end := len(m.text)
	if int(p.Line)+1 < len(m.lines) {
		end = m.lines[p.Line+1] - 1 // the newline
	}
	for units := 0; i < end; {
		r, n := utf8.DecodeRune(m.text[i:])
		if units+utf16Len(r) > int(p.Character) {
			break
		}
		units += utf16Len(r)
		i += n
	}
	return i
}

func (m *mapper) rangeOf(start, end int) protocol.Range {
	return protocol.Range{Start: m.position(start), End: m.position(end)}
}

// utf16Len is the number of UTF-16 code units of r; invalid bytes count as
// one unit, as editors show them as one replacement character.
func utf16Len(r rune) int {
	if r >= 0x10000 && r <= utf8.MaxRune {
		return 2
	}
	return 1
}
