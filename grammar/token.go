package grammar

import "github.com/alecthomas/participle/v2/lexer"

// Kind classifies a token. Words of the lexicon get their own kinds (verbs,
// condition markers, separators, fillers, negations) so that the statement
// grammar can be written over kinds rather than hundreds of literals.
type Kind int

const (
	KEOF Kind = iota
	KWord
	KVerb   // starts a step: close, assign, enregistre, ...
	KCond   // starts a condition: if, when, si, lorsqu', ...
	KThen   // then, puis, ensuite, after that
	KAnd    // and, et
	KFiller // please, always, you should, s'il vous plaît
	KNeg    // do not, never, ne
	KComma
	KPeriod // . ! ? …
	KSemi
	KColon
	KQuoted // "text", “text”, «text», 'text'
	KSigil  // @Name, %Tag, !workflow (Sigil holds the character)
	KVar    // $contact.field, {{$contact.field}}
	KNumber
	KPunct
	KClitic // -le, -la, -les after a French imperative
	// KSep is a run of separators (",", "then", ";") that starts a new step
	// or a condition; KSepAnd is a lone "and"/"et" that does. See
	// markBoundaries.
	KSep
	KSepAnd
)

var kindNames = [...]string{"EOF", "Word", "Verb", "Cond", "Then", "And", "Filler", "Neg", "Comma", "Period", "Semi", "Colon", "Quoted", "Sigil", "Var", "Number", "Punct", "Clitic", "Sep", "SepAnd"}

func (k Kind) String() string { return kindNames[k] }

// Token is one lexeme of an instruction, with its byte range in the file.
type Token struct {
	Kind Kind
	// Text is the token as written; for quoted strings and sigils it is the
	// content (without quotes or sigil).
	Text string
	// Fold is Text lower-cased without accents, for lexicon comparisons.
	Fold       string
	Start, End int // byte offsets in the file
	Sigil      byte
	Quoted     bool     // a quoted string, or a sigil followed by a quoted name
	Step       StepKind // for verbs
	// Unterminated is set on a quoted string with no closing quote.
	Unterminated bool
}

// symbols are the participle token types, one per Kind.
var symbols = func() map[string]lexer.TokenType {
	m := map[string]lexer.TokenType{}
	for i, n := range kindNames {
		m[n] = lexer.TokenType(-(i + 1))
	}
	m["EOF"] = lexer.EOF
	return m
}()

func (k Kind) participleType() lexer.TokenType {
	if k == KEOF {
		return lexer.EOF
	}
	return lexer.TokenType(-(int(k) + 1))
}
