package yamlnode

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // each body, printed
	}{
		{"empty", "", nil},
		{"only whitespace", "\n  \n", nil},
		{"only a comment", "# nothing yet\n", nil},
		{"empty document", "---\n", nil},
		{"one document", "a: 1\n", []string{"a: 1"}},
		{"comments dropped", "a: 1 # one\n", []string{"a: 1"}},
		{"two documents", "a: 1\n---\nb: 2\n", []string{"a: 1", "b: 2"}},
		{"empty document skipped", "a: 1\n---\n", []string{"a: 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := Parse([]byte(tt.text))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var got []string
			for _, d := range docs {
				got = append(got, d.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("bodies (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseError(t *testing.T) {
	type result struct {
		Msg       string
		Line, Col int
		HasPos    bool
	}
	tests := []struct {
		name string
		err  func() error
		want result
	}{
		{
			name: "unclosed flow list",
			err:  func() error { _, err := Parse([]byte("a: 1\nb: [x,\n")); return err },
			want: result{Msg: "sequence end token ']' not found", Line: 2, Col: 4, HasPos: true},
		},
		{
			name: "tab indentation",
			err:  func() error { _, err := Parse([]byte("a:\n\tb: 1\n")); return err },
			want: result{Msg: "found character '\t' that cannot start any token", Line: 2, Col: 1, HasPos: true},
		},
		{
			name: "column after multi-byte text",
			err:  func() error { _, err := Parse([]byte("clé: [x,\n")); return err },
			want: result{Msg: "sequence end token ']' not found", Line: 1, Col: 6, HasPos: true},
		},
		{
			name: "not a YAML error",
			err:  func() error { return errors.New("disk on fire") },
			want: result{Msg: "disk on fire"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err()
			if err == nil {
				t.Fatal("no error")
			}
			msg, at := ParseError(err)
			got := result{Msg: msg}
			if at != nil {
				got.Line, got.Col, got.HasPos = at.Line, at.Column, true
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseError (-want +got):\n%s", diff)
			}
		})
	}
}
