package grammar

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestDump(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	src, _ := os.ReadFile(os.Getenv("DUMP"))
	f := Parse(os.Getenv("DUMP"), src)
	fmt.Println("lang", f.Language, "front", f.Front.Workspace)
	for _, g := range f.Guidance {
		fmt.Printf("G %q\n", g.Text)
	}
	for _, sc := range f.Scenarios {
		fmt.Printf("S line %d: %s\n", sc.Range.Start.Line, sc.Text)
		for _, c := range sc.Conditions {
			fmt.Printf("   cond(%s) %q\n", c.Marker.Text, c.Text)
		}
		for _, s := range sc.Steps {
			var names []string
			for _, n := range s.Names {
				names = append(names, fmt.Sprintf("%s:%q(words=%d fb=%d impl=%v)", n.Role, n.Text, len(n.Words), n.Fallback, n.Implicit))
			}
			var ms []string
			for _, n := range s.Mentions {
				ms = append(ms, n.Text)
			}
			v := ""
			if s.Value != nil {
				v = s.Value.Text
			}
			fmt.Printf("   %s neg=%v names=[%s] method=%s val=%q text=%q obj=%q nosum=%v nonote=%v sumof=%q ment=%v\n", s.Kind, s.Negated, strings.Join(names, " "), s.Method, v, s.Text, s.Object, s.NoSummary, s.NoNote, s.SummaryOf, ms)
		}
	}
	for _, d := range f.Diagnostics {
		fmt.Printf("D %d:%d %s\n", d.Range.Start.Line, d.Range.Start.Column, d.Message)
	}
}
