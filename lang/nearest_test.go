package lang

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Word positions point into the folded text.
func TestWordPositions(t *testing.T) {
	f := Fold("Bonjour, l'équipe qu'il aime")
	for _, w := range Words(f) {
		if full, elided := Elisions[strings.TrimSuffix(f[w.Pos:w.Pos+strings.IndexByte(f[w.Pos:]+"'", '\'')], "'")]; elided && full == w.Text {
			continue
		}
		if !strings.HasPrefix(f[w.Pos:], w.Text) {
			t.Errorf("word %q at %d: folded text there is %q", w.Text, w.Pos, f[w.Pos:])
		}
	}
}

func TestNearest(t *testing.T) {
	keys := []string{"name", "contact_fields", "lifecycle_stages", "tags", "teams"}
	tests := []struct {
		name    string
		s       string
		options []string
		want    string
	}{
		{"exact", "tags", keys, "tags"},
		{"swapped letters", "nmae", keys, "name"},
		{"upper case", "NAME", keys, "name"},
		{"accents and case ignored", "Probleme resolu", []string{"Problème Résolu", "Spam"}, "Problème Résolu"},
		{"spaces collapsed", "Issue   Resolved", []string{"Issue Resolved"}, "Issue Resolved"},
		{"a third of the length", "contact_fiedls", keys, "contact_fields"},
		{"a name cut short finds the whole", "contact_f", keys, "contact_fields"},
		{"a name extended finds the shorter", "Billing Team Europe", []string{"Billing Team", "Sales"}, "Billing Team"},
		{"two edits on a short name", "tgs", keys, "tags"},
		{"nothing near", "colour", keys, ""},
		{"tie goes to the first", "tams", []string{"tags", "teams"}, "tags"},
		{"no options", "name", nil, ""},
		{"empty", "", []string{"ab", "abcd"}, ""},
		{"too long to be a name", strings.Repeat("a", 300), []string{strings.Repeat("a", 299)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Nearest(tt.s, tt.options)); diff != "" {
				t.Errorf("Nearest(%q) (-want +got):\n%s", tt.s, diff)
			}
		})
	}
}
