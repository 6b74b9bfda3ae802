package yamlnode

import (
	"testing"

	"github.com/goccy/go-yaml/ast"
	"github.com/google/go-cmp/cmp"

	"github.com/instrc/instrc/diag"
)

// valueOf returns the value of key in the first document's top mapping, or
// nil when there is no document.
func valueOf(t *testing.T, text, key string) ast.Node {
	t.Helper()
	docs, err := Parse([]byte(text))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(docs) == 0 {
		return nil
	}
	pairs, _ := Pairs(docs[0])
	for _, p := range pairs {
		if p.Key == key {
			return p.Value
		}
	}
	t.Fatalf("no key %q in %q", key, text)
	return nil
}

// keyOf returns the key node key in the first document's top mapping.
func keyOf(t *testing.T, text, key string) ast.Node {
	t.Helper()
	docs, err := Parse([]byte(text))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	pairs, _ := Pairs(docs[0])
	for _, p := range pairs {
		if p.Key == key {
			return p.KeyNode
		}
	}
	t.Fatalf("no key %q in %q", key, text)
	return nil
}

// span is a range reduced to what the tests spell out.
type span struct {
	Line, Col, EndCol int
	Start, End        int // byte offsets
}

func spanOf(r diag.Range) span {
	return span{Line: r.Start.Line, Col: r.Start.Column, EndCol: r.End.Column, Start: r.Start.Offset, End: r.End.Offset}
}

func TestRange(t *testing.T) {
	tests := []struct {
		name string
		text string
		node func(t *testing.T, text string) ast.Node
		want span
	}{
		{
			name: "plain value",
			text: "name: Sales\n",
			node: func(t *testing.T, s string) ast.Node { return valueOf(t, s, "name") },
			want: span{Line: 1, Col: 7, EndCol: 12, Start: 6, End: 11},
		},
		{
			name: "key",
			text: "a: 1\nname: Sales\n",
			node: func(t *testing.T, s string) ast.Node { return keyOf(t, s, "name") },
			want: span{Line: 2, Col: 1, EndCol: 5, Start: 5, End: 9},
		},
		{
			name: "quoted value keeps its quotes",
			text: "name: \"a b\"\n",
			node: func(t *testing.T, s string) ast.Node { return valueOf(t, s, "name") },
			want: span{Line: 1, Col: 7, EndCol: 12, Start: 6, End: 11},
		},
		{
			name: "multi-byte characters before the value",
			text: "clé: valeur\n",
			node: func(t *testing.T, s string) ast.Node { return valueOf(t, s, "clé") },
			want: span{Line: 1, Col: 6, EndCol: 12, Start: 6, End: 12},
		},
		{
			name: "multi-byte value",
			text: "nom: Élodie Ça\n",
			node: func(t *testing.T, s string) ast.Node { return valueOf(t, s, "nom") },
			want: span{Line: 1, Col: 6, EndCol: 15, Start: 5, End: 16},
		},
		{
			name: "multi-byte characters earlier on a later line",
			text: "a: é\nétiquettes: [x, y]\n",
			node: func(t *testing.T, s string) ast.Node { return valueOf(t, s, "étiquettes") },
			want: span{Line: 2, Col: 13, EndCol: 14, Start: 19, End: 20},
		},
		{
			name: "anchored value marks the anchor",
			text: "a: &x val\n",
			node: func(t *testing.T, s string) ast.Node { return valueOf(t, s, "a") },
			want: span{Line: 1, Col: 4, EndCol: 5, Start: 3, End: 4},
		},
		{
			name: "anchored value unwrapped marks the value",
			text: "a: &x val\n",
			node: func(t *testing.T, s string) ast.Node { return Unwrap(valueOf(t, s, "a")) },
			want: span{Line: 1, Col: 7, EndCol: 10, Start: 6, End: 9},
		},
		{
			name: "alias",
			text: "a: &x val\nb: *x\n",
			node: func(t *testing.T, s string) ast.Node { return valueOf(t, s, "b") },
			want: span{Line: 2, Col: 4, EndCol: 5, Start: 13, End: 14},
		},
		{
			name: "value running over lines stops at the line end",
			text: "a: one\n  two\n",
			node: func(t *testing.T, s string) ast.Node { return valueOf(t, s, "a") },
			want: span{Line: 1, Col: 4, EndCol: 7, Start: 3, End: 6},
		},
		{
			name: "value at the end of a file without a newline",
			text: "a: end",
			node: func(t *testing.T, s string) ast.Node { return valueOf(t, s, "a") },
			want: span{Line: 1, Col: 4, EndCol: 7, Start: 3, End: 6},
		},
		{
			name: "nil node",
			text: "",
			node: func(*testing.T, string) ast.Node { return nil },
			want: span{Line: 1, Col: 1, EndCol: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := diag.NewSource("f.yaml", []byte(tt.text))
			got := spanOf(Range(src, tt.node(t, tt.text)))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Range (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPosition(t *testing.T) {
	type pos struct{ Line, Col int }
	tests := []struct {
		name string
		text string
		key  string
		want *pos
	}{
		{"value", "a: 1\nb: two\n", "b", &pos{2, 4}},
		{"after multi-byte characters", "clé: valeur\n", "clé", &pos{1, 6}},
		{"empty document", "", "a", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *pos
			if at := Position(valueOf(t, tt.text, tt.key)); at != nil {
				got = &pos{at.Line, at.Column}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Position (-want +got):\n%s", diff)
			}
		})
	}
}
