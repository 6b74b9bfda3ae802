package format

import (
	"strings"

	"github.com/instrc/instrc/grammar"
)

// kind is what a block of the body is, as the parser sees it.
type kind int

const (
	kParagraph kind = iota
	kItem           // a list item: one scenario (or a scenario and its continuations)
	kHeading        // a `#` heading
	kVerbatim       // a fence, an HTML comment line or a thematic break: kept as written
)

// block is a run of source lines the parser reads as one unit. It mirrors
// grammar's own block splitting (blank lines, list markers, headings,
// fences), so that the formatter never joins or splits what the parser
// keeps apart.
type block struct {
	kind kind
	// start and end are byte offsets of the block's text (for items: after
	// the list marker).
	start, end int
	// lines is the raw text of a verbatim block, line by line.
	lines []string
	// quote is set on a paragraph that starts with ">".
	quote bool
	// marker is an item's list marker: "-", or "3." for a numbered flow,
	// whose numbers are kept; indent is the spaces before a nested item
	// ("   - Pricing related → …" under "2. … infer intent:").
	marker, indent string
}

func (b block) sameList(prev block) bool { return b.kind == kItem && prev.kind == kItem }

// splitBlocks splits text[from:] into blocks.
func splitBlocks(text []byte, from int) []block {
	var out []block
	cur := block{start: -1}
	flush := func() {
		if cur.start >= 0 {
			out = append(out, cur)
		}
		cur = block{start: -1}
	}
	fence := false
	for off := from; off < len(text); {
		end := off
		for end < len(text) && text[end] != '\n' {
			end++
		}
		line := string(text[off:end])
		trimmed := strings.TrimSpace(line)
		lead := len(line) - len(strings.TrimLeft(line, " \t"))
		next := end + 1
		switch {
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			if !fence {
				flush()
				cur = block{kind: kVerbatim, start: off}
			}
			fence = !fence
			cur.lines = append(cur.lines, strings.TrimRight(line, " \t\r"))
			cur.end = end
			if !fence {
				flush()
			}
		case fence:
			cur.lines = append(cur.lines, strings.TrimRight(line, "\r"))
			cur.end = end
		case trimmed == "":
			flush()
		case strings.HasPrefix(trimmed, "#"):
			flush()
			out = append(out, block{kind: kHeading, start: off + lead, end: off + len(strings.TrimRight(line, " \t\r"))})
		case strings.HasPrefix(trimmed, "<!--") || trimmed == "---" || trimmed == "***":
			flush()
			out = append(out, block{kind: kVerbatim, start: off + lead, end: end, lines: []string{strings.TrimRight(line, " \t\r")}})
		default:
			if n := grammar.ListMarker(trimmed); n > 0 {
				flush()
				cur = block{kind: kItem, start: off + lead + n, end: end, marker: "-"}
				if d := strings.IndexAny(trimmed, ".)"); d > 0 && trimmed[0] >= '0' && trimmed[0] <= '9' {
					cur.marker = trimmed[:d] + "."
				}
				if lead > 0 {
					cur.indent = strings.Repeat(" ", 3)
				}
			} else if cur.start >= 0 {
				cur.end = end
			} else {
				s := off + lead
				q := strings.HasPrefix(trimmed, ">")
				if q {
					s++
				}
				cur = block{kind: kParagraph, start: s, end: end, quote: q}
			}
		}
		off = next
	}
	flush()
	for i := range out {
		for out[i].end > out[i].start && (text[out[i].end-1] == '\r' || text[out[i].end-1] == ' ' || text[out[i].end-1] == '\t') {
			out[i].end--
		}
	}
	return out
}
