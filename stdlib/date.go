package stdlib

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// monthNames maps folded English and French month names and abbreviations
// to their number.
var monthNames = map[string]time.Month{
	"january": 1, "jan": 1, "janvier": 1, "janv": 1,
	"february": 2, "feb": 2, "fevrier": 2, "fevr": 2, "fev": 2,
	"march": 3, "mar": 3, "mars": 3,
	"april": 4, "apr": 4, "avril": 4, "avr": 4,
	"may": 5, "mai": 5,
	"june": 6, "jun": 6, "juin": 6,
	"july": 7, "jul": 7, "juillet": 7, "juil": 7,
	"august": 8, "aug": 8, "aout": 8,
	"september": 9, "sep": 9, "sept": 9, "septembre": 9,
	"october": 10, "oct": 10, "octobre": 10,
	"november": 11, "nov": 11, "novembre": 11,
	"december": 12, "dec": 12, "decembre": 12,
}

var weekdayNames = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
	"dimanche": time.Sunday, "lundi": time.Monday, "mardi": time.Tuesday, "mercredi": time.Wednesday,
	"jeudi": time.Thursday, "vendredi": time.Friday, "samedi": time.Saturday,
}

const monthAlt = `january|february|march|april|may|june|july|august|september|october|november|december|` +
	`janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|` +
	`janv|fevr|juil|sept|jan|feb|fev|mar|apr|avr|jun|jul|aug|sep|oct|nov|dec`

var (
	isoDateRe   = regexp.MustCompile(`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b`)
	numDateRe   = regexp.MustCompile(`\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b`)
	monthDayRe  = regexp.MustCompile(`\b(` + monthAlt + `)\.?\s+(\d{1,2})(?:st|nd|rd|th|er)?\b(?:,?\s+(\d{4})\b)?`)
	dayMonthRe  = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th|er|e)?\s+(?:of\s+|de\s+)?(` + monthAlt + `)\b\.?(?:,?\s+(\d{4})\b)?`)
	relativeRe  = regexp.MustCompile(`\b(?:(the\s+)?day\s+after\s+tomorrow|apres[\s-]demain|day\s+before\s+yesterday|avant[\s-]hier|today|aujourd'?hui|tonight|ce\s+soir|tomorrow|demain|yesterday|hier)\b`)
	inDaysRe    = regexp.MustCompile(`\b(?:in|dans)\s+(\d{1,3}|a|one|une?|two|deux|three|trois)\s+(days?|jours?|weeks?|semaines?)\b`)
	nextWeekRe  = regexp.MustCompile(`\b(?:next\s+week|la\s+semaine\s+prochaine)\b`)
	weekdayRe   = regexp.MustCompile(`\b(sunday|monday|tuesday|wednesday|thursday|friday|saturday|dimanche|lundi|mardi|mercredi|jeudi|vendredi|samedi)\b`)
	smallCounts = map[string]int{"a": 1, "one": 1, "un": 1, "une": 1, "two": 2, "deux": 2, "three": 3, "trois": 3}
)

// date is a date found in folded text.
type date struct {
	value      string // YYYY-MM-DD
	start, end int
	relative   bool // needs "now": a relative date or one without a year
}

// findDate returns the first date of a folded message. With absolute, only
// dates that carry their year count (for Validate, which has no "now").
func findDate(s string, now time.Time, dayFirst, absolute bool) (date, bool) {
	var best date
	found := false
	consider := func(d date, ok bool) {
		if !ok || (absolute && d.relative) {
			return
		}
		if !found || d.start < best.start || (d.start == best.start && d.end > best.end) {
			best, found = d, true
		}
	}
	for _, m := range isoDateRe.FindAllStringSubmatchIndex(s, -1) {
		consider(ymd(atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]]), m[0], m[1]))
	}
	for _, m := range numDateRe.FindAllStringSubmatchIndex(s, -1) {
		// Not the tail of a longer run: "2025-03-12" is not "25-03-12".
		if m[0] > 0 && strings.ContainsRune("0123456789/.-", rune(s[m[0]-1])) {
			continue
		}
		a, b, y := atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), s[m[6]:m[7]]
		year := atoi(y)
		if len(y) == 2 {
			year += 2000
		}
		day, month := b, a
		if dayFirst || a > 12 {
			day, month = a, b
		}
		d, ok := ymd(year, month, day, m[0], m[1])
		if !ok {
			d, ok = ymd(year, day, month, m[0], m[1])
		}
		consider(d, ok)
	}
	for _, m := range monthDayRe.FindAllStringSubmatchIndex(s, -1) {
		consider(namedDate(s, m[2], m[3], m[4], m[5], m[6], m[7], m[0], m[1], now))
	}
	for _, m := range dayMonthRe.FindAllStringSubmatchIndex(s, -1) {
		consider(namedDate(s, m[4], m[5], m[2], m[3], m[6], m[7], m[0], m[1], now))
	}
	if absolute {
		return best, found
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	rel := func(days, start, end int) {
		consider(date{value: today.AddDate(0, 0, days).Format(time.DateOnly), start: start, end: end, relative: true}, true)
	}
	for _, m := range relativeRe.FindAllStringIndex(s, -1) {
		w := s[m[0]:m[1]]
		switch {
		case strings.Contains(w, "after") || strings.HasPrefix(w, "apres"):
			rel(2, m[0], m[1])
		case strings.Contains(w, "before") || strings.HasPrefix(w, "avant"):
			rel(-2, m[0], m[1])
		case w == "tomorrow" || w == "demain":
			rel(1, m[0], m[1])
		case w == "yesterday" || w == "hier":
			rel(-1, m[0], m[1])
		default:
			rel(0, m[0], m[1])
		}
	}
	for _, m := range inDaysRe.FindAllStringSubmatchIndex(s, -1) {
		n, ok := smallCounts[s[m[2]:m[3]]]
		if !ok {
			n = atoi(s[m[2]:m[3]])
		}
		if unit := s[m[4]:m[5]]; strings.HasPrefix(unit, "week") || strings.HasPrefix(unit, "semaine") {
			n *= 7
		}
		rel(n, m[0], m[1])
	}
	for _, m := range nextWeekRe.FindAllStringIndex(s, -1) {
		rel(7, m[0], m[1])
	}
	for _, m := range weekdayRe.FindAllStringSubmatchIndex(s, -1) {
		wd := weekdayNames[s[m[2]:m[3]]]
		days := (int(wd) - int(today.Weekday()) + 7) % 7
		if days == 0 {
			days = 7
		}
		start := m[0]
		if k := strings.LastIndex(s[:start], "next "); k >= 0 && k+5 == start {
			start = k
		}
		rel(days, start, m[1])
	}
	return best, found
}

// namedDate builds the date of a month name, a day and maybe a year. Without
// a year, it is the date nearest to now.
func namedDate(s string, ms, me, ds, de, ys, ye, start, end int, now time.Time) (date, bool) {
	month, ok := monthNames[s[ms:me]]
	if !ok {
		return date{}, false
	}
	day := atoi(s[ds:de])
	if ys >= 0 {
		return ymd(atoi(s[ys:ye]), int(month), day, start, end)
	}
	var best date
	found := false
	bestDist := time.Duration(0)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	for _, y := range []int{now.Year() - 1, now.Year(), now.Year() + 1} {
		d, ok := ymd(y, int(month), day, start, end)
		if !ok {
			continue
		}
		t := time.Date(y, month, day, 0, 0, 0, 0, time.UTC)
		dist := t.Sub(today)
		if dist < 0 {
			dist = -dist
		}
		if !found || dist < bestDist {
			best, bestDist, found = d, dist, true
		}
	}
	best.relative = true
	return best, found
}

// ymd returns the date if it exists (no 30 February).
func ymd(y, m, d, start, end int) (date, bool) {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return date{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m {
		return date{}, false
	}
	return date{value: fmt.Sprintf("%04d-%02d-%02d", y, m, d), start: start, end: end}, true
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}
