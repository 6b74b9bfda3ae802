// Package yamlnode holds what the YAML loaders (workspace, configuration,
// scenario tests) share. They read YAML as goccy/go-yaml's AST rather than
// decoding it into structs so that every problem they report can point at
// the line and column it comes from; this package turns nodes into source
// ranges, parse errors into positions, and mappings, lists and scalars into
// values, leaving each loader its own messages.
package yamlnode

import (
	"errors"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Parse parses YAML text and returns the body of each document that has
// one, in order: an empty text, or one holding only comments, gives none.
// Comments are dropped, as no loader reads them. A syntax error is returned
// as the parser gives it; ParseError splits it for reporting.
func Parse(text []byte) ([]ast.Node, error) {
	f, err := parser.ParseBytes(text, 0)
	if err != nil {
		return nil, err
	}
	var bodies []ast.Node
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			bodies = append(bodies, doc.Body)
		}
	}
	return bodies, nil
}

// ParseError returns what a parse error says, without the source excerpt
// the parser adds to Error(), and the position (1-based line, rune column)
// of the token it is about. at is nil when the error names no token, so each
// loader chooses where such an error goes.
func ParseError(err error) (msg string, at *token.Position) {
	var ye yaml.Error
	if !errors.As(err, &ye) {
		return err.Error(), nil
	}
	if tk := ye.GetToken(); tk != nil && tk.Position != nil {
		return ye.GetMessage(), tk.Position
	}
	return ye.GetMessage(), nil
}
