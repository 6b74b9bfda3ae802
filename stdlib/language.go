package stdlib

import "github.com/instrc/instrc/lang"

// DetectLanguage guesses whether text is English ("en") or French ("fr"):
// lang.Detect, the one detector the grammar and the runtime share.
func DetectLanguage(text string) string { return lang.Detect(text) }

// GuessLanguage is DetectLanguage that also says whether the text decided
// it (lang.Guess).
func GuessLanguage(text string) (string, bool) { return lang.Guess(text) }

// detectTokens is DetectLanguage on words already folded and split.
func detectTokens(toks []token) string { return lang.DetectWords(toks) }
