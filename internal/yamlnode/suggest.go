package yamlnode

import (
	"strings"

	"github.com/agnivade/levenshtein"
)

// maxDistance is the largest edit distance still offered as a suggestion:
// beyond it the nearest name is more likely another word than a typo.
const maxDistance = 3

// Nearest returns the option closest to s by edit distance (counted in
// runes, s lower-cased first, so "Nmae" finds "name"), for an "unknown key"
// message and its quick fix. It returns "" when no option is within
// maxDistance edits; between equally near options the first wins.
func Nearest(s string, options []string) string {
	best, bestD := "", maxDistance+1
	s = strings.ToLower(s)
	for _, o := range options {
		if d := levenshtein.ComputeDistance(s, o); d < bestD {
			best, bestD = o, d
		}
	}
	return best
}
