package stdlib

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// reason is why a value does not fit a field.
type reason int

const (
	reasonNumber reason = iota + 1
	reasonEmail
	reasonPhone
	reasonDate
	reasonURL
	reasonCheckbox
	reasonNoOptions
	reasonNotOption
	reasonUnknownType
	reasonFormat
)

// localized is a message in English and French.
type localized struct{ en, fr string }

func (l localized) in(lang string) string {
	if lang == "fr" {
		return l.fr
	}
	return l.en
}

// reasons holds what a ValueError says, by reason. In each format, %[1]s is
// the quoted value (the quoted field type, for an unknown type) and %[2]s the
// list's options (the known field types, for an unknown type; for a phone,
// an example number: the region's, else the language's).
var reasons = map[reason]localized{
	reasonNumber: {
		"%[1]s is not a number",
		"%[1]s n'est pas un nombre",
	},
	reasonEmail: {
		"%[1]s is not an email address (for example name@example.com)",
		"%[1]s n'est pas une adresse e-mail (par exemple nom@example.com)",
	},
	reasonPhone: {
		"%[1]s is not a valid phone number (write it with its country code, for example %[2]s)",
		"%[1]s n'est pas un numéro de téléphone valide (écrivez-le avec l'indicatif du pays, par exemple %[2]s)",
	},
	reasonDate: {
		"%[1]s is not a date (write it as YYYY-MM-DD, for example 2025-03-12)",
		"%[1]s n'est pas une date (écrivez-la au format AAAA-MM-JJ, par exemple 2025-03-12)",
	},
	reasonURL: {
		"%[1]s is not a URL (for example https://example.com)",
		"%[1]s n'est pas une URL (par exemple https://example.com)",
	},
	reasonCheckbox: {
		"%[1]s is not a checkbox value (use true or false)",
		"%[1]s n'est pas une valeur de case à cocher (utilisez vrai ou faux)",
	},
	reasonNoOptions: {
		"%[1]s cannot be checked: the list field has no options",
		"%[1]s ne peut pas être vérifié : le champ de type liste n'a aucune option",
	},
	reasonNotOption: {
		"%[1]s is not one of %[2]s",
		"%[1]s n'est pas l'une des options %[2]s",
	},
	reasonFormat: {
		"%[1]s does not follow the field's format (%[2]s)",
		"%[1]s ne respecte pas le format du champ (%[2]s)",
	},
	reasonUnknownType: {
		"unknown field type %[1]s (use one of %[2]s)",
		"type de champ %[1]s inconnu (utilisez l'un des types %[2]s)",
	},
}

// didYouMean follows a reason when a list option is close to the value; %s
// is the option.
var didYouMean = localized{" (did you mean %s?)", " (vouliez-vous dire %s ?)"}

// Message says why the value does not fit, in lang ("en" or "fr"; anything
// else is English). Error is Message("en").
func (e *ValueError) Message(lang string) string {
	l, ok := reasons[e.reason]
	if !ok {
		return ""
	}
	list := strings.Join(e.Options, ", ")
	switch e.reason {
	case reasonUnknownType:
		list = strings.Join(FieldTypes, ", ")
	case reasonFormat:
		list = e.format
	case reasonPhone:
		r := e.region
		if r == "" {
			r = DefaultRegion(lang)
		}
		list = examplePhone(r)
	}
	msg := fmt.Sprintf(l.in(lang), quoteIn(lang, e.subject), list)
	if e.reason == reasonNotOption && e.Suggestion != "" {
		msg += fmt.Sprintf(didYouMean.in(lang), e.Suggestion)
	}
	return msg
}

// quoteIn quotes a value for a message in lang, shortened when long: "abc"
// in English, « abc » in French.
func quoteIn(lang, s string) string {
	const max = 60
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	if lang != "fr" {
		return strconv.Quote(s)
	}
	var b strings.Builder
	b.WriteString("« ")
	for _, r := range s {
		if unicode.IsPrint(r) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRune(r)
		b.WriteString(q[1 : len(q)-1])
	}
	b.WriteString(" »")
	return b.String()
}
