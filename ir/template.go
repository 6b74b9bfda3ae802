package ir

import (
	"regexp"
	"strings"
)

// TemplateRef is one contact-field placeholder in a reply template or an
// internal comment: `$contact.firstname`, `{{$contact.firstname}}` or
// `{{contact.firstname}}`. The compiler checks Field against the workspace
// and the runtime fills it from the same reading, so that a placeholder
// that lints clean is never sent to the contact as written.
type TemplateRef struct {
	Field      string // the field's name or id as written
	Start, End int    // byte offsets of the whole placeholder
	FieldStart int    // byte offset of Field
}

// templateRef matches the placeholders. Between braces the field is
// everything up to the braces, spaces included (`{{$contact.First Name}}`),
// so that a name is read whole or reported whole. A bare `$contact.x` ends at the
// first character that cannot be in a name; sentence punctuation after it
// ("Thanks, $contact.firstname.") is trimmed by TemplateRefs.
var templateRef = regexp.MustCompile(`\{\{\s*\$?contact\.([^{}]*?[^{}\s])\s*\}\}|\$contact\.([\p{L}\p{N}_\-]+(?:\.[\p{L}\p{N}_\-]+)*)`)

// TemplateRefs returns the placeholders of s in order.
func TemplateRefs(s string) []TemplateRef {
	var out []TemplateRef
	for _, m := range templateRef.FindAllStringSubmatchIndex(s, -1) {
		g, end := 2, m[1]
		if m[2] < 0 {
			g = 4
		}
		field := s[m[g]:m[g+1]]
		if g == 4 {
			trimmed := strings.TrimRight(field, ".-")
			end -= len(field) - len(trimmed)
			field = trimmed
		}
		out = append(out, TemplateRef{Field: field, Start: m[0], End: end, FieldStart: m[g]})
	}
	return out
}

// FillTemplate replaces every placeholder of s by value(field).
func FillTemplate(s string, value func(field string) string) string {
	refs := TemplateRefs(s)
	if len(refs) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, r := range refs {
		b.WriteString(s[last:r.Start])
		b.WriteString(value(r.Field))
		last = r.End
	}
	b.WriteString(s[last:])
	return b.String()
}
