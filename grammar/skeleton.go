package grammar

import (
	"errors"
	"io"
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The statement grammar. A scenario is a chain of steps with an optional
// leading condition and any number of trailing conditions:
//
//	Statement = Lead? Step ( Sep Step | Trail )* Period*
//	Lead      = Cond LeadText (Comma | Then | Semi)+
//	Step      = (Filler | Neg)* Verb Arg*
//	Trail     = (Comma | And)? Cond TrailText
//
// Words are classified by the lexicon before parsing (see Kind), so the
// grammar is written over token kinds. Free text (condition text, step
// arguments) runs until the next place where a new step or condition starts,
// which the negative lookaheads express. What each step's arguments mean is
// decided afterwards, per verb (step.go), where the workspace-independent
// structure (names, values, methods) is read from the argument tokens.
type pStatement struct {
	Lead  *pLead   `parser:"@@?"`
	First *pStep   `parser:"@@"`
	Rest  []*pRest `parser:"@@*"`
	End   []string `parser:"@Period*"`
}

type pLead struct {
	Pos    lexer.Position
	Marker string   `parser:"@Cond"`
	Text   []string `parser:"@( (?! (Comma | Then | Semi)+ (Filler | Neg)* Verb) ~(Period) )+"`
	EndPos lexer.Position
	Sep    []string `parser:"@(Comma | Then | Semi)+"`
}

type pRest struct {
	Trail *pTrail `parser:"  @@"`
	Step  *pStep  `parser:"| (Comma | And | Then | Semi)+ @@"`
}

type pTrail struct {
	Lead   []string `parser:"@(Comma | And)?"`
	Pos    lexer.Position
	Marker string   `parser:"@Cond"`
	Text   []string `parser:"@( (?! (Comma | And | Then | Semi)+ (Filler | Neg)* Verb) ~(Period) )+"`
	EndPos lexer.Position
}

type pStep struct {
	Pos    lexer.Position
	Pre    []string `parser:"@(Filler | Neg)*"`
	Verb   string   `parser:"@Verb"`
	Args   []string `parser:"@( (?! (Comma | And | Then | Semi)* Cond) (?! (Comma | And | Then | Semi)+ (Filler | Neg)* Verb) ~(Period) )*"`
	EndPos lexer.Position
}

// statementParser is built on first use, after the symbol table exists.
var statementParser = sync.OnceValue(func() *participle.Parser[pStatement] {
	return participle.MustBuild[pStatement](
		participle.Lexer(tokenDefinition{}),
		participle.UseLookahead(participle.MaxLookahead),
	)
})

// tokenDefinition lets participle read tokens this package lexed itself.
type tokenDefinition struct{}

func (tokenDefinition) Symbols() map[string]lexer.TokenType { return symbols }
func (tokenDefinition) Lex(string, io.Reader) (lexer.Lexer, error) {
	return nil, errors.New("grammar: statements are parsed from pre-lexed tokens")
}

// tokenStream adapts a token slice to participle's Lexer interface.
type tokenStream struct {
	toks []Token
	i    int
	eof  int
}

func (s *tokenStream) Next() (lexer.Token, error) {
	if s.i >= len(s.toks) {
		return lexer.EOFToken(lexer.Position{Offset: s.eof}), nil
	}
	t := s.toks[s.i]
	s.i++
	v := t.Fold
	if v == "" {
		v = t.Text
	}
	return lexer.Token{Type: t.Kind.participleType(), Value: v, Pos: lexer.Position{Offset: t.Start, Line: 1, Column: s.i}}, nil
}

// parseSkeleton runs the statement grammar over toks. The returned error is a
// participle error whose position Column is the 1-based index of the token
// where parsing failed.
func parseSkeleton(toks []Token) (*pStatement, error) {
	eof := 0
	if len(toks) > 0 {
		eof = toks[len(toks)-1].End
	}
	pl, err := lexer.Upgrade(&tokenStream{toks: toks, eof: eof})
	if err != nil {
		return nil, err
	}
	st, err := statementParser().ParseFromLexer(pl)
	if err != nil {
		return st, err
	}
	return st, nil
}

// syntaxErrorToken returns the index of the token a participle error points
// at, or -1.
func syntaxErrorToken(err error) int {
	var pe participle.Error
	if errors.As(err, &pe) {
		return pe.Position().Column - 1
	}
	return -1
}
