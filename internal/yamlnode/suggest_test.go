package yamlnode

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

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
		{"three edits", "contact_fie", keys, "contact_fields"},
		{"four edits is too far", "contact_f", keys, ""},
		{"nothing near", "colour", keys, ""},
		{"tie goes to the first", "tams", []string{"tags", "teams"}, "tags"},
		{"options are not lower-cased", "name", []string{"NAME"}, ""},
		{"runes, not bytes", "ééé", []string{"aaa"}, "aaa"},
		{"accented upper case", "ÉTAPE", []string{"étape"}, "étape"},
		{"no options", "name", nil, ""},
		{"empty", "", []string{"ab", "abcd"}, "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Nearest(tt.s, tt.options)); diff != "" {
				t.Errorf("Nearest(%q) (-want +got):\n%s", tt.s, diff)
			}
		})
	}
}
