package stdlib

import (
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// Field types, as the workspace file names them.
const (
	TypeText     = "text"
	TypeNumber   = "number"
	TypeEmail    = "email"
	TypePhone    = "phone"
	TypeDate     = "date"
	TypeList     = "list"
	TypeCheckbox = "checkbox"
	TypeURL      = "url"
)

// FieldTypes lists the field types the extractors and validators know.
var FieldTypes = []string{TypeText, TypeNumber, TypeEmail, TypePhone, TypeDate, TypeList, TypeCheckbox, TypeURL}

// ExtractOptions adapt extraction and validation to the contact's locale.
// The zero value is the default of Extract and Validate: region "US",
// month-first dates.
type ExtractOptions struct {
	// Region is the ISO 3166 country assumed for phone numbers written
	// without a +country prefix ("US", "FR", "BE", "CA"...). Empty means "US".
	Region string
	// DayFirst reads 03/04/2025 as 3 April 2025 rather than March 4. A
	// first number above 12 is always read as a day, whatever DayFirst says.
	DayFirst bool
}

// OptionsFor returns the usual options for a language: "fr" is region FR and
// day-first dates; anything else is region US and month-first dates.
func OptionsFor(lang string) ExtractOptions {
	if lang == "fr" {
		return ExtractOptions{Region: "FR", DayFirst: true}
	}
	return ExtractOptions{Region: "US"}
}

// LocaleFor returns the options of a plan: its language's (OptionsFor), with
// region, when it is set, as the phone region.
func LocaleFor(lang, region string) ExtractOptions {
	o := OptionsFor(lang)
	if r := strings.ToUpper(strings.TrimSpace(region)); r != "" {
		o.Region = r
	}
	return o
}

// DefaultRegion is the phone region OptionsFor(lang) assumes.
func DefaultRegion(lang string) string { return OptionsFor(lang).Region }

func (o ExtractOptions) region() string {
	r := strings.ToUpper(strings.TrimSpace(o.Region))
	if r == "" {
		return "US"
	}
	return r
}

// Extract finds a value of the given field type (email, phone, number, date,
// url, checkbox, list with options, text) in a message and returns it in
// canonical form (E.164 for phones, YYYY-MM-DD for dates), with the default
// options (region US, month-first dates). See ExtractWith.
func Extract(fieldType string, options []string, text string, now time.Time) (string, bool) {
	return ExtractWith(fieldType, options, text, now, ExtractOptions{})
}

// ExtractWith finds a value of the given field type in a message:
//
//   - email: the first address, lower-cased ("Bob@Example.com" → "bob@example.com").
//   - phone: the first valid number, in E.164 ("+1 650-253-0000" → "+16502530000";
//     "06 12 34 56 78" with region FR → "+33612345678").
//   - number: an amount ("5,000", "5 000", "5k", "$5000", "5000€", "1.5",
//     "1,5"); one with a currency or a k is preferred to a bare number.
//   - date: the first date, as YYYY-MM-DD: ISO, 12/03/2025, "March 3",
//     "3 mars 2025", "tomorrow", "demain", "next Monday", "dans 3 jours",
//     relative to now. A date without a year is the one nearest to now.
//   - url: a link with http(s)://, www. or a common top-level domain.
//   - checkbox: "true" for yes/oui/sure/d'accord..., "false" for no/non/nope...
//   - list: the option the message mentions, case and accents ignored, in the
//     option's own spelling; the longest when several fit. When every option
//     is a range ("1-10", "11-50", "200+"), a number in the message picks
//     the range that holds it ("about 40 people" → "11-50").
//   - text: what follows the last "is", "it's", "c'est", "est" or colon
//     ("my postcode is LS6 2AB" → "LS6 2AB", "ma mutuelle c'est la MGEN" →
//     "MGEN"), else the trimmed message (see TextValue).
//
// The value returned always passes ValidateWith with the same options.
func ExtractWith(fieldType string, options []string, text string, now time.Time, opt ExtractOptions) (value string, ok bool) {
	text = strings.ToValidUTF8(text, "\uFFFD")
	ft := strings.ToLower(strings.TrimSpace(fieldType))
	if ft == TypeText {
		v := TextValue(text)
		return v, v != ""
	}
	text = clip(text, maxMatchBytes)
	switch ft {
	case TypeEmail:
		v, _, _, ok := findEmail(text)
		return v, ok
	case TypePhone:
		v, _, _, ok := findPhone(text, opt.region())
		return v, ok
	case TypeNumber:
		n, ok := findNumber(Fold(text))
		return n.value, ok
	case TypeDate:
		d, ok := findDate(Fold(text), now, opt.DayFirst, false)
		return d.value, ok
	case TypeURL:
		v, _, _, ok := findURL(text)
		return v, ok
	case TypeCheckbox:
		return findCheckbox(text)
	case TypeList:
		return findOption(options, text)
	}
	return "", false
}

// ExtractPhone finds the first valid phone number in text, assuming region
// (ISO 3166, "" for US) for numbers without a +country prefix, and returns it
// in E.164.
func ExtractPhone(text, region string) (string, bool) {
	return ExtractWith(TypePhone, nil, text, time.Time{}, ExtractOptions{Region: region})
}

// ---- email ----

var emailRe = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}._%+\-])([a-z0-9._%+\-]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}\-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63})`)

// findEmail returns the first email address in s and its byte range.
func findEmail(s string) (string, int, int, bool) {
	if strings.IndexByte(s, '@') < 0 {
		return "", 0, 0, false
	}
	for _, m := range emailRe.FindAllStringSubmatchIndex(s, -1) {
		start, end := m[2], m[3]
		v := s[start:end]
		at := strings.LastIndexByte(v, '@')
		local := v[:at]
		if local == "" || strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
			continue
		}
		// A letter right after the match means the domain went on in a way the
		// pattern does not accept ("bob@example.c_m"): not an address.
		if end < len(s) {
			r := rune(s[end])
			if r == '@' || r == '_' {
				continue
			}
		}
		return strings.ToLower(v), start, end, true
	}
	return "", 0, 0, false
}

// ---- url ----

var (
	urlRe = regexp.MustCompile(`(?i)(?:https?://|www\.)[^\s<>"'{}|\\^` + "`" + `\[\]]+`)
	// bareDomainRe finds links written without a scheme, for common
	// top-level domains only, so that "file.txt" or "e.g" are not links.
	bareDomainRe = regexp.MustCompile(`(?i)(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+(?:com|org|net|io|fr|co|uk|de|eu|app|dev|ai|be|ch|ca|es|it|nl|info|biz|us|me|shop|store|tech|site|online)(?:/[^\s<>"'{}|\\^` + "`" + `\[\]]*)?`)
)

// findURL returns the first link in s, canonical, and its byte range.
func findURL(s string) (string, int, int, bool) {
	type cand struct{ start, end int }
	var cs []cand
	for _, m := range urlRe.FindAllStringIndex(s, -1) {
		cs = append(cs, cand{m[0], m[1]})
	}
	for _, m := range bareDomainRe.FindAllStringIndex(s, -1) {
		if m[0] > 0 {
			prev := s[m[0]-1]
			if prev == '@' || prev == '.' || prev == '/' || prev == '-' || isWordByte(prev) {
				continue
			}
		}
		if m[1] < len(s) && (s[m[1]] == '@' || isWordByte(s[m[1]])) {
			continue
		}
		cs = append(cs, cand{m[0], m[1]})
	}
	best := -1
	for i, c := range cs {
		if best < 0 || c.start < cs[best].start {
			best = i
		}
	}
	for best >= 0 {
		c := cs[best]
		raw := strings.TrimRight(s[c.start:c.end], ".,;:!?)]}'\"")
		if v, ok := canonicalURL(raw); ok {
			return v, c.start, c.start + len(raw), true
		}
		cs = append(cs[:best], cs[best+1:]...)
		best = -1
		for i, c := range cs {
			if best < 0 || c.start < cs[best].start {
				best = i
			}
		}
	}
	return "", 0, 0, false
}

// maxURLBytes is the longest link accepted, as browsers and most servers do.
const maxURLBytes = 2048

// canonicalURL returns raw as an absolute http(s) URL with a lower-case
// scheme and host, adding https:// when no scheme is written.
func canonicalURL(raw string) (string, bool) {
	if raw == "" || len(raw) > maxURLBytes || strings.ContainsAny(raw, " \t\r\n") {
		return "", false
	}
	lower := strings.ToLower(raw)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		if strings.Contains(raw, "://") {
			return "", false
		}
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil {
		return "", false
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	host := u.Hostname()
	if host != "localhost" && !strings.Contains(strings.Trim(host, "."), ".") {
		return "", false
	}
	for _, r := range host {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.' || r == ':' || r == '[' || r == ']') {
			return "", false
		}
	}
	out := u.String()
	// Parsing the canonical form again must give the same form.
	if u2, err := url.Parse(out); err != nil || u2.String() != out {
		return "", false
	}
	return out, true
}

// ---- checkbox ----

var (
	yesPhrases = [][]string{{"of", "course"}, {"bien", "sur"}, {"de", "accord"}, {"no", "problem"}, {"no", "worries"},
		{"pas", "de", "probleme"}, {"tout", "a", "fait"}, {"yes"}, {"yeah"}, {"yep"}, {"yup"}, {"yea"}, {"sure"},
		{"ok"}, {"okay"}, {"true"}, {"oui"}, {"ouais"}, {"ouai"}, {"daccord"}, {"vrai"}, {"absolutely"}, {"definitely"},
		{"correct"}, {"affirmative"}, {"certainly"}, {"absolument"}, {"exactement"}, {"volontiers"}, {"evidemment"}}
	noPhrases = [][]string{{"not", "really"}, {"pas", "du", "tout"}, {"pas", "vraiment"}, {"no", "way"}, {"no"},
		{"nope"}, {"nah"}, {"false"}, {"non"}, {"nan"}, {"faux"}, {"never"}, {"jamais"}, {"negative"}}
)

// findCheckbox reads a yes or a no from a message; the first one said wins.
func findCheckbox(text string) (string, bool) {
	toks := tokenize(Fold(text))
	w := make([]string, len(toks))
	for i, t := range toks {
		w[i] = t.Text
	}
	for i := range w {
		// Longer phrases first: "no problem" is a yes, "not really" a no.
		for _, p := range yesPhrases {
			if len(p) > 1 && equalAt(w, i, p) {
				return "true", true
			}
		}
		for _, p := range noPhrases {
			if len(p) > 1 && equalAt(w, i, p) {
				return "false", true
			}
		}
		for _, p := range yesPhrases {
			if len(p) == 1 && w[i] == p[0] {
				return "true", true
			}
		}
		for _, p := range noPhrases {
			if len(p) == 1 && w[i] == p[0] {
				return "false", true
			}
		}
	}
	return "", false
}

// ---- list ----

// findOption returns the option a message mentions: word for word first,
// then by stem; the longest option wins, then the earliest in the message.
func findOption(options []string, text string) (string, bool) {
	if len(options) == 0 {
		return "", false
	}
	folded := Fold(text)
	toks := tokenize(folded)
	w := make([]string, len(toks))
	for i, t := range toks {
		w[i] = t.Text
	}
	type hit struct{ opt, words, chars, pos int }
	better := func(a, b hit) bool {
		if a.words != b.words {
			return a.words > b.words
		}
		if a.chars != b.chars {
			return a.chars > b.chars
		}
		return a.pos < b.pos
	}
	search := func(text []string, stem func(string) string) (hit, bool) {
		best, found := hit{}, false
		for oi, o := range options {
			ow := words(o)
			if len(ow) == 0 {
				// An option with no letters or digits ("+", "?"): look for it as is.
				fo := strings.TrimSpace(Fold(o))
				if fo != "" && stem == nil {
					if k := strings.Index(folded, fo); k >= 0 {
						h := hit{oi, 1, len(fo), k}
						if !found || better(h, best) {
							best, found = h, true
						}
					}
				}
				continue
			}
			if stem != nil {
				for i := range ow {
					ow[i] = stem(ow[i])
				}
			}
			for i := range text {
				if equalAt(text, i, ow) {
					h := hit{oi, len(ow), len(o), i}
					if !found || better(h, best) {
						best, found = h, true
					}
					break
				}
			}
		}
		return best, found
	}
	if h, ok := search(w, nil); ok {
		return options[h.opt], true
	}
	if o, ok := rangeOption(options, folded); ok {
		return o, true
	}
	for _, lang := range Languages {
		st := func(s string) string { return stemFolded(lang, s) }
		sw := make([]string, len(w))
		for i := range w {
			sw[i] = st(w[i])
		}
		if h, ok := search(sw, st); ok {
			return options[h.opt], true
		}
	}
	return "", false
}

// textMarkerRe finds where a free-text value starts in a sentence that
// names it: "my postcode is", "it's", "c'est (la)", "est", a colon.
var textMarkerRe = regexp.MustCompile(`(?i)(?:\b(?:is|it's|it’s|it is|that's|c'est|c’est|est|ce sera|cest)\s+(?:(?:la|le|les|the|a|an|un|une)\s+|(?:l'|l’)\s*)?|:\s*)`)

// TextValue returns the free-text value in a message: what follows the last
// "is", "it's", "c'est", "est" or colon, without an article and trailing
// punctuation ("my member ID is NW-4821." → "NW-4821", "ma mutuelle c'est
// la MGEN" → "MGEN"), else the trimmed message. A question is kept whole.
func TextValue(text string) string {
	t := strings.TrimSpace(text)
	ms := textMarkerRe.FindAllStringIndex(t, -1)
	if len(ms) == 0 {
		return t
	}
	m := ms[len(ms)-1]
	v := strings.TrimSpace(t[m[1]:])
	v = strings.TrimRight(v, " .!;,")
	if v == "" || strings.HasSuffix(v, "?") || len(strings.Fields(v)) > 8 {
		return t
	}
	// A description is not "X is Y": "the battery is not charging" says
	// something is not so, and a long clause before "is" describes rather
	// than names ("the screen goes black when the battery is low").
	if first, _, _ := strings.Cut(strings.ToLower(v), " "); negationStart[first] {
		return t
	}
	before := t[:m[0]]
	if i := strings.LastIndexAny(before, ".?!;"); i >= 0 {
		before = before[i+1:]
	}
	if len(strings.Fields(before)) > maxNamingWords {
		return t
	}
	return v
}

// maxNamingWords is how many words may name a value before "is" in "my
// member ID is NW-4821" ("the number on my membership card is …").
const maxNamingWords = 6

// negationStart are the words that make "X is …" a statement that something
// is not so rather than a value.
var negationStart = map[string]bool{"not": true, "no": true, "never": true, "pas": true, "ne": true, "n'est": true, "jamais": true, "plus": true}

var (
	rangeRe   = regexp.MustCompile(`(?i)^\s*[$£€]?\s*(\d[\d ,.]*)\s*[$£€]?\s*(?:-|–|to|à)\s*[$£€]?\s*(\d[\d ,.]*?)\s*[$£€]?\s*$`)
	atLeastRe = regexp.MustCompile(`(?i)^\s*[$£€]?\s*(\d[\d ,.]*?)\s*[$£€]?\s*\+\s*$`)
	// "Under 1000", "less than 1000", "Moins de 10000", "< 1000".
	belowRe = regexp.MustCompile(`(?i)^\s*(?:under|below|less than|up to|fewer than|moins de|jusqu'à|jusqu’à|inférieur à|<)\s*[$£€]?\s*(\d[\d ,.]*?)\s*[$£€]?\s*$`)
	// "Over 5000", "more than 5000", "Plus de 50000", "> 5000".
	aboveRe = regexp.MustCompile(`(?i)^\s*(?:over|above|more than|plus de|au-delà de|supérieur à|>)\s*[$£€]?\s*(\d[\d ,.]*?)\s*[$£€]?\s*$`)
	// A number in a message, with thousands written "14 000", "14,000" or
	// "14.000".
	integersRe = regexp.MustCompile(`\d{1,3}(?:[ ,.\x{202f}\x{a0}]\d{3})+\b|\d+`)
)

// rangeOption maps a number in the message to the list option whose range
// holds it, when every option is a range ("1-10", "11-50", "200+", "Under
// 1000", "Plus de 50000"): "we're about 40 people" is "11-50", "elle vaut
// environ 14 000 €" is "10000-25000".
func rangeOption(options []string, folded string) (string, bool) {
	type span struct{ lo, hi int }
	const inf = int(^uint(0) >> 1)
	spans := make([]span, len(options))
	for i, o := range options {
		if m := rangeRe.FindStringSubmatch(o); m != nil {
			spans[i] = span{amount(m[1]), amount(m[2])}
		} else if m := atLeastRe.FindStringSubmatch(o); m != nil {
			spans[i] = span{amount(m[1]), inf}
		} else if m := belowRe.FindStringSubmatch(o); m != nil {
			spans[i] = span{0, amount(m[1])}
		} else if m := aboveRe.FindStringSubmatch(o); m != nil {
			spans[i] = span{amount(m[1]), inf}
		} else {
			return "", false
		}
		if spans[i].lo < 0 || spans[i].hi < 0 {
			return "", false
		}
	}
	for _, m := range integersRe.FindAllString(folded, -1) {
		n := amount(m)
		if n < 0 {
			continue
		}
		for i, sp := range spans {
			if n >= sp.lo && n <= sp.hi {
				return options[i], true
			}
		}
	}
	return "", false
}

// amount reads an integer written with or without thousands separators
// ("14 000", "14,000", "14000"), or -1.
func amount(s string) int {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return atoi(b.String())
}
