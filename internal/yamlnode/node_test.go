package yamlnode

import (
	"testing"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/google/go-cmp/cmp"
)

// reading is what each helper makes of one node.
type reading struct {
	Unwrapped string // node type after Unwrap
	Null      bool
	Text      string
	TextOK    bool
	Keys      []string
	PairsOK   bool
	Items     int
	ItemsOK   bool
	Describe  string
}

func read(n ast.Node) reading {
	r := reading{Unwrapped: nodeType(Unwrap(n)), Null: IsNull(n), Describe: Describe(n)}
	r.Text, r.TextOK = Text(n)
	pairs, ok := Pairs(n)
	r.PairsOK = ok
	for _, p := range pairs {
		r.Keys = append(r.Keys, p.Key)
	}
	items, ok := Items(n)
	r.Items, r.ItemsOK = len(items), ok
	return r
}

func nodeType(n ast.Node) string {
	if n == nil {
		return "nil"
	}
	return n.Type().String()
}

func TestNodes(t *testing.T) {
	tests := []struct {
		name string
		text string // the value of v is read
		want reading
	}{
		{
			name: "plain string",
			text: "v: hello there\n",
			want: reading{Unwrapped: "String", Text: "hello there", TextOK: true, Describe: `"hello there"`},
		},
		{
			name: "quoted string",
			text: "v: 'it''s'\n",
			want: reading{Unwrapped: "String", Text: "it's", TextOK: true, Describe: `"'it''s'"`},
		},
		{
			name: "integer as written",
			text: "v: 010\n",
			want: reading{Unwrapped: "Integer", Text: "010", TextOK: true, Describe: `"010"`},
		},
		{
			name: "float",
			text: "v: 1.50\n",
			want: reading{Unwrapped: "Float", Text: "1.50", TextOK: true, Describe: `"1.50"`},
		},
		{
			name: "boolean",
			text: "v: true\n",
			want: reading{Unwrapped: "Bool", Text: "true", TextOK: true, Describe: `"true"`},
		},
		{
			name: "block literal",
			text: "v: |\n  one\n  two\n",
			want: reading{Unwrapped: "Literal", Text: "one\ntwo\n", TextOK: true, Describe: "\"|\\n  one\\n  two\""},
		},
		{
			name: "nothing",
			text: "v:\n",
			want: reading{Unwrapped: "Null", Null: true, Describe: "nothing"},
		},
		{
			name: "tilde",
			text: "v: ~\n",
			want: reading{Unwrapped: "Null", Null: true, Describe: "nothing"},
		},
		{
			name: "tagged value",
			text: "v: !!str 12\n",
			want: reading{Unwrapped: "Integer", Text: "12", TextOK: true, Describe: `"!!str 12"`},
		},
		{
			name: "anchored value",
			text: "v: &name Sales\n",
			want: reading{Unwrapped: "String", Text: "Sales", TextOK: true, Describe: `"&name Sales"`},
		},
		{
			name: "alias is not followed",
			text: "a: &name Sales\nv: *name\n",
			want: reading{Unwrapped: "Alias", Describe: "an alias"},
		},
		{
			name: "anchored mapping",
			text: "v: &m {a: 1, b: 2}\n",
			want: reading{Unwrapped: "Mapping", Keys: []string{"a", "b"}, PairsOK: true, Describe: "a mapping"},
		},
		{
			name: "block mapping",
			text: "v:\n  a: 1\n  b: 2\n",
			want: reading{Unwrapped: "Mapping", Keys: []string{"a", "b"}, PairsOK: true, Describe: "a mapping"},
		},
		{
			name: "quoted keys keep their quotes",
			text: "v: {\"a\": 1, 'b': 2, c: 3}\n",
			want: reading{Unwrapped: "Mapping", Keys: []string{`"a"`, "'b'", "c"}, PairsOK: true, Describe: "a mapping"},
		},
		{
			name: "multi-byte keys",
			text: "v:\n  clé: 1\n  étape: 2\n",
			want: reading{Unwrapped: "Mapping", Keys: []string{"clé", "étape"}, PairsOK: true, Describe: "a mapping"},
		},
		{
			name: "list",
			text: "v: [x, y, z]\n",
			want: reading{Unwrapped: "Sequence", Items: 3, ItemsOK: true, Describe: "a list"},
		},
		{
			name: "empty list",
			text: "v: []\n",
			want: reading{Unwrapped: "Sequence", ItemsOK: true, Describe: "a list"},
		},
		{
			name: "anchored block list",
			text: "v: &l\n  - x\n  - y\n",
			want: reading{Unwrapped: "Sequence", Items: 2, ItemsOK: true, Describe: "a list"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, read(valueOf(t, tt.text, "v"))); diff != "" {
				t.Errorf("reading (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNodesMissing(t *testing.T) {
	want := reading{Unwrapped: "nil", Null: true, Describe: "nothing"}
	if diff := cmp.Diff(want, read(nil)); diff != "" {
		t.Errorf("reading of nil (-want +got):\n%s", diff)
	}
}

// A single key: value entry handed over on its own reads as a mapping of
// one entry.
func TestNodesMappingValue(t *testing.T) {
	m, ok := Unwrap(valueOf(t, "v: {a: 1, b: 2}\n", "v")).(*ast.MappingNode)
	if !ok {
		t.Fatal("v is not a mapping")
	}
	want := reading{Unwrapped: "MappingValue", Keys: []string{"b"}, PairsOK: true, Describe: "a mapping"}
	if diff := cmp.Diff(want, read(m.Values[1])); diff != "" {
		t.Errorf("reading (-want +got):\n%s", diff)
	}
}

func TestUnwrapDocument(t *testing.T) {
	f, err := parser.ParseBytes([]byte("---\na: 1\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	got := nodeType(Unwrap(f.Docs[0]))
	if diff := cmp.Diff("Mapping", got); diff != "" {
		t.Errorf("Unwrap of a document (-want +got):\n%s", diff)
	}
}
