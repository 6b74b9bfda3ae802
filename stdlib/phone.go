package stdlib

import (
	"regexp"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// KnownPhoneRegion reports whether region is a two-letter country code
// (ISO 3166, upper case) for which phone numbers can be read.
func KnownPhoneRegion(region string) bool {
	if len(region) != 2 || strings.ToUpper(region) != region {
		return false
	}
	return phonenumbers.GetCountryCodeForRegion(region) != 0
}

// examplePhone is a valid mobile number of the region in E.164, for messages
// that say what would fit.
func examplePhone(region string) string {
	switch region {
	case "", "US":
		return "+16502530000"
	case "FR":
		return "+33612345678"
	}
	defer func() { _ = recover() }()
	if n := phonenumbers.GetExampleNumberForType(region, phonenumbers.MOBILE); n != nil {
		return phonenumbers.Format(n, phonenumbers.E164)
	}
	return "+16502530000"
}

// phoneRe finds runs that look like a phone number: digits with the usual
// separators, maybe a leading + or opening parenthesis.
var phoneRe = regexp.MustCompile(`\+?\(?\d[\d \x{00a0}\x{202f}().\-]{4,24}\d`)

// findPhone returns the first valid phone number in s in E.164, and its
// byte range. region is assumed for numbers without a + prefix.
func findPhone(s, region string) (string, int, int, bool) {
	for _, m := range phoneRe.FindAllStringIndex(s, -1) {
		cand := s[m[0]:m[1]]
		// Part of a longer run of digits or letters: an id, not a phone.
		if m[0] > 0 && isWordByte(s[m[0]-1]) {
			continue
		}
		if m[1] < len(s) && isWordByte(s[m[1]]) {
			continue
		}
		if v, ok := parsePhone(cand, region); ok {
			return v, m[0], m[1], true
		}
	}
	return "", 0, 0, false
}

// parsePhone parses a number and returns it in E.164 when it is valid.
func parsePhone(s, region string) (v string, ok bool) {
	defer func() {
		if recover() != nil {
			v, ok = "", false
		}
	}()
	digits := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits++
		}
	}
	if digits < 7 || digits > 17 {
		return "", false
	}
	num, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "", false
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	if !phonenumbers.IsValidNumber(num) && !fictionRe.MatchString(e164) {
		return "", false
	}
	return e164, true
}

// fictionRe matches the numbers regulators set aside for examples and
// fiction, which phone number metadata calls invalid although they are
// what people write in tests and demos: Ofcom's 07700 900xxx, 01632
// 960xxx and 020 7946 0xxx, and the North American 555-01xx.
var fictionRe = regexp.MustCompile(`^(?:\+447700900\d{3}|\+441632960\d{3}|\+442079460\d{3}|\+1[2-9]\d{2}55501\d{2})$`)
