package compiler

import (
	"fmt"
	"strings"

	"github.com/agnivade/levenshtein"

	"github.com/instrc/instrc/grammar"
)

// nearest returns the candidate closest to name, comparing folded forms
// (case and accents ignored), or "" when none is close enough to be what the
// author meant. "Probleme Resolu" finds "Problème Résolu".
func nearest(name string, candidates []string) string {
	fn := grammar.Fold(strings.Join(strings.Fields(name), " "))
	best, bestD := "", 1<<30
	for _, c := range candidates {
		fc := grammar.Fold(c)
		d := levenshtein.ComputeDistance(fn, fc)
		if strings.HasPrefix(fc, fn) || strings.HasPrefix(fn, fc) {
			d = min(d, 2)
		}
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(2, len([]rune(fn))/3)
	if bestD > limit {
		return ""
	}
	return best
}

// didYouMean formats the end of an unknown-name message: the nearest name,
// or the available names when there are few.
func didYouMean(lang, suggestion string, candidates []string) string {
	if suggestion != "" {
		return phrase(lang, fmt.Sprintf(" (did you mean %q?)", suggestion), fmt.Sprintf(" (vouliez-vous dire %q ?)", suggestion))
	}
	return available(lang, candidates)
}

// available lists a few names for a missing-name or unknown-name message.
func available(lang string, candidates []string) string {
	if len(candidates) == 0 {
		return phrase(lang, " (the workspace declares none)", " (l'espace de travail n'en déclare aucun)")
	}
	shown := candidates
	more := ""
	if len(shown) > 6 {
		shown = shown[:6]
		more = ", …"
	}
	q := make([]string, len(shown))
	for i, s := range shown {
		q[i] = fmt.Sprintf("%q", s)
	}
	return phrase(lang, " (", " (") + strings.Join(q, ", ") + more + ")"
}
