package stdlib

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
)

type extractCase struct {
	typ     string
	options []string
	text    string
	want    string // "" means not found
}

var plans = []string{"Free", "Pro", "Pro Plus", "Enterprise"}

var extractCases = []extractCase{
	// email
	{TypeEmail, nil, "contact me: Bob.Smith@Example.COM.", "bob.smith@example.com"},
	{TypeEmail, nil, "mon mail c'est jean-pierre+shop@orange.fr merci", "jean-pierre+shop@orange.fr"},
	{TypeEmail, nil, "first a@b.co then c@d.io", "a@b.co"},
	{TypeEmail, nil, "<mailto:x@example.org>", "x@example.org"},
	{TypeEmail, nil, "élodie@café.fr", ""}, // accented local parts are not accepted
	{TypeEmail, nil, "contact@café.fr", "contact@café.fr"},
	{TypeEmail, nil, "bob@ or @example.com or bob@example", ""},
	{TypeEmail, nil, "bob..smith@example.com", ""},
	{TypeEmail, nil, "no address here", ""},
	// phone
	{TypePhone, nil, "call me at +1 (650) 253-0000 please", "+16502530000"},
	{TypePhone, nil, "my number is 650.253.0000", "+16502530000"},
	{TypePhone, nil, "+33 6 12 34 56 78", "+33612345678"},
	{TypePhone, nil, "+44 20 7031 3000", "+442070313000"},
	{TypePhone, nil, "order 123456", ""},
	{TypePhone, nil, "on 2025-03-12 at 10:30", ""},
	{TypePhone, nil, "06 12 34 56 78", ""}, // not a US number
	{TypePhone, nil, "id A16502530000", ""},
	// number
	{TypeNumber, nil, "about 5,000", "5000"},
	{TypeNumber, nil, "5 000 €", "5000"},
	{TypeNumber, nil, "5\u00a0000 €", "5000"},
	{TypeNumber, nil, "5k", "5000"},
	{TypeNumber, nil, "5K$", "5000"},
	{TypeNumber, nil, "$5000", "5000"},
	{TypeNumber, nil, "5000€", "5000"},
	{TypeNumber, nil, "1.5", "1.5"},
	{TypeNumber, nil, "1,5", "1.5"},
	{TypeNumber, nil, "1,234.56", "1234.56"},
	{TypeNumber, nil, "1.234,56 €", "1234.56"},
	{TypeNumber, nil, "12,345,678", "12345678"},
	{TypeNumber, nil, "2.5k", "2500"},
	{TypeNumber, nil, "1.25 million dollars", "1250000"},
	{TypeNumber, nil, "USD 300", "300"},
	{TypeNumber, nil, "-42", "-42"},
	{TypeNumber, nil, "0.50", "0.5"},
	{TypeNumber, nil, "007", "7"},
	{TypeNumber, nil, "I need 3 seats, budget 2.5k", "2500"},
	{TypeNumber, nil, "I need 3 seats", "3"},
	{TypeNumber, nil, "on the 3rd", ""},
	{TypeNumber, nil, "see A123", ""},
	{TypeNumber, nil, "no numbers", ""},
	// date (now is Monday 10 March 2025)
	{TypeDate, nil, "2025-03-12", "2025-03-12"},
	{TypeDate, nil, "2025/3/2 at noon", "2025-03-02"},
	{TypeDate, nil, "12/03/2025", "2025-12-03"},
	{TypeDate, nil, "25/03/2025", "2025-03-25"},
	{TypeDate, nil, "3/4/25", "2025-03-04"},
	{TypeDate, nil, "on March 3", "2025-03-03"},
	{TypeDate, nil, "March 3rd, 2026", "2026-03-03"},
	{TypeDate, nil, "the 3rd of March", "2025-03-03"},
	{TypeDate, nil, "Dec 28", "2024-12-28"},
	{TypeDate, nil, "le 3 mars", "2025-03-03"},
	{TypeDate, nil, "le 1er février 2026", "2026-02-01"},
	{TypeDate, nil, "13 août", "2025-08-13"},
	{TypeDate, nil, "tomorrow please", "2025-03-11"},
	{TypeDate, nil, "today", "2025-03-10"},
	{TypeDate, nil, "demain", "2025-03-11"},
	{TypeDate, nil, "après-demain", "2025-03-12"},
	{TypeDate, nil, "day after tomorrow", "2025-03-12"},
	{TypeDate, nil, "yesterday", "2025-03-09"},
	{TypeDate, nil, "aujourd'hui", "2025-03-10"},
	{TypeDate, nil, "next friday", "2025-03-14"},
	{TypeDate, nil, "lundi prochain", "2025-03-17"},
	{TypeDate, nil, "dans 3 jours", "2025-03-13"},
	{TypeDate, nil, "in two weeks", "2025-03-24"},
	{TypeDate, nil, "next week", "2025-03-17"},
	{TypeDate, nil, "tomorrow, i.e. March 11", "2025-03-11"},
	{TypeDate, nil, "2025-02-30", ""},
	{TypeDate, nil, "I may call", ""},
	{TypeDate, nil, "no date", ""},
	// url
	{TypeURL, nil, "see www.Example.com/Path.", "https://www.example.com/Path"},
	{TypeURL, nil, "our site is acme.io", "https://acme.io"},
	{TypeURL, nil, "(https://example.org/a?b=c)", "https://example.org/a?b=c"},
	{TypeURL, nil, "HTTP://EXAMPLE.COM", "http://example.com"},
	{TypeURL, nil, "mail bob@example.com", ""},
	{TypeURL, nil, "file.txt and e.g. this", ""},
	{TypeURL, nil, "ftp://example.com", ""},
	// checkbox
	{TypeCheckbox, nil, "yes please", "true"},
	{TypeCheckbox, nil, "Oui, bien sûr", "true"},
	{TypeCheckbox, nil, "d’accord", "true"},
	{TypeCheckbox, nil, "no problem", "true"},
	{TypeCheckbox, nil, "non merci", "false"},
	{TypeCheckbox, nil, "nope", "false"},
	{TypeCheckbox, nil, "not really", "false"},
	{TypeCheckbox, nil, "pas du tout", "false"},
	{TypeCheckbox, nil, "maybe", ""},
	// list
	{TypeList, plans, "I'd like the pro plan", "Pro"},
	{TypeList, plans, "PRO PLUS please", "Pro Plus"},
	{TypeList, plans, "enterprise", "Enterprise"},
	{TypeList, plans, "the Enterprises plan", "Enterprise"},
	{TypeList, plans, "probably free", "Free"},
	{TypeList, plans, "gold", ""},
	{TypeList, []string{"Gratuit", "Équipe", "Entreprise"}, "l'offre equipe svp", "Équipe"},
	{TypeList, []string{"A+", "B"}, "grade a+", "A+"},
	{TypeList, nil, "anything", ""},
	// text
	{TypeText, nil, "  hello  ", "hello"},
	{TypeText, nil, "   ", ""},
	{"TEXT", nil, "case of the type", "case of the type"},
	{"unknown", nil, "x", ""},
}

func TestExtract(t *testing.T) {
	for _, tt := range extractCases {
		got, ok := Extract(tt.typ, tt.options, tt.text, benchNow)
		assert.Equal(t, tt.want != "", ok, "Extract(%s, %q) ok", tt.typ, tt.text)
		assert.Equal(t, tt.want, got, "Extract(%s, %q)", tt.typ, tt.text)
	}
}

func TestExtractWithOptions(t *testing.T) {
	fr := OptionsFor("fr")
	tests := []struct {
		typ, text string
		opt       ExtractOptions
		want      string
	}{
		{TypePhone, "mon numéro : 06 12 34 56 78", fr, "+33612345678"},
		{TypePhone, "0033 6 12 34 56 78", fr, "+33612345678"},
		{TypePhone, "+1 650 253 0000", fr, "+16502530000"},
		{TypePhone, "06 12 34 56 78", ExtractOptions{Region: "us"}, ""},
		{TypePhone, "0470 12 34 56", ExtractOptions{Region: "be"}, "+32470123456"},
		// Numbers set aside for examples and fiction are numbers too.
		{TypePhone, "It's 07700 900123, email sam.k@example.co.uk", LocaleFor("en", "GB"), "+447700900123"},
		{TypePhone, "call (212) 555-0142", ExtractOptions{}, "+12125550142"},
		{TypePhone, "07700 123", LocaleFor("en", "GB"), ""},
		{TypeDate, "12/03/2025", fr, "2025-03-12"},
		{TypeDate, "le 12.03.25", fr, "2025-03-12"},
		{TypeDate, "12/03/2025", ExtractOptions{}, "2025-12-03"},
		{TypeDate, "13/03/2025", ExtractOptions{}, "2025-03-13"},
	}
	for _, tt := range tests {
		got, _ := ExtractWith(tt.typ, nil, tt.text, benchNow, tt.opt)
		assert.Equal(t, tt.want, got, "ExtractWith(%s, %q, %+v)", tt.typ, tt.text, tt.opt)
	}
	got, ok := ExtractPhone("joignable au 06 12 34 56 78", "FR")
	assert.True(t, ok)
	assert.Equal(t, "+33612345678", got)
	assert.Equal(t, "US", DefaultRegion("en"))
	assert.Equal(t, "FR", DefaultRegion("fr"))
}

// Relative dates follow the clock's calendar day in its own location.
func TestExtractDateLocation(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data")
	}
	// 23:30 UTC on 10 March is already 11 March in Paris.
	now := time.Date(2025, 3, 10, 23, 30, 0, 0, time.UTC).In(paris)
	got, _ := Extract(TypeDate, nil, "demain", now)
	assert.Equal(t, "2025-03-12", got)
}

// Whatever Extract finds, Validate accepts as it is: extraction gives
// canonical values.
func TestExtractGivesValidValues(t *testing.T) {
	for _, tt := range extractCases {
		got, ok := Extract(tt.typ, tt.options, tt.text, benchNow)
		if !ok {
			continue
		}
		v, err := Validate(tt.typ, tt.options, got)
		if assert.NoError(t, err, "Extract(%s, %q) = %q", tt.typ, tt.text, got) {
			assert.Equal(t, got, v, "Extract(%s, %q) is not canonical", tt.typ, tt.text)
		}
	}
}

func TestExtractHostile(t *testing.T) {
	inputs := []string{
		"\xff\xfe\xfd", "😀😀😀 5k 😀", strings.Repeat("9", 100000), strings.Repeat("a@", 50000),
		strings.Repeat("1,", 40000), strings.Repeat("+1 ", 30000), strings.Repeat("www.", 30000),
		strings.Repeat("march 3 ", 10000), "\x00\x00", "@@@...", "-", "$", "k", "1e308", "99/99/9999",
		"9999-99-99", "0000-00-00", "31/02/2025", strings.Repeat("é", 20000), "in 999 days",
	}
	for _, in := range inputs {
		for _, typ := range FieldTypes {
			assert.NotPanics(t, func() {
				v, ok := Extract(typ, plans, in, benchNow)
				if ok {
					_, err := Validate(typ, plans, v)
					assert.NoError(t, err, "%s %.40q → %.40q", typ, in, v)
				}
			})
		}
	}
}

func TestTextValue(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"my postcode is LS6 2AB", "LS6 2AB"},
		{"what's my postcode for? it's M4 6BX", "M4 6BX"},
		{"my member ID is NW-4821.", "NW-4821"},
		{"LS6 2AB", "LS6 2AB"},
		{"ma mutuelle c'est la MGEN", "MGEN"},
		{"Mon code postal : 69003", "69003"},
		{"la mutuelle est Harmonie Mutuelle", "Harmonie Mutuelle"},
		{"why is that needed?", "why is that needed?"},
		{"the number on my membership card is 4471", "4471"},
		{"the screen does not turn on and the battery is not charging at all", "the screen does not turn on and the battery is not charging at all"},
		{"it goes black every few minutes when the battery is low", "it goes black every few minutes when the battery is low"},
		{"la clim n'est pas réparée", "la clim n'est pas réparée"},
		{"depuis hier soir la connexion de la box est coupée", "depuis hier soir la connexion de la box est coupée"},
	} {
		if d := cmp.Diff(tt.want, TextValue(tt.in)); d != "" {
			t.Errorf("TextValue(%q) (-want +got):\n%s", tt.in, d)
		}
	}
}

func TestRangeOptions(t *testing.T) {
	opts := []string{"1-10", "11-50", "51-200", "200+"}
	for _, tt := range []struct{ in, want string }{
		{"we're about 40 people", "11-50"},
		{"nous sommes 120", "51-200"},
		{"a team of 500", "200+"},
		{"11-50", "11-50"},
		{"just me", ""},
	} {
		got, _ := ExtractWith(TypeList, opts, tt.in, time.Time{}, ExtractOptions{})
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("list %q (-want +got):\n%s", tt.in, d)
		}
	}
}
