package stdlib

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidate(t *testing.T) {
	tiers := []string{"Free", "Pro", "Enterprise"}
	tests := []struct {
		typ     string
		options []string
		value   string
		want    string // canonical value when valid
		err     string // exact error message when invalid
	}{
		{TypeText, nil, "  anything at all ", "anything at all", ""},
		{TypeText, nil, "", "", ""},
		{TypeNumber, nil, "5000", "5000", ""},
		{TypeNumber, nil, " 5,000 ", "5000", ""},
		{TypeNumber, nil, "5 000 €", "5000", ""},
		{TypeNumber, nil, "$5k", "5000", ""},
		{TypeNumber, nil, "1,5", "1.5", ""},
		{TypeNumber, nil, "-12.50", "-12.5", ""},
		{TypeNumber, nil, "abc", "", `"abc" is not a number`},
		{TypeNumber, nil, "5000 apples", "", `"5000 apples" is not a number`},
		{TypeNumber, nil, "about 5000", "", `"about 5000" is not a number`},
		{TypeNumber, nil, "", "", `"" is not a number`},
		{TypeEmail, nil, "Bob@Example.COM", "bob@example.com", ""},
		{TypeEmail, nil, "mailto:bob@example.com", "bob@example.com", ""},
		{TypeEmail, nil, "bob@", "", `"bob@" is not an email address (for example name@example.com)`},
		{TypeEmail, nil, "my email is bob@example.com", "", `"my email is bob@example.com" is not an email address (for example name@example.com)`},
		{TypePhone, nil, "+1 (650) 253-0000", "+16502530000", ""},
		{TypePhone, nil, "650-253-0000", "+16502530000", ""},
		{TypePhone, nil, "+33 6 12 34 56 78", "+33612345678", ""},
		{TypePhone, nil, "12345", "", `"12345" is not a valid phone number (write it with its country code, for example +16502530000)`},
		{TypePhone, nil, "call +16502530000", "", `"call +16502530000" is not a valid phone number (write it with its country code, for example +16502530000)`},
		{TypeDate, nil, "2025-03-12", "2025-03-12", ""},
		{TypeDate, nil, "03/12/2025", "2025-03-12", ""},
		{TypeDate, nil, "March 3, 2025", "2025-03-03", ""},
		{TypeDate, nil, "3 mars 2025", "2025-03-03", ""},
		{TypeDate, nil, "le 1er mars 2025", "2025-03-01", ""},
		{TypeDate, nil, "2025-02-30", "", `"2025-02-30" is not a date (write it as YYYY-MM-DD, for example 2025-03-12)`},
		{TypeDate, nil, "tomorrow", "", `"tomorrow" is not a date (write it as YYYY-MM-DD, for example 2025-03-12)`},
		{TypeDate, nil, "March 3", "", `"March 3" is not a date (write it as YYYY-MM-DD, for example 2025-03-12)`},
		{TypeURL, nil, "example.com", "https://example.com", ""},
		{TypeURL, nil, "https://Example.com/A?b=1", "https://example.com/A?b=1", ""},
		{TypeURL, nil, "not a url", "", `"not a url" is not a URL (for example https://example.com)`},
		{TypeURL, nil, "javascript:alert(1)", "", `"javascript:alert(1)" is not a URL (for example https://example.com)`},
		{TypeCheckbox, nil, "Yes", "true", ""},
		{TypeCheckbox, nil, "oui", "true", ""},
		{TypeCheckbox, nil, "1", "true", ""},
		{TypeCheckbox, nil, "FALSE", "false", ""},
		{TypeCheckbox, nil, "non", "false", ""},
		{TypeCheckbox, nil, "maybe", "", `"maybe" is not a checkbox value (use true or false)`},
		{TypeList, tiers, "Pro", "Pro", ""},
		{TypeList, tiers, "pro", "Pro", ""},
		{TypeList, []string{"Équipe", "Solo"}, "equipe", "Équipe", ""},
		{TypeList, tiers, "Gold", "", `"Gold" is not one of Free, Pro, Enterprise`},
		{TypeList, tiers, "Entreprise", "", `"Entreprise" is not one of Free, Pro, Enterprise (did you mean Enterprise?)`},
		{TypeList, nil, "Pro", "", `"Pro" cannot be checked: the list field has no options`},
		{"colour", nil, "red", "", `unknown field type "colour" (use one of text, number, email, phone, date, list, checkbox, url)`},
		{" Number ", nil, "7", "7", ""},
	}
	for _, tt := range tests {
		got, err := Validate(tt.typ, tt.options, tt.value)
		if tt.err == "" {
			if assert.NoError(t, err, "Validate(%s, %q)", tt.typ, tt.value) {
				assert.Equal(t, tt.want, got, "Validate(%s, %q)", tt.typ, tt.value)
				again, err := Validate(tt.typ, tt.options, got)
				assert.NoError(t, err)
				assert.Equal(t, got, again, "canonical form of %q is not stable", tt.value)
			}
			continue
		}
		if assert.Error(t, err, "Validate(%s, %q) = %q", tt.typ, tt.value, got) {
			assert.Equal(t, tt.err, err.Error())
			assert.Empty(t, got)
		}
	}
}

func TestValidateWithOptions(t *testing.T) {
	fr := OptionsFor("fr")
	got, err := ValidateWith(TypeDate, nil, "12/03/2025", fr)
	require.NoError(t, err)
	assert.Equal(t, "2025-03-12", got)
	got, err = ValidateWith(TypePhone, nil, "06 12 34 56 78", fr)
	require.NoError(t, err)
	assert.Equal(t, "+33612345678", got)
	_, err = Validate(TypePhone, nil, "06 12 34 56 78")
	assert.Error(t, err)
}

func TestValueError(t *testing.T) {
	_, err := Validate(TypeList, []string{"Free", "Pro", "Enterprise"}, "Enterprize")
	var ve *ValueError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "Enterprise", ve.Suggestion)
	assert.Equal(t, TypeList, ve.Type)
	assert.Equal(t, "Enterprize", ve.Value)

	_, err = Validate(TypeList, []string{"Free", "Pro", "Enterprise"}, "Platinum")
	require.True(t, errors.As(err, &ve))
	assert.Empty(t, ve.Suggestion)

	// Long values are shortened in the message.
	_, err = Validate(TypeNumber, nil, strings.Repeat("x", 500))
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 120)
}

func TestValidateHostile(t *testing.T) {
	for _, in := range []string{"\xff\xfe", "😀", strings.Repeat("1", 100000), strings.Repeat("é", 100000), "\x00", "+", "."} {
		for _, typ := range FieldTypes {
			assert.NotPanics(t, func() {
				v, err := Validate(typ, plans, in)
				if err == nil {
					again, err := Validate(typ, plans, v)
					assert.NoError(t, err)
					assert.Equal(t, v, again)
				}
			})
		}
	}
}
