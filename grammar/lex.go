package grammar

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/instrc/instrc/lang"
)

// clitics are the pronouns joined to a French imperative by a hyphen
// ("enregistre-le", "transfère-la").
var clitics = map[string]bool{"le": true, "la": true, "les": true, "lui": true, "leur": true, "moi": true, "nous": true, "vous": true, "y": true, "en": true, "toi": true}

// closing quote for each opening quote character.
var quotePairs = map[rune]rune{'"': '"', '“': '”', '„': '“', '«': '»', '‘': '’', '`': '`', '\'': '\''}

// Lex splits src[start:end] into tokens. Offsets in the tokens are offsets
// into src. Lexing never fails: characters it does not know become KPunct,
// and an unterminated quote runs to the end of the range (and is marked).
func Lex(src []byte, start, end int) []Token {
	lx := lexState{src: src, pos: start, end: end, toks: make([]Token, 0, (end-start)/5+4)}
	lx.run()
	toks := joinPhrases(lx.toks)
	markPronouns(toks)
	return toks
}

type lexState struct {
	src      []byte
	pos, end int
	toks     []Token
}

func (lx *lexState) peek() (rune, int) {
	if lx.pos >= lx.end {
		return 0, 0
	}
	c := lx.src[lx.pos]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRune(lx.src[lx.pos:lx.end])
}

func (lx *lexState) peekAt(off int) rune {
	if off >= lx.end || off < 0 {
		return 0
	}
	r, _ := utf8.DecodeRune(lx.src[off:lx.end])
	return r
}

func (lx *lexState) prev() rune {
	if len(lx.toks) == 0 && lx.pos == 0 {
		return ' '
	}
	r, _ := utf8.DecodeLastRune(lx.src[:lx.pos])
	return r
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0' || r == '\u202f' || r == '\u2009' || unicode.IsSpace(r)
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || unicode.Is(unicode.Mn, r)
}

func (lx *lexState) emit(k Kind, text string, start, end int) {
	lx.toks = append(lx.toks, Token{Kind: k, Text: text, Start: start, End: end})
}

func (lx *lexState) run() {
	for lx.pos < lx.end {
		r, n := lx.peek()
		start := lx.pos
		switch {
		case isSpace(r):
			lx.pos += n
		case r == utf8.RuneError && n <= 1:
			lx.pos++
			lx.emit(KPunct, "\uFFFD", start, lx.pos)
		case r == ',' || r == '，':
			lx.pos += n
			lx.emit(KComma, ",", start, lx.pos)
		case r == ';':
			lx.pos += n
			lx.emit(KSemi, ";", start, lx.pos)
		case r == ':':
			lx.pos += n
			lx.emit(KColon, ":", start, lx.pos)
		case r == '→' || r == '⇒' || r == '➔' || (r == '-' || r == '=') && lx.peekAt(lx.pos+1) == '>' && !isWordRune(lx.prev()):
			// An arrow between a condition and its steps reads as a colon:
			// "Billing questions → assign to @Billing".
			lx.pos += n
			if r == '-' || r == '=' {
				lx.pos++
			}
			lx.emit(KColon, string(lx.src[start:lx.pos]), start, lx.pos)
		case r == '.' || r == '?' || r == '…' || (r == '!' && !isWordRune(lx.peekAt(lx.pos+1)) && lx.peekAt(lx.pos+1) != '"'):
			for lx.pos < lx.end {
				r2, n2 := lx.peek()
				if r2 != '.' && r2 != '!' && r2 != '?' && r2 != '…' {
					break
				}
				lx.pos += n2
			}
			lx.emit(KPeriod, string(lx.src[start:lx.pos]), start, lx.pos)
		case r == '{' && lx.peekAt(lx.pos+1) == '{':
			lx.template()
		case r == '$':
			lx.variable()
		case (r == '@' || r == '%' || r == '!' || r == '#') && !isWordRune(lx.prev()):
			lx.sigil(r)
		case r == '\'' && isWordRune(lx.prev()):
			// a stray apostrophe after a word ("customers' ") is punctuation
			lx.pos += n
			lx.emit(KPunct, "'", start, lx.pos)
		case quotePairs[r] != 0 && (r != '\'' || lx.singleQuoteCloses()):
			lx.quoted(r)
		case unicode.IsDigit(r):
			lx.number()
		case isWordRune(r):
			lx.word()
		case r == '*' || r == '_' || r == '~':
			// Markdown emphasis markers carry no meaning here.
			lx.pos += n
		default:
			lx.pos += n
			lx.emit(KPunct, string(r), start, lx.pos)
		}
	}
}

// singleQuoteCloses reports whether a straight single quote at pos opens a
// quoted name ('Issue Resolved'), rather than being an apostrophe.
func (lx *lexState) singleQuoteCloses() bool {
	for i := lx.pos + 1; i < lx.end; i++ {
		c := lx.src[i]
		if c == '\n' {
			return false
		}
		if c == '\'' {
			next := lx.peekAt(i + 1)
			if !isWordRune(next) {
				return i > lx.pos+1
			}
		}
	}
	return false
}

func (lx *lexState) quoted(open rune) {
	start := lx.pos
	_, n := lx.peek()
	lx.pos += n
	closeQ := quotePairs[open]
	contentStart := lx.pos
	for lx.pos < lx.end {
		r, n := lx.peek()
		if r == closeQ || (open == '"' && r == '”') || (open == '“' && r == '"') {
			if open == '\'' && isWordRune(lx.peekAt(lx.pos+n)) {
				lx.pos += n
				continue
			}
			content := string(lx.src[contentStart:lx.pos])
			lx.pos += n
			lx.toks = append(lx.toks, Token{Kind: KQuoted, Text: trimQuoted(content), Start: start, End: lx.pos, Quoted: true})
			return
		}
		lx.pos += n
	}
	lx.toks = append(lx.toks, Token{Kind: KQuoted, Text: trimQuoted(string(lx.src[contentStart:lx.end])), Start: start, End: lx.end, Quoted: true, Unterminated: true})
}

func trimQuoted(s string) string {
	return strings.TrimFunc(s, isSpace)
}

func (lx *lexState) sigil(s rune) {
	start := lx.pos
	lx.pos++
	r, _ := lx.peek()
	if quotePairs[r] != 0 && r != '`' {
		lx.quoted(r)
		t := &lx.toks[len(lx.toks)-1]
		t.Kind, t.Start, t.Sigil = KSigil, start, byte(s)
		return
	}
	wstart := lx.pos
	for lx.pos < lx.end {
		r, n := lx.peek()
		if isWordRune(r) || r == '-' || r == '.' || r == '\'' || r == '’' || r == '&' {
			lx.pos += n
			continue
		}
		break
	}
	// A name does not end with punctuation: "@Sales." or "@Jane's".
	for lx.pos > wstart {
		c := lx.src[lx.pos-1]
		if c == '.' || c == '-' || c == '\'' {
			lx.pos--
			continue
		}
		if strings.HasSuffix(string(lx.src[wstart:lx.pos]), "’") {
			lx.pos -= len("’")
			continue
		}
		break
	}
	if lx.pos == wstart {
		if s == '!' {
			lx.emit(KPeriod, "!", start, lx.pos)
		} else {
			lx.emit(KPunct, string(s), start, lx.pos)
		}
		return
	}
	name := string(lx.src[wstart:lx.pos])
	lx.toks = append(lx.toks, Token{Kind: KSigil, Text: name, Fold: Fold(name), Start: start, End: lx.pos, Sigil: byte(s)})
}

// variable lexes $contact.field.
func (lx *lexState) variable() {
	start := lx.pos
	lx.pos++
	for lx.pos < lx.end {
		r, n := lx.peek()
		if isWordRune(r) || r == '.' || r == '-' {
			lx.pos += n
			continue
		}
		break
	}
	for lx.pos > start+1 && lx.src[lx.pos-1] == '.' {
		lx.pos--
	}
	lx.emit(KVar, string(lx.src[start:lx.pos]), start, lx.pos)
}

// template lexes {{$contact.field}} (also {{contact.field}}).
func (lx *lexState) template() {
	start := lx.pos
	i := strings.Index(string(lx.src[lx.pos:lx.end]), "}}")
	if i < 0 {
		lx.pos += 2
		lx.emit(KPunct, "{{", start, lx.pos)
		return
	}
	lx.pos += i + 2
	inner := strings.TrimSpace(string(lx.src[start+2 : lx.pos-2]))
	lx.emit(KVar, "{{"+inner+"}}", start, lx.pos)
}

func (lx *lexState) number() {
	start := lx.pos
	for lx.pos < lx.end {
		r, n := lx.peek()
		if unicode.IsDigit(r) {
			lx.pos += n
			continue
		}
		if (r == '.' || r == ',') && unicode.IsDigit(lx.peekAt(lx.pos+1)) {
			lx.pos += n
			continue
		}
		break
	}
	r, _ := lx.peek()
	if isWordRune(r) || r == ':' && unicode.IsDigit(lx.peekAt(lx.pos+1)) {
		// 5pm, 17h30, 2nd, 10:30: one word
		for lx.pos < lx.end {
			r, n := lx.peek()
			if isWordRune(r) || r == ':' && unicode.IsDigit(lx.peekAt(lx.pos+1)) {
				lx.pos += n
				continue
			}
			break
		}
		lx.emit(KWord, string(lx.src[start:lx.pos]), start, lx.pos)
		return
	}
	lx.emit(KNumber, string(lx.src[start:lx.pos]), start, lx.pos)
}

func (lx *lexState) word() {
	start := lx.pos
	for lx.pos < lx.end {
		r, n := lx.peek()
		if isWordRune(r) {
			lx.pos += n
			continue
		}
		if (r == '.' || r == ':' || r == '/') && lx.pos+1 < lx.end && !isSpace(lx.peekAt(lx.pos+1)) {
			// maybe a URL or a domain: "acme.com/pricing", "https://…"
			at := lx.pos
			lx.pos = start
			if lx.url() {
				return
			}
			lx.pos = at
		}
		if (r == '\'' || r == '’' || r == 'ʼ') && isWordRune(lx.peekAt(lx.pos+n)) {
			// French elision: split after the apostrophe.
			if _, ok := lang.Elisions[Fold(string(lx.src[start:lx.pos]))]; ok {
				lx.pos += n
				lx.emit(KWord, string(lx.src[start:lx.pos]), start, lx.pos)
				return
			}
			lx.pos += n
			continue
		}
		if r == '-' && isWordRune(lx.peekAt(lx.pos+1)) {
			// "enregistre-le": split a clitic pronoun off a verb.
			j := lx.pos + 1
			for j < lx.end {
				r2, n2 := utf8.DecodeRune(lx.src[j:lx.end])
				if !isWordRune(r2) {
					break
				}
				j += n2
			}
			if clitics[Fold(string(lx.src[lx.pos+1:j]))] && !isWordRune(lx.peekAt(j)) && lx.peekAt(j) != '-' {
				lx.emit(KWord, string(lx.src[start:lx.pos]), start, lx.pos)
				lx.emit(KClitic, string(lx.src[lx.pos:j]), lx.pos, j)
				lx.pos = j
				return
			}
			lx.pos += n
			continue
		}
		break
	}
	lx.emit(KWord, string(lx.src[start:lx.pos]), start, lx.pos)
}

var tlds = map[string]bool{"com": true, "io": true, "org": true, "net": true, "fr": true, "co": true, "uk": true, "de": true, "eu": true, "app": true, "dev": true, "ai": true, "shop": true, "store": true, "help": true, "be": true, "ch": true, "ca": true, "es": true, "it": true, "nl": true, "us": true, "info": true, "biz": true}

// url lexes a URL or a bare domain ("https://acme.example.com/pricing.pdf",
// "acme.com/help") as one word, so that its dots do not end a sentence. It
// reports whether it did.
func (lx *lexState) url() bool {
	end := lx.pos
	for end < lx.end {
		c := lx.src[end]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '<' || c == '>' || c >= utf8.RuneSelf {
			break
		}
		end++
	}
	// trailing punctuation belongs to the sentence
	for end > lx.pos && strings.ContainsRune(".,;:!?)']", rune(lx.src[end-1])) {
		end--
	}
	w := string(lx.src[lx.pos:end])
	isURL := strings.HasPrefix(w, "http://") || strings.HasPrefix(w, "https://") || strings.HasPrefix(w, "www.")
	if !isURL {
		host, _, _ := strings.Cut(w, "/")
		labels := strings.Split(host, ".")
		if len(labels) < 2 || !tlds[strings.ToLower(labels[len(labels)-1])] {
			return false
		}
		for _, l := range labels {
			if l == "" {
				return false
			}
			for _, c := range l {
				if !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '-') {
					return false
				}
			}
		}
		isURL = true
	}
	if !isURL || end-lx.pos < 4 {
		return false
	}
	lx.toks = append(lx.toks, Token{Kind: KWord, Text: w, Start: lx.pos, End: end})
	lx.pos = end
	return true
}

// joinPhrases folds words, joins multi-word lexicon entries ("hand over",
// "une fois que") into one token, and classifies words by the lexicon.
func joinPhrases(toks []Token) []Token {
	for i := range toks {
		if toks[i].Kind == KWord || toks[i].Kind == KClitic {
			toks[i].Fold = Fold(toks[i].Text)
		}
	}
	// Joining only shortens the list, so it is rewritten in place: the
	// write index never passes the read index.
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.Kind != KWord {
			out = append(out, t)
			continue
		}
		joined := false
		for _, p := range phrases[t.Fold] {
			if i+len(p) > len(toks) {
				continue
			}
			ok := true
			for j := 1; j < len(p); j++ {
				if toks[i+j].Kind != KWord || toks[i+j].Fold != p[j] {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			last := toks[i+len(p)-1]
			fold := strings.Join(p, " ")
			nt := Token{Kind: KWord, Fold: fold, Start: t.Start, End: last.End}
			classify(&nt)
			if nt.Kind == KWord {
				continue // a phrase that is only a phrase of another class
			}
			nt.Text = fold
			out = append(out, nt)
			i += len(p) - 1
			joined = true
			break
		}
		if !joined {
			classify(&t)
			out = append(out, t)
		}
	}
	return out
}

// objectPronouns before an infinitive ("l'enregistrer", "les transférer")
// belong to the verb.
var objectPronouns = map[string]bool{"l'": true, "le": true, "la": true, "les": true, "lui": true, "leur": true, "y": true, "en": true}

// markPronouns turns an object pronoun before a verb, and a clitic after a
// filler ("fais-le passer"), into fillers, so that they do not hide the verb.
func markPronouns(toks []Token) {
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].Kind == KWord && objectPronouns[toks[i].Fold] && toks[i+1].Kind == KVerb && (i == 0 || toks[i-1].Kind != KWord && toks[i-1].Kind != KVerb) {
			toks[i].Kind = KFiller
		}
		if toks[i].Kind == KFiller && toks[i+1].Kind == KClitic {
			toks[i+1].Kind = KFiller
		}
	}
}

func classify(t *Token) {
	f := strings.ReplaceAll(t.Fold, "' ", "'")
	switch {
	case condSet[f]:
		t.Kind = KCond
	case thenSet[f]:
		t.Kind = KThen
	case andSet[f]:
		t.Kind = KAnd
	case negSet[f]:
		t.Kind = KNeg
	case fillerSet[f]:
		t.Kind = KFiller
	default:
		if k, ok := verbs[f]; ok {
			t.Kind = KVerb
			t.Step = k
		}
	}
}
