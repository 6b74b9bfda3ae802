package yamlnode

import (
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/instrc/instrc/diag"
)

// Position returns where n's own token starts: 1-based line and column, the
// column counted in runes like diag.Pos. It is nil for a nil node or a token
// without a position.
func Position(n ast.Node) *token.Position {
	if n == nil {
		return nil
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return nil
	}
	return tk.Position
}

// Range returns the source range of n's own token (a key or a scalar, not
// the subtree under it), which is what an error's caret should mark. The
// range ends with the token's text, or earlier at the end of its line; a nil
// node or one without a position gives the empty range at the start of the
// file.
func Range(src *diag.Source, n ast.Node) diag.Range {
	at := Position(n)
	if at == nil {
		return src.Range(0, 0)
	}
	tk := n.GetToken()
	start := src.Offset(at.Line, at.Column)
	// Origin is the token as written, with the whitespace around it; Value
	// is its text once unquoted. The wider of the two is marked.
	end := start + max(len(strings.TrimSpace(tk.Origin)), len(tk.Value))
	for i := start; i < end && i < len(src.Text); i++ {
		if src.Text[i] == '\n' {
			end = i
			break
		}
	}
	return src.Range(start, min(end, len(src.Text)))
}
