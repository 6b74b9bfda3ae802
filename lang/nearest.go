package lang

import (
	"strings"
	"unicode/utf8"

	"github.com/agnivade/levenshtein"
)

// maxNearestBytes bounds what Nearest compares: edit distance is quadratic,
// and nothing longer than this is a misspelt name.
const maxNearestBytes = 200

// Nearest returns the candidate closest to name, or "" when none is close
// enough to be what the author meant. Both are compared folded, with runs of
// spaces collapsed, so "Probleme  Resolu" finds "Problème Résolu".
//
// The one threshold: a candidate is offered when its edit distance (in
// runes) is at most a third of the name's length, and never less than 2;
// a candidate that starts with the name, or that the name starts with,
// counts as distance 2 at most ("Billing Team Europe" finds "Billing
// Team"). Between equally near candidates the one with the smaller plain
// edit distance wins ("Billing Team Europe" finds "Billing Team" before
// "Billing"), then the first.
func Nearest(name string, candidates []string) string {
	fn := Fold(strings.Join(strings.Fields(name), " "))
	if len(fn) == 0 || len(fn) > maxNearestBytes {
		return ""
	}
	best, bestD, bestRaw := "", 1<<30, 1<<30
	for _, c := range candidates {
		fc := Fold(strings.Join(strings.Fields(c), " "))
		if fc == "" || len(fc) > maxNearestBytes {
			continue
		}
		raw := levenshtein.ComputeDistance(fn, fc)
		d := raw
		if strings.HasPrefix(fc, fn) || strings.HasPrefix(fn, fc) {
			d = min(d, 2)
		}
		if d < bestD || d == bestD && raw < bestRaw {
			best, bestD, bestRaw = c, d, raw
		}
	}
	if bestD > max(2, utf8.RuneCountInString(fn)/3) {
		return ""
	}
	return best
}
