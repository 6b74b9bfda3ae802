package grammar

import "github.com/instrc/instrc/stdlib"

// Fold lower-cases s and removes accents, so that lexicon look-ups accept
// "Clôture", "cloture" and "CLÔTURE" alike. Names are never folded when they
// are resolved (they match exactly); folding is for keywords and for finding
// the nearest name in suggestions. It is the standard library's folding, so
// that the compiler and the runtime's matcher compare words the same way.
func Fold(s string) string { return stdlib.Fold(s) }
