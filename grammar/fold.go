package grammar

import "github.com/instrc/instrc/lang"

// Fold lower-cases s and removes accents, so that lexicon look-ups accept
// "Clôture", "cloture" and "CLÔTURE" alike. It is lang.Fold, so that the
// compiler and the runtime's matcher compare words the same way.
func Fold(s string) string { return lang.Fold(s) }
