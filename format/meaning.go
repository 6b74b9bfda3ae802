package format

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/instrc/instrc/grammar"
)

// meaning summarizes everything of a parsed file that the compiler and the
// runtime read: front matter, language, each scenario's conditions and steps
// with their names, values and texts, the guidance, and the syntax problems.
// Positions are left out, and so are differences that layout alone makes:
// runs of white space and the shape of quote marks.
func meaning(f *grammar.File) string {
	var b strings.Builder
	fmt.Fprintf(&b, "front %q %q %q\n", f.Front.Workspace, f.Front.Language, f.Language)
	for _, sc := range f.Scenarios {
		fmt.Fprintf(&b, "scenario\n")
		for _, c := range sc.Conditions {
			fmt.Fprintf(&b, " if %q %v %q\n", c.Marker.Fold, c.Trailing, loose(c.Text))
		}
		for _, st := range sc.Steps {
			fmt.Fprintf(&b, " step %v neg=%v method=%q nosum=%v nonote=%v sum=%q text=%q tpl=%v obj=%q subj=%q\n",
				st.Kind, st.Negated, st.Method, st.NoSummary, st.NoNote, loose(st.SummaryOf), loose(st.Text), st.Template, loose(st.Object), st.Subject)
			if st.Value != nil {
				fmt.Fprintf(&b, "  value %q\n", loose(st.Value.Text))
			}
			for _, n := range st.Names {
				name(&b, "name", n)
			}
			for _, n := range st.Mentions {
				name(&b, "mention", n)
			}
		}
	}
	for _, g := range f.Guidance {
		fmt.Fprintf(&b, "guidance %q\n", loose(g.Text))
	}
	for _, d := range f.Diagnostics {
		fmt.Fprintf(&b, "diag %s %s\n", d.Code, loose(d.Message))
	}
	return b.String()
}

func name(b *strings.Builder, what string, n *grammar.Name) {
	fmt.Fprintf(b, "  %s %v %c q=%v %q fb=%d impl=%v", what, n.Role, n.Sigil, n.Quoted, loose(n.Text), n.Fallback, n.Implicit)
	for _, w := range n.Words {
		fmt.Fprintf(b, " %q", w.Text)
	}
	b.WriteByte('\n')
}

// loose folds the differences layout may make: white space runs become one
// space and typographic double quotes become straight ones.
func loose(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '“', '”':
			return '"'
		case '‘', '’':
			return '\''
		}
		return r
	}, s)
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || unicode.IsSpace(r) && r != '\u00a0' && r != '\u202f'
	}), " ")
}

func parse(text []byte) *grammar.File { return grammar.Parse("", text) }
