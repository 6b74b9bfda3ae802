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
//	Statement = Lead* Step ( (Sep | SepAnd)* (Trail | Step) )* Period*
//	Lead      = Cond (any but Sep, Period)* Sep
//	Step      = (Filler | Neg)* Verb (any but Sep, SepAnd, Cond, Period)*
//	Trail     = Cond (any but Sep, SepAnd, Period)+
//
// Words are classified by the lexicon before parsing (see Kind), and the
// separators that begin a new step or condition are marked by
// markBoundaries, much as Go's lexer inserts semicolons: "," or "then"
// followed by a verb or a condition marker is a boundary, "and" before a verb
// too, but "and" inside a leading condition does not end it. The grammar
// itself then needs no lookahead. What each step's arguments mean is decided
// afterwards, per verb (step.go).
type pStatement struct {
	Lead  []*pLead `parser:"@@*"`
	First *pStep   `parser:"@@"`
	Rest  []*pRest `parser:"@@*"`
	End   []string `parser:"@Period*"`
}

type pLead struct {
	Pos    lexer.Position
	Marker string   `parser:"@Cond"`
	Text   []string `parser:"@(~(Sep | Period))*"`
	Sep    []string `parser:"@Sep"`
}

type pRest struct {
	Sep   []string `parser:"@(Sep | SepAnd)*"`
	Trail *pTrail  `parser:"( @@"`
	Step  *pStep   `parser:"| @@ )"`
}

type pTrail struct {
	Pos    lexer.Position
	Marker string   `parser:"@Cond"`
	Text   []string `parser:"@(~(Sep | SepAnd | Period))+"`
}

type pStep struct {
	Pos  lexer.Position
	Pre  []string `parser:"@(Filler | Neg)*"`
	Verb string   `parser:"@Verb"`
	Args []string `parser:"@(~(Sep | SepAnd | Cond | Period))*"`
}

// markBoundaries marks the separator runs that start a step (before a verb,
// after optional fillers) or a condition, so that the grammar can tell them
// from commas and "and"s inside free text.
func markBoundaries(toks []Token) {
	for i := 0; i < len(toks); {
		if !isSeparator(toks[i].Kind) {
			i++
			continue
		}
		j := i
		onlyAnd := true
		for j < len(toks) && isSeparator(toks[j].Kind) {
			if toks[j].Kind != KAnd {
				onlyAnd = false
			}
			j++
		}
		k := j
		for k < len(toks) && (toks[k].Kind == KFiller || toks[k].Kind == KNeg) {
			k++
		}
		if k < len(toks) && (toks[k].Kind == KVerb || toks[k].Kind == KCond && k == j) {
			kind := KSep
			if onlyAnd {
				kind = KSepAnd
			}
			for x := i; x < j; x++ {
				toks[x].Kind = kind
			}
		}
		i = j
	}
}

func isSeparator(k Kind) bool {
	return k == KComma || k == KAnd || k == KThen || k == KSemi || k == KColon
}

// statementParser is built on first use, after the symbol table exists.
var statementParser = sync.OnceValue(func() *participle.Parser[pStatement] {
	return participle.MustBuild[pStatement](
		participle.Lexer(tokenDefinition{}),
		participle.UseLookahead(2),
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

// skeletonCache memoizes the statement grammar by token-kind sequence. The
// grammar reads only kinds, and the AST is built from token indices, so two
// sentences with the same kinds parse to the same tree: support files are
// full of sentences of the same shape, and this saves most of the parsing.
// The cache is bounded; past its size, sentences are parsed as usual.
var skeletonCache = struct {
	sync.RWMutex
	m map[string]skeletonResult
}{m: map[string]skeletonResult{}}

const skeletonCacheSize = 1 << 14

type skeletonResult struct {
	st  *pStatement
	err error
}

// parseSkeleton runs the statement grammar over toks, through the cache.
// The returned tree is shared: callers must not modify it.
func parseSkeleton(toks []Token) (*pStatement, error) {
	key := make([]byte, len(toks))
	for i, t := range toks {
		key[i] = byte(t.Kind)
	}
	skeletonCache.RLock()
	r, ok := skeletonCache.m[string(key)]
	skeletonCache.RUnlock()
	if ok {
		return r.st, r.err
	}
	st, err := parseSkeletonUncached(toks)
	skeletonCache.Lock()
	if len(skeletonCache.m) < skeletonCacheSize {
		skeletonCache.m[string(key)] = skeletonResult{st, err}
	}
	skeletonCache.Unlock()
	return st, err
}

// parseSkeletonUncached runs the statement grammar over toks. The returned error is a
// participle error whose position Column is the 1-based index of the token
// where parsing failed.
func parseSkeletonUncached(toks []Token) (*pStatement, error) {
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
