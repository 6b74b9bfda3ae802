package stdlib

import (
	"regexp"
	"strings"
)

// numberRe finds a number: groups of three digits separated by spaces,
// commas, dots or apostrophes ("5 000", "5,000", "1'000"), or plain digits,
// with an optional decimal part ("1.5", "1,5").
var numberRe = regexp.MustCompile(`\d{1,3}(?:[ \x{00a0}\x{202f}',.]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?`)

var (
	currencyBefore = regexp.MustCompile(`(?:[$€£¥]|\b(?:usd|eur|gbp|chf|cad|aud))\s?-?$`)
	currencyAfter  = regexp.MustCompile(`^\s?(?:[$€£¥]|(?:euros?|eur|usd|dollars?|gbp|chf|cad|aud|bucks|balles)\b)`)
	suffixAfter    = regexp.MustCompile(`^\s?(?:k\b|millions?\b|mille\b|m\b)`)
)

// number is a number found in folded text.
type number struct {
	value      string // canonical: digits, optional "-" and "." decimal part
	start, end int    // byte range, currency and suffix included
	currency   bool   // a currency sign or word, or a k/million suffix, goes with it
}

// findNumber returns the number of a folded message: the first one written
// with a currency or a multiplier, else the first one.
func findNumber(s string) (number, bool) {
	var first number
	found := false
	for _, m := range numberRe.FindAllStringIndex(s, -1) {
		n, ok := readNumber(s, m[0], m[1])
		if !ok {
			continue
		}
		if n.currency {
			return n, true
		}
		if !found {
			first, found = n, true
		}
	}
	return first, found
}

// readNumber reads the number at s[start:end] with what surrounds it.
func readNumber(s string, start, end int) (number, bool) {
	raw := s[start:end]
	before, after := s[:start], s[end:]
	n := number{start: start, end: end}
	neg := false
	b := before
	// The currency is right before the number: look at a few bytes only, so
	// that a long message stays linear.
	tail := max(0, len(b)-8)
	if loc := currencyBefore.FindStringIndex(b[tail:]); loc != nil {
		n.currency = true
		n.start = tail + loc[0]
		neg = strings.Contains(b[n.start:], "-")
		b = b[:n.start]
	}
	if len(b) > 0 {
		switch c := b[len(b)-1]; {
		case c == '-':
			// "2025-03-12", "10-20": part of a date, a range or an id.
			if len(b) > 1 && isWordByte(b[len(b)-2]) {
				return number{}, false
			}
			neg = true
			n.start = len(b) - 1
		case n.currency:
		case c == '/' || c == ':' || c == '_' || c == '.' || c == ',' || isWordByte(c):
			// Part of a word, a date, a time or an id: "A123", "12/03", "10:30".
			return number{}, false
		}
	}
	if len(after) > 0 {
		c := after[0]
		if c == '/' || c == ':' || c == '_' {
			return number{}, false
		}
		if (c == '.' || c == ',' || c == '-') && len(after) > 1 && after[1] >= '0' && after[1] <= '9' {
			return number{}, false
		}
	}
	mult := 0
	if loc := suffixAfter.FindStringIndex(after); loc != nil {
		word := strings.TrimSpace(after[:loc[1]])
		rest := after[loc[1]:]
		cur := currencyAfter.FindStringIndex(rest)
		switch {
		case word == "k" || word == "mille":
			mult = 3
		case word == "m" && (n.currency || cur != nil):
			mult = 6
		case strings.HasPrefix(word, "million"):
			mult = 6
		}
		if mult > 0 {
			n.currency = true
			n.end = end + loc[1]
			after = rest
			end = n.end
		}
	}
	if loc := currencyAfter.FindStringIndex(after); loc != nil {
		n.currency = true
		n.end = end + loc[1]
	} else if mult == 0 && len(after) > 0 && isWordByte(after[0]) {
		// "3rd", "10am", "5x": a number glued to a word is not an amount.
		return number{}, false
	}
	v, ok := canonicalNumber(raw, mult)
	if !ok {
		return number{}, false
	}
	if neg && v != "0" {
		v = "-" + v
	}
	n.value = v
	return n, true
}

// canonicalNumber turns the digits and separators of raw into a plain
// decimal, shifted left by mult digits (3 for "k"): "5,000" → "5000",
// "1,5" → "1.5", "1.234,5" → "1234.5", "2.5" with mult 3 → "2500".
func canonicalNumber(raw string, mult int) (string, bool) {
	var b strings.Builder
	for _, r := range raw {
		switch {
		case r >= '0' && r <= '9', r == '.' || r == ',':
			b.WriteRune(r)
		case r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\'':
		default:
			return "", false
		}
	}
	s := b.String()
	lastDot, lastComma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	dec := -1 // index of the decimal separator
	switch {
	case lastDot >= 0 && lastComma >= 0:
		dec = max(lastDot, lastComma)
	case lastDot >= 0 || lastComma >= 0:
		sep := byte('.')
		at := lastDot
		if lastComma >= 0 {
			sep, at = ',', lastComma
		}
		if strings.Count(s, string(sep)) == 1 {
			intPart, frac := s[:at], s[at+1:]
			// "5,000" and "5.000" group thousands; "1.5", "0,500" and
			// "1234.567" are decimals.
			thousands := len(frac) == 3 && len(intPart) <= 3 && !strings.HasPrefix(intPart, "0")
			if !thousands {
				dec = at
			}
		}
	}
	intPart, frac := s, ""
	if dec >= 0 {
		intPart, frac = s[:dec], s[dec+1:]
	}
	intPart = strings.NewReplacer(".", "", ",", "").Replace(intPart)
	if strings.ContainsAny(frac, ".,") || intPart == "" && frac == "" {
		return "", false
	}
	// Shift the decimal point by mult digits.
	for ; mult > 0; mult-- {
		if frac == "" {
			intPart += "0"
		} else {
			intPart += frac[:1]
			frac = frac[1:]
		}
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	frac = strings.TrimRight(frac, "0")
	if frac != "" {
		return intPart + "." + frac, true
	}
	return intPart, true
}
