package grammar

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/instrc/instrc/internal/golden"
)

// TestAST parses every .instr section of testdata/ast/*.txtar and compares
// a dump of the tree (language, guidance, scenarios with their conditions
// and steps, diagnostics) with the section of the same name ending in .ast.
// go test ./grammar -run TestAST -update rewrites the .ast sections.
func TestAST(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "ast", "*.txtar"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no archives in testdata/ast: %v", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			ar := golden.Read(t, path)
			for _, name := range ar.Names() {
				if !strings.HasSuffix(name, ".instr") {
					continue
				}
				src, _ := ar.File(name)
				ar.Check(t, strings.TrimSuffix(name, ".instr")+".ast", name, []byte(dump(Parse(name, src))))
			}
			ar.Save(t)
		})
	}
}

// dump writes the parts of a parsed file a reader of the grammar cares
// about, one line each, with the line each part starts on.
func dump(f *File) string {
	var b strings.Builder
	fmt.Fprintf(&b, "language %s\n", f.Language)
	if f.Front.Workspace != "" {
		fmt.Fprintf(&b, "workspace %s\n", f.Front.Workspace)
	}
	for _, g := range f.Guidance {
		fmt.Fprintf(&b, "guidance %d: %q\n", g.Range.Start.Line, g.Text)
	}
	for _, sc := range f.Scenarios {
		fmt.Fprintf(&b, "scenario %d: %q\n", sc.Range.Start.Line, sc.Text)
		for _, c := range sc.Conditions {
			fmt.Fprintf(&b, "  condition %q %q\n", c.Marker.Text, c.Text)
		}
		for _, s := range sc.Steps {
			fmt.Fprintf(&b, "  step %s", s.Kind)
			if s.Negated {
				b.WriteString(" negated")
			}
			for _, n := range s.Names {
				fmt.Fprintf(&b, " %s=%q", n.Role, n.Text)
			}
			if s.Method != "" {
				fmt.Fprintf(&b, " method=%s", s.Method)
			}
			if s.Value != nil {
				fmt.Fprintf(&b, " value=%q", s.Value.Text)
			}
			if s.Object != "" {
				fmt.Fprintf(&b, " object=%q", s.Object)
			}
			if s.NoSummary {
				b.WriteString(" nosummary")
			}
			if s.NoNote {
				b.WriteString(" nonote")
			}
			for _, m := range s.Mentions {
				fmt.Fprintf(&b, " mention=%q", m.Text)
			}
			fmt.Fprintf(&b, " text=%q\n", s.Text)
		}
	}
	for _, d := range f.Diagnostics {
		fmt.Fprintf(&b, "diagnostic %d:%d %s %s\n", d.Range.Start.Line, d.Range.Start.Column, d.Code, d.Message)
	}
	return b.String()
}
