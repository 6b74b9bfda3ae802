package compiler

import (
	"fmt"
	"strings"

	"github.com/instrc/instrc/lang"
)

// nearest is lang.Nearest: the one rule for which name to offer.
func nearest(name string, candidates []string) string { return lang.Nearest(name, candidates) }

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
