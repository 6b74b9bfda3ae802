package format

import (
	"bytes"
	"strings"

	"github.com/instrc/instrc/grammar"
)

// frontMatter writes the front matter in its canonical form (workspace, then
// language, as `en` or `fr`) and returns where the body starts. Front matter
// the parser reported problems in, or that holds comments, is kept as
// written: the author has to fix it, and a comment may say why.
func frontMatter(out *bytes.Buffer, text []byte, f *grammar.File) int {
	start := 0
	if bytes.HasPrefix(text, []byte("\uFEFF")) {
		start = 3
	}
	if !f.Front.Present {
		return start
	}
	// The parser's range covers the opening line to the closing `---`.
	end := f.Front.Range.End.Offset
	if !closed(text[start:]) || end <= start || end > len(text) {
		// Not closed: the whole file is front matter to the parser.
		out.WriteString(trimLines(strings.TrimRight(string(text[start:]), "\n")))
		return len(text)
	}
	raw := string(text[start:end])
	body := end
	if body < len(text) && text[body] == '\n' {
		body++
	}
	clean := !strings.Contains(raw, "#")
	for _, d := range f.Diagnostics {
		if d.Range.Start.Offset < end {
			clean = false
		}
	}
	if !clean {
		out.WriteString(trimLines(raw))
		return body
	}
	out.WriteString("---\n")
	if f.Front.Workspace != "" || f.Front.WorkspaceRange.End.Offset > 0 {
		out.WriteString(strings.TrimRight("workspace: "+f.Front.Workspace, " ") + "\n")
	}
	if f.Front.Language != "" {
		out.WriteString("language: " + f.Front.Language + "\n")
	}
	out.WriteString("---")
	return body
}

// closed reports whether the front matter at the start of text has its
// closing `---` line.
func closed(text []byte) bool {
	lines := strings.Split(string(text), "\n")
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) == "---" {
			return true
		}
	}
	return false
}
