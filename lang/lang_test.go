package lang

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Clôture", "cloture"},
		{"CLÔTURE", "cloture"},
		{"Problème Résolu", "probleme resolu"},
		{"l’adresse", "l'adresse"},
		{"d`accord", "d'accord"},
		{"Œuvre", "oeuvre"},
		{"Straße", "strasse"},
		{"ok\xffok", "ok ok"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	texts := func(ws []Word) []string {
		out := make([]string, len(ws))
		for i, w := range ws {
			out[i] = w.Text
		}
		return out
	}
	tests := []struct {
		in   string
		want []string
	}{
		{"l'ordre qu'il a", []string{"le", "ordre", "que", "il", "a"}},
		{"lorsqu'il presqu'île", []string{"lorsque", "il", "presque", "ile"}},
		{"i can't, she doesnt", []string{"i", "can", "not", "she", "does", "not"}},
		{"where's john's bag", []string{"where", "is", "john", "bag"}},
		{"i'm aujourd'hui", []string{"i", "am", "aujourdhui"}},
		{"order #100871!", []string{"order", "100871"}},
		{"customers' ", []string{"customers"}},
		{"", []string{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, texts(Words(Fold(tt.in)))); diff != "" {
			t.Errorf("Words(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
	// Positions point into the folded text.
	f := Fold("Bonjour, l'équipe")
	for _, w := range Words(f) {
		if !strings.HasPrefix(f[w.Pos:], w.Text) && w.Text != "le" {
			t.Errorf("word %q at %d: folded text there is %q", w.Text, w.Pos, f[w.Pos:])
		}
	}
}

func TestGuess(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"Where is my order?", "en", true},
		{"Où est ma commande ?", "fr", true},
		{"Si le contact a fourni son budget, enregistre-le comme champ Budget.", "fr", true},
		{"If the customer asks for a refund, assign to @Billing.", "en", true},
		{"MC-20418", "en", false},
		{"ok", "en", false},
		{"", "en", false},
		{"l'adresse", "fr", true},
	}
	for _, tt := range tests {
		got, ok := Guess(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Guess(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if d := Detect(tt.in); d != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.in, d, tt.want)
		}
		if d := DetectWords(Words(Fold(tt.in))); tt.ok && d != tt.want && !strings.ContainsAny(tt.in, "'éù") {
			t.Errorf("DetectWords(%q) = %q, want %q", tt.in, d, tt.want)
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

func TestClip(t *testing.T) {
	if got := Clip("héllo", 2); got != "h" {
		t.Errorf("Clip cut inside a rune: %q", got)
	}
	if got := Clip("abc", 10); got != "abc" {
		t.Errorf("Clip(abc, 10) = %q", got)
	}
}
