package stdlib

import (
	"strings"
	"time"

	"github.com/instrc/instrc/lang"
)

// ValueError says why a value does not fit a field: Error() is the message
// for the author or the contact, in English, and Message gives it in
// English or French; Suggestion, when set, is a value that would fit (the
// nearest list option).
type ValueError struct {
	Type       string   // the field type
	Value      string   // the value as given
	Options    []string // for lists, the options
	Suggestion string
	reason     reason
	subject    string // what the message quotes
	region     string // for phones: the region whose example the message gives
	format     string // for a text field with a format: its instructions
}

func (e *ValueError) Error() string { return e.Message("en") }

// Validate checks a value against a field type and options and returns it in
// canonical form, or an error that says why it does not fit. It uses the
// default options (region US, month-first dates); see ValidateWith.
func Validate(fieldType string, options []string, value string) (string, error) {
	return ValidateWith(fieldType, options, value, ExtractOptions{})
}

// ValidateWith checks a whole value against a field type (and options, for a
// list) and returns its canonical form:
//
//   - text: the value trimmed;
//   - number: "5,000", "$5k", "1,5" → "5000", "5000", "1.5";
//   - email: lower-cased; phone: E.164; url: absolute, https:// added;
//   - date: YYYY-MM-DD from ISO, 12/03/2025 (opt.DayFirst decides), "March 3,
//     2025", "3 mars 2025"; relative dates and dates without a year are refused;
//   - checkbox: "true" or "false" from true/false, yes/no, oui/non, 1/0, on/off;
//   - list: the option's exact spelling, case and accents ignored.
//
// The error is a *ValueError whose message quotes the value and says what
// would fit: "\"abc\" is not a number", "\"Gold\" is not one of Free, Pro,
// Enterprise"; its Message method says the same in French.
func ValidateWith(fieldType string, options []string, value string, opt ExtractOptions) (string, error) {
	value = strings.ToValidUTF8(value, "\uFFFD")
	v := strings.TrimSpace(value)
	ft := strings.ToLower(strings.TrimSpace(fieldType))
	fail := func(r reason) (string, error) {
		return "", &ValueError{Type: ft, Value: value, Options: options, reason: r, subject: v}
	}
	whole := func(start, end int, s string) bool {
		return strings.TrimSpace(s[:start]) == "" && strings.Trim(s[end:], " \t\r\n.") == ""
	}
	switch ft {
	case TypeText:
		return v, nil
	case TypeNumber:
		if len(v) <= maxMatchBytes {
			f := Fold(v)
			if n, ok := findNumber(f); ok && whole(n.start, n.end, f) {
				return n.value, nil
			}
		}
		return fail(reasonNumber)
	case TypeEmail:
		s := strings.TrimPrefix(v, "mailto:")
		if len(s) <= 320 {
			if e, start, end, ok := findEmail(s); ok && start == 0 && end == len(s) {
				return e, nil
			}
		}
		return fail(reasonEmail)
	case TypePhone:
		if len(v) <= 64 && strings.Trim(v, "0123456789+ ().-/\u00a0") == "" {
			if p, ok := parsePhone(v, opt.region()); ok {
				return p, nil
			}
		}
		return "", &ValueError{Type: ft, Value: value, reason: reasonPhone, subject: v, region: strings.ToUpper(strings.TrimSpace(opt.Region))}
	case TypeDate:
		if len(v) <= 64 {
			f := Fold(v)
			for _, p := range []string{"le ", "on ", "the "} {
				f = strings.TrimPrefix(f, p)
			}
			if d, ok := findDate(f, time.Time{}, opt.DayFirst, true); ok && whole(d.start, d.end, f) {
				return d.value, nil
			}
		}
		return fail(reasonDate)
	case TypeURL:
		if u, ok := canonicalURL(v); ok {
			return u, nil
		}
		return fail(reasonURL)
	case TypeCheckbox:
		switch Fold(v) {
		case "true", "yes", "y", "oui", "vrai", "1", "on", "checked", "x":
			return "true", nil
		case "false", "no", "n", "non", "faux", "0", "off", "unchecked":
			return "false", nil
		}
		return fail(reasonCheckbox)
	case TypeList:
		if len(options) == 0 {
			return fail(reasonNoOptions)
		}
		fv := strings.TrimSpace(Fold(v))
		for _, o := range options {
			if o == v {
				return o, nil
			}
		}
		for _, o := range options {
			if strings.TrimSpace(Fold(o)) == fv {
				return o, nil
			}
		}
		return "", &ValueError{Type: ft, Value: value, Options: options, Suggestion: lang.Nearest(fv, options), reason: reasonNotOption, subject: v}
	}
	return "", &ValueError{Type: ft, Value: value, reason: reasonUnknownType, subject: fieldType}
}
