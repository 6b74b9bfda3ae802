package yamlnode

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
)

// Unwrap returns the value under tags (!!str), anchors (&name) and a
// document node. An alias (*name) is left as it is: the loaders do not
// follow aliases, and report one where a value was expected.
func Unwrap(n ast.Node) ast.Node {
	for {
		switch t := n.(type) {
		case *ast.TagNode:
			n = t.Value
		case *ast.AnchorNode:
			n = t.Value
		case *ast.DocumentNode:
			n = t.Body
		default:
			return n
		}
	}
}

// IsNull reports whether n, unwrapped, is missing or null: "key:" with
// nothing after it, "~" or "null".
func IsNull(n ast.Node) bool {
	switch Unwrap(n).(type) {
	case *ast.NullNode, nil:
		return true
	}
	return false
}

// Pair is one key: value entry of a mapping.
type Pair struct {
	// Key is the key node's String(): a quoted key keeps its quotes.
	Key     string
	KeyNode ast.Node
	Value   ast.Node
}

// Pairs returns the entries of a mapping in the order written. ok is false
// when n, unwrapped, is not a mapping (null included).
func Pairs(n ast.Node) (pairs []Pair, ok bool) {
	var values []*ast.MappingValueNode
	switch m := Unwrap(n).(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	default:
		return nil, false
	}
	pairs = make([]Pair, 0, len(values))
	for _, mv := range values {
		pairs = append(pairs, Pair{Key: mv.Key.String(), KeyNode: mv.Key, Value: mv.Value})
	}
	return pairs, true
}

// Items returns the items of a list. ok is false when n, unwrapped, is not a
// list (null included).
func Items(n ast.Node) (items []ast.Node, ok bool) {
	if s, ok := Unwrap(n).(*ast.SequenceNode); ok {
		return s.Values, true
	}
	return nil, false
}

// Text returns the text of a single value: a string, a number, a boolean or
// a block literal (| or >), after Unwrap. Numbers and booleans come as
// written: 010 stays "010", not "10". ok is false for anything else, null
// included.
func Text(n ast.Node) (text string, ok bool) {
	switch s := Unwrap(n).(type) {
	case *ast.StringNode:
		return s.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return s.GetToken().Value, true
	case *ast.LiteralNode:
		return s.Value.Value, true
	}
	return "", false
}

// Describe names what n is, for messages that say what was found instead
// of what was expected: "a mapping", "a list", "nothing", "an alias", or
// else n's text, quoted.
func Describe(n ast.Node) string {
	switch Unwrap(n).(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.NullNode, nil:
		return "nothing"
	case *ast.AliasNode:
		return "an alias"
	default:
		return fmt.Sprintf("%q", n.String())
	}
}
