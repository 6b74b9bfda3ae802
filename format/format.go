// Package format gives instruction files one canonical layout, as gofmt does
// for Go: front matter in a fixed order, `- ` bullets with one scenario per
// item on one line (a numbered flow keeps its numbers and nesting), straight double quotes around names and templates,
// single spaces, one blank line between sections and a final newline.
//
// Formatting must never change what a file means. Every candidate layout is
// parsed again and compared with the original (scenarios, steps, names,
// values, guidance); when they differ, a more cautious layout is tried, and
// in the last resort the text is returned unchanged.
package format

import (
	"bytes"
	"strings"

	"github.com/instrc/instrc/grammar"
)

// Source formats an instruction file. It never fails: text it cannot
// format without changing its meaning comes back as it was.
func Source(text []byte) []byte {
	orig := grammar.Parse("", text)
	want := meaning(orig)
	for _, layout := range []func([]byte, *grammar.File) []byte{canonical, cautious} {
		out := layout(text, orig)
		if meaning(grammar.Parse("", out)) == want {
			return out
		}
	}
	return text
}

// canonical is the full layout.
func canonical(text []byte, f *grammar.File) []byte {
	return layout(text, f, true)
}

// cautious keeps every item and paragraph as written, only normalizing line
// ends, trailing spaces, bullets and blank lines.
func cautious(text []byte, f *grammar.File) []byte {
	return layout(text, f, false)
}

func layout(text []byte, f *grammar.File, full bool) []byte {
	var out bytes.Buffer
	body := frontMatter(&out, text, f)
	var prev *block
	for _, b := range splitBlocks(text, body) {
		var chunks []string
		switch b.kind {
		case kVerbatim:
			chunks = []string{strings.Join(b.lines, "\n")}
		case kHeading:
			chunks = []string{heading(string(text[b.start:b.end]), full)}
		case kItem:
			if b.marker != "-" || b.indent != "" {
				// A numbered flow keeps its numbers and its nesting.
				body := trimLines(string(text[b.start:b.end]))
				if full {
					body = spaced(text, b.start, b.end, false)
				}
				chunks = []string{b.indent + b.marker + " " + body}
			} else if full {
				for _, part := range splitItem(text, b, f) {
					chunks = append(chunks, "- "+spaced(text, part.start, part.end, false))
				}
			} else {
				chunks = []string{"- " + trimLines(string(text[b.start:b.end]))}
			}
		case kParagraph:
			prefix := ""
			if b.quote {
				prefix = "> "
			}
			if full {
				chunks = []string{prefix + spaced(text, b.start, b.end, true)}
			} else {
				chunks = []string{prefix + strings.TrimLeft(trimLines(string(text[b.start:b.end])), " \t")}
			}
		}
		if out.Len() > 0 {
			// The body starts right under the front matter, as in the
			// project's examples; sections are a blank line apart.
			if prev == nil || b.sameList(*prev) {
				out.WriteByte('\n')
			} else {
				out.WriteString("\n\n")
			}
		}
		out.WriteString(strings.Join(chunks, "\n"))
		prev = &b
	}
	if out.Len() > 0 {
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// trimLines drops the trailing spaces and carriage returns of every line.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.Join(lines, "\n")
}

// heading normalizes `##   Title  ` to `## Title`.
func heading(s string, full bool) string {
	s = strings.TrimRight(s, " \t\r")
	if !full {
		return s
	}
	hashes := len(s) - len(strings.TrimLeft(s, "#"))
	rest := s[hashes:]
	if rest == "" || (rest[0] != ' ' && rest[0] != '\t') {
		return s
	}
	return s[:hashes] + " " + collapse(strings.TrimSpace(rest))
}

// collapse replaces each run of spaces and tabs with one space.
func collapse(s string) string {
	if !strings.Contains(s, "  ") && !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
