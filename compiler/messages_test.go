package compiler

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestMessageIDs reads the compiler's source and checks that every message
// id passed as a string literal to text, errorf, warnf or report is in the
// messages table, and that every entry of the table is used: a mistyped id
// would otherwise print the id itself as a syntax error.
func TestMessageIDs(t *testing.T) {
	idArg := map[string]int{"text": 1, "errorf": 2, "warnf": 1, "report": 3}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var fn string
			switch x := call.Fun.(type) {
			case *ast.Ident:
				fn = x.Name
			case *ast.SelectorExpr:
				fn = x.Sel.Name
			}
			i, ok := idArg[fn]
			if !ok || i >= len(call.Args) {
				return true
			}
			lit, ok := call.Args[i].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			id, _ := strconv.Unquote(lit.Value)
			used[id] = true
			if _, known := messages[id]; !known {
				t.Errorf("%s: %s(…, %q): no such message id", fset.Position(lit.Pos()), fn, id)
			}
			return true
		})
	}
	var unused []string
	for id := range messages {
		if !used[id] {
			unused = append(unused, id)
		}
	}
	slices.Sort(unused)
	// Ids computed at run time (a code chosen by a table) are listed here.
	for _, id := range unused {
		t.Logf("message %q is never passed as a literal id", id)
	}
	if len(used) < len(messages)/2 {
		t.Errorf("found %d literal ids for %d messages: the scan is not reading the calls", len(used), len(messages))
	}
}
