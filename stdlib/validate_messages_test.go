package stdlib

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValueErrorMessage(t *testing.T) {
	tiers := []string{"Free", "Pro", "Enterprise"}
	tests := []struct {
		typ     string
		options []string
		value   string
		opt     ExtractOptions
		en, fr  string
	}{
		{TypeNumber, nil, "abc", ExtractOptions{},
			`"abc" is not a number`,
			`« abc » n'est pas un nombre`},
		{TypeNumber, nil, "  environ 5000 ", OptionsFor("fr"),
			`"environ 5000" is not a number`,
			`« environ 5000 » n'est pas un nombre`},
		{TypeEmail, nil, "bob@", ExtractOptions{},
			`"bob@" is not an email address (for example name@example.com)`,
			`« bob@ » n'est pas une adresse e-mail (par exemple nom@example.com)`},
		{TypePhone, nil, "12345", ExtractOptions{},
			`"12345" is not a valid phone number (write it with its country code, for example +16502530000)`,
			`« 12345 » n'est pas un numéro de téléphone valide (écrivez-le avec l'indicatif du pays, par exemple +33612345678)`},
		{TypePhone, nil, "appelez-moi", OptionsFor("fr"),
			`"appelez-moi" is not a valid phone number (write it with its country code, for example +33612345678)`,
			`« appelez-moi » n'est pas un numéro de téléphone valide (écrivez-le avec l'indicatif du pays, par exemple +33612345678)`},
		{TypePhone, nil, "call me", LocaleFor("en", "GB"),
			`"call me" is not a valid phone number (write it with its country code, for example +447400123456)`,
			`« call me » n'est pas un numéro de téléphone valide (écrivez-le avec l'indicatif du pays, par exemple +447400123456)`},
		{TypeDate, nil, "2025-02-30", ExtractOptions{},
			`"2025-02-30" is not a date (write it as YYYY-MM-DD, for example 2025-03-12)`,
			`« 2025-02-30 » n'est pas une date (écrivez-la au format AAAA-MM-JJ, par exemple 2025-03-12)`},
		{TypeDate, nil, "tomorrow", ExtractOptions{},
			`"tomorrow" is not a date (write it as YYYY-MM-DD, for example 2025-03-12)`,
			`« tomorrow » n'est pas une date (écrivez-la au format AAAA-MM-JJ, par exemple 2025-03-12)`},
		{TypeDate, nil, "demain", OptionsFor("fr"),
			`"demain" is not a date (write it as YYYY-MM-DD, for example 2025-03-12)`,
			`« demain » n'est pas une date (écrivez-la au format AAAA-MM-JJ, par exemple 2025-03-12)`},
		{TypeDate, nil, "March 3", ExtractOptions{},
			`"March 3" is not a date (write it as YYYY-MM-DD, for example 2025-03-12)`,
			`« March 3 » n'est pas une date (écrivez-la au format AAAA-MM-JJ, par exemple 2025-03-12)`},
		{TypeDate, nil, "le 3 mars", OptionsFor("fr"),
			`"le 3 mars" is not a date (write it as YYYY-MM-DD, for example 2025-03-12)`,
			`« le 3 mars » n'est pas une date (écrivez-la au format AAAA-MM-JJ, par exemple 2025-03-12)`},
		{TypeURL, nil, "not a url", ExtractOptions{},
			`"not a url" is not a URL (for example https://example.com)`,
			`« not a url » n'est pas une URL (par exemple https://example.com)`},
		{TypeCheckbox, nil, "maybe", ExtractOptions{},
			`"maybe" is not a checkbox value (use true or false)`,
			`« maybe » n'est pas une valeur de case à cocher (utilisez vrai ou faux)`},
		{TypeList, tiers, "Gold", ExtractOptions{},
			`"Gold" is not one of Free, Pro, Enterprise`,
			`« Gold » n'est pas l'une des options Free, Pro, Enterprise`},
		{TypeList, tiers, "Entreprise", ExtractOptions{},
			`"Entreprise" is not one of Free, Pro, Enterprise (did you mean Enterprise?)`,
			`« Entreprise » n'est pas l'une des options Free, Pro, Enterprise (vouliez-vous dire Enterprise ?)`},
		{TypeList, nil, "Pro", ExtractOptions{},
			`"Pro" cannot be checked: the list field has no options`,
			`« Pro » ne peut pas être vérifié : le champ de type liste n'a aucune option`},
		{"colour", nil, "red", ExtractOptions{},
			`unknown field type "colour" (use one of text, number, email, phone, date, list, checkbox, url)`,
			`type de champ « colour » inconnu (utilisez l'un des types text, number, email, phone, date, list, checkbox, url)`},
		{TypeNumber, nil, strings.Repeat("x", 100), ExtractOptions{},
			`"` + strings.Repeat("x", 60) + `…" is not a number`,
			`« ` + strings.Repeat("x", 60) + `… » n'est pas un nombre`},
		{TypeNumber, nil, "a\tb\x00\"c\"", ExtractOptions{},
			`"a\tb\x00\"c\"" is not a number`,
			`« a\tb\x00"c" » n'est pas un nombre`},
	}
	covered := map[reason]bool{}
	for _, tt := range tests {
		_, err := ValidateWith(tt.typ, tt.options, tt.value, tt.opt)
		var ve *ValueError
		require.True(t, errors.As(err, &ve), "ValidateWith(%s, %q) = %v", tt.typ, tt.value, err)
		covered[ve.reason] = true
		if diff := cmp.Diff(tt.en, ve.Error()); diff != "" {
			t.Errorf("ValidateWith(%s, %q).Error() (-want +got):\n%s", tt.typ, tt.value, diff)
		}
		if diff := cmp.Diff(tt.en, ve.Message("en")); diff != "" {
			t.Errorf("ValidateWith(%s, %q).Message(en) (-want +got):\n%s", tt.typ, tt.value, diff)
		}
		if diff := cmp.Diff(tt.fr, ve.Message("fr")); diff != "" {
			t.Errorf("ValidateWith(%s, %q).Message(fr) (-want +got):\n%s", tt.typ, tt.value, diff)
		}
		assert.Equal(t, tt.en, ve.Message("de"), "an unknown language gets English")
	}
	covered[reasonFormat] = true // a field's format: TestValidateFieldFormat
	for r := range reasons {
		assert.True(t, covered[r], "no test gives reason %d", r)
	}
}

// TestValueErrorMessagesComplete checks that every reason is written in both
// languages, with the same arguments.
func TestValueErrorMessagesComplete(t *testing.T) {
	for r, l := range reasons {
		assert.NotEmpty(t, l.en, "reason %d has no English", r)
		assert.NotEmpty(t, l.fr, "reason %d has no French", r)
		assert.Equal(t, strings.Contains(l.en, "%[2]s"), strings.Contains(l.fr, "%[2]s"), "reason %d: English and French differ in their arguments", r)
		assert.Contains(t, l.fr, "%[1]s", "reason %d: French does not quote the value", r)
	}
}
