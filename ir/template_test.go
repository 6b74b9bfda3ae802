package ir

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTemplateRefs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Thanks, $contact.firstname.", []string{"firstname"}},
		{"Hi {{$contact.firstname}}!", []string{"firstname"}},
		{"Hi {{ $contact.first_name }}!", []string{"first_name"}},
		{"Hi {{contact.firstname}}, see you", []string{"firstname"}},
		{"Your code: $contact.promo-code-", []string{"promo-code"}},
		{"$contact.address.city and $contact.Budget", []string{"address.city", "Budget"}},
		{"Bonjour {{$contact.prénom}} !", []string{"prénom"}},
		// between braces a name is whole, spaces included
		{"Hi {{$contact.First Name}}!", []string{"First Name"}},
		{"Hi {{ $contact.First Nam }} and $contact.First Name", []string{"First Nam", "First"}},
		{"Votre commande {{$contact.Numéro de Commande}}.", []string{"Numéro de Commande"}},
		{"no placeholder here, {{Select Team}}", nil},
		{"$contactless", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range TemplateRefs(tt.in) {
			if tt.in[r.FieldStart:r.FieldStart+len(r.Field)] != r.Field {
				t.Errorf("%q: FieldStart %d does not point at %q", tt.in, r.FieldStart, r.Field)
			}
			got = append(got, r.Field)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("TemplateRefs(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestFillTemplate(t *testing.T) {
	values := map[string]string{"firstname": "Ana", "prénom": "Léa"}
	get := func(f string) string { return values[f] }
	tests := []struct{ in, want string }{
		{"Thanks, $contact.firstname.", "Thanks, Ana."},
		{"Hi {{contact.firstname}}!", "Hi Ana!"},
		{"Hi {{ $contact.firstname }} and {{$contact.firstname}}", "Hi Ana and Ana"},
		{"Bonjour {{$contact.prénom}} !", "Bonjour Léa !"},
		{"Code: $contact.missing", "Code: "},
		{"plain", "plain"},
	}
	for _, tt := range tests {
		if got := FillTemplate(tt.in, get); got != tt.want {
			t.Errorf("FillTemplate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
