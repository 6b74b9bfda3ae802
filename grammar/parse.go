package grammar

import (
	"bytes"
	"fmt"
	goruntime "runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/lang"
)

// MaxStatementTokens bounds the length of one scenario sentence. Real
// scenarios stay far below it; the bound keeps parsing linear on hostile
// input (the statement grammar looks ahead over separators).
const MaxStatementTokens = 400

// SyntaxCode is the diagnostic code for text that cannot be read.
const SyntaxCode = "syntax"

type rangeT = diag.Range

type parser struct {
	src  *diag.Source
	file *File
	lang string // language for syntax messages
}

func (p *parser) rng(a, b int) diag.Range { return p.src.Range(a, b) }

func (p *parser) syntax(a, b int, en, fr string) {
	msg := en
	if p.lang == "fr" {
		msg = fr
	}
	p.file.Diagnostics = append(p.file.Diagnostics, diag.Diagnostic{Severity: diag.Error, Code: SyntaxCode, Message: msg, Range: p.rng(a, b)})
}

// Options tune parsing.
type Options struct {
	// Messages is the language of syntax messages ("en", "fr"); by default
	// the file's language.
	Messages string
}

// Parse reads an instruction file. It never fails and never stops early:
// every statement is parsed on its own, so one bad sentence does not hide
// the others, and problems come back as diagnostics on the File.
func Parse(filename string, text []byte, opts ...Options) *File {
	src := diag.NewSource(filename, text)
	f := &File{Name: filename, Source: src}
	p := &parser{src: src, file: f}
	if len(opts) > 0 {
		p.lang = opts[0].Messages
	}
	if p.notText() {
		f.NotText = true
		f.Language = "en"
		return f
	}
	controls := p.blankControls()
	body := p.frontMatter()
	blocks := p.blocks(body)
	f.Language = f.Front.Language
	if f.Language == "" {
		f.Language = lang.Detect(string(text[body:]))
	}
	p.lang = f.Language
	if len(opts) > 0 && opts[0].Messages != "" {
		p.lang = opts[0].Messages
	}
	p.reportControls(controls)
	p.blocksInParallel(blocks)
	p.resolveElse()
	f.Diagnostics.Sort()
	return f
}

// parallelBlocks is the number of blocks from which parsing is spread over
// the available cores. Blocks are independent (one scenario or paragraph
// each), so each is parsed on its own and the results are joined in source
// order.
const parallelBlocks = 256

func (p *parser) blocksInParallel(blocks []block) {
	workers := goruntime.GOMAXPROCS(0)
	if len(blocks) < parallelBlocks || workers < 2 {
		for _, b := range blocks {
			p.block(b)
		}
		return
	}
	parts := make([]*File, len(blocks))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(blocks) {
					return
				}
				bp := &parser{src: p.src, lang: p.lang, file: &File{}}
				bp.block(blocks[i])
				parts[i] = bp.file
			}
		})
	}
	wg.Wait()
	for _, part := range parts {
		p.file.Scenarios = append(p.file.Scenarios, part.Scenarios...)
		p.file.Guidance = append(p.file.Guidance, part.Guidance...)
		p.file.Diagnostics = append(p.file.Diagnostics, part.Diagnostics...)
		p.file.Unread = append(p.file.Unread, part.Unread...)
	}
}

// notText reports a file that is no text, once for the whole file: bytes
// that are not UTF-8, or a NUL (as git decides that a file is binary; a
// UTF-16 file has one in every other byte). Nothing of such a file is
// parsed.
func (p *parser) notText() bool {
	text := p.src.Text
	if i := bytes.IndexByte(text, 0); i >= 0 {
		p.syntax(i, i+1, "this file is not text (it holds NUL bytes): instruction files are UTF-8 text; if it is UTF-16, save it as UTF-8",
			"ce fichier n'est pas du texte (il contient des octets NUL) : les fichiers d'instructions sont du texte UTF-8 ; s'il est en UTF-16, enregistrez-le en UTF-8")
		return true
	}
	if utf8.Valid(text) {
		return false
	}
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRune(text[i:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		i += n
	}
	p.syntax(i, i+1, "this file is not valid UTF-8 (first at this byte): save it as UTF-8",
		"ce fichier n'est pas en UTF-8 valide (à partir de cet octet) : enregistrez-le en UTF-8")
	return true
}

// control is a control character found by blankControls.
type control struct {
	off, size int
	r         rune
}

// blankControls finds the control characters of the text (diag.IsControl:
// escape, other C0 and C1 controls, DEL, bidirectional controls) and
// replaces each with a space of the same length in bytes, so that none of
// them reaches the plan while every offset and column stays as it was. It
// returns the first one of each line, for reportControls.
func (p *parser) blankControls() []control {
	text := p.src.Text
	var at []control
	var clean []byte
	prev := -1 // offset of the last one reported
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRune(text[i:])
		if !diag.IsControl(r) {
			i += n
			continue
		}
		if clean == nil {
			clean = append([]byte(nil), text...)
		}
		if prev < 0 || bytes.IndexByte(text[prev:i], '\n') >= 0 {
			at = append(at, control{i, n, r})
			prev = i
		}
		switch n {
		case 1:
			clean[i] = ' '
		case 2:
			copy(clean[i:], "\u00a0") // no-break space
		default:
			copy(clean[i:], "\u2002") // en space
		}
		i += n
	}
	if clean != nil {
		p.src.Text = clean
	}
	return at
}

// reportControls reports the first control character of each line that has
// one.
func (p *parser) reportControls(at []control) {
	for _, c := range at {
		name := diag.ControlName(c.r)
		p.syntax(c.off, c.off+c.size, fmt.Sprintf("%s is an invisible control character: remove it (instrc reads it as a space)", name),
			fmt.Sprintf("%s est un caractère de contrôle invisible : supprimez-le (instrc le lit comme une espace)", name))
	}
}

// frontMatter reads the optional `---` block and returns where the body
// starts.
func (p *parser) frontMatter() int {
	text := p.src.Text
	start := 0
	if strings.HasPrefix(string(text), "\uFEFF") {
		start = 3
	}
	rest := text[start:]
	if !(strings.HasPrefix(string(rest), "---\n") || strings.HasPrefix(string(rest), "---\r\n")) {
		return start
	}
	fm := &p.file.Front
	fm.Present = true
	off := start + strings.IndexByte(string(rest), '\n') + 1
	for off < len(text) {
		end := off
		for end < len(text) && text[end] != '\n' {
			end++
		}
		line := strings.TrimRight(string(text[off:end]), "\r")
		next := end + 1
		if strings.TrimSpace(line) == "---" {
			fm.Range = p.rng(start, end)
			return min(next, len(text))
		}
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			off = next
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		lead := len(line) - len(strings.TrimLeft(line, " \t"))
		if !ok {
			p.syntax(off+lead, end, "front matter lines are `key: value` (workspace, language)", "les lignes d'en-tête sont de la forme `clé: valeur` (workspace, language)")
			off = next
			continue
		}
		key = strings.TrimSpace(key)
		vStart := off + len(key) + lead + 1
		for vStart < end && (text[vStart] == ' ' || text[vStart] == '\t' || text[vStart] == ':') {
			vStart++
		}
		val = strings.Trim(strings.TrimSpace(val), `"'`)
		// An empty value ("language: " at the end of the text) is an empty
		// range where the value would start.
		vr := p.rng(vStart, max(vStart, off+len(strings.TrimRight(line, " \t"))))
		switch key {
		case "workspace":
			fm.Workspace, fm.WorkspaceRange = val, vr
		case "language", "lang", "langue":
			fm.LanguageRange = vr
			switch strings.ToLower(val) {
			case "en", "english", "anglais":
				fm.Language = "en"
			case "fr", "french", "français", "francais":
				fm.Language = "fr"
			case "":
				p.syntax(vStart, vr.End.Offset, "the language is missing: use en or fr", "la langue manque : utilisez en ou fr")
			default:
				p.syntax(vStart, vr.End.Offset, fmt.Sprintf("language %q is not supported: use en or fr", val), fmt.Sprintf("la langue %q n'est pas prise en charge : utilisez en ou fr", val))
			}
		default:
			p.syntax(off+lead, off+lead+len(key), fmt.Sprintf("unknown front matter key %q: use workspace or language", key), fmt.Sprintf("clé d'en-tête inconnue %q : utilisez workspace ou language", key))
		}
		off = next
	}
	fm.Range = p.rng(start, len(text))
	p.syntax(start, start+3, "the front matter is not closed: add a line `---` after it", "l'en-tête n'est pas fermé : ajoutez une ligne `---` après")
	return len(text)
}

// block is a list item, a paragraph or a heading.
type block struct {
	start, end int
	item       bool
	heading    bool
}

// blocks splits the body into Markdown-ish blocks.
func (p *parser) blocks(from int) []block {
	text := p.src.Text
	var out []block
	cur := block{start: -1}
	flush := func() {
		if cur.start >= 0 {
			out = append(out, cur)
		}
		cur = block{start: -1}
	}
	fence := false
	for off := from; off < len(text); {
		end := off
		for end < len(text) && text[end] != '\n' {
			end++
		}
		line := string(text[off:end])
		trimmed := strings.TrimSpace(line)
		lead := len(line) - len(strings.TrimLeft(line, " \t"))
		next := end + 1
		switch {
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			if !fence {
				flush()
				cur = block{start: off, heading: true}
			}
			fence = !fence
			cur.end = end
			if !fence {
				flush()
			}
		case fence:
			cur.end = end
		case trimmed == "":
			flush()
		case strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, "<!--") || trimmed == "---" || trimmed == "***":
			flush()
			out = append(out, block{start: off + lead, end: off + len(strings.TrimRight(line, " \t\r")), heading: true})
		default:
			if n := ListMarker(trimmed); n > 0 {
				flush()
				cur = block{start: off + lead + n, end: end, item: true}
			} else if cur.start >= 0 {
				cur.end = end
			} else {
				s := off + lead
				if strings.HasPrefix(trimmed, ">") {
					s++
				}
				cur = block{start: s, end: end}
			}
		}
		off = next
	}
	flush()
	for i := range out {
		for out[i].end > out[i].start && (text[out[i].end-1] == '\r' || text[out[i].end-1] == ' ') {
			out[i].end--
		}
	}
	return out
}

// ListMarker returns the length of a list marker with its space ("- ",
// "* ", "1. ", "2) ", "- [ ] ") at the start of a trimmed line, or 0.
func ListMarker(s string) int {
	if len(s) >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+' || strings.HasPrefix(s, "•")) {
		n := 1
		if strings.HasPrefix(s, "•") {
			n = len("•")
		}
		if n < len(s) && (s[n] == ' ' || s[n] == '\t') {
			n++
			for _, box := range []string{"[ ] ", "[x] ", "[X] "} {
				if strings.HasPrefix(s[n:], box) {
					n += len(box)
				}
			}
			return n
		}
		return 0
	}
	i := 0
	for i < len(s) && i < 4 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && (s[i+1] == ' ' || s[i+1] == '\t') {
		return i + 2
	}
	return 0
}

// block splits a block into sentences and reads each one.
func (p *parser) block(b block) {
	if b.heading {
		p.guidance(b.start, b.end)
		return
	}
	toks := Lex(p.src.Text, b.start, b.end)
	for _, t := range toks {
		if t.Unterminated {
			open, _ := utf8.DecodeRune(p.src.Text[t.Start:])
			if t.Kind == KSigil {
				open, _ = utf8.DecodeRune(p.src.Text[t.Start+1:])
			}
			closeQ := string(quotePairs[open])
			p.syntax(t.Start, t.Start+utf8.RuneLen(open), fmt.Sprintf("this quote is never closed: add the closing %s", closeQ), fmt.Sprintf("ces guillemets ne sont jamais fermés : ajoutez le %s fermant", closeQ))
		}
	}
	var sentences [][]Token
	start := 0
	for i, t := range toks {
		if t.Kind == KPeriod && (i+1 == len(toks) || !startsLower(toks[i+1])) {
			sentences = append(sentences, toks[start:i+1])
			start = i + 1
		}
	}
	if start < len(toks) {
		sentences = append(sentences, toks[start:])
	}
	var split [][]Token
	for _, s := range sentences {
		split = append(split, splitElse(s)...)
	}
	sentences = split
	var prev *Scenario
	guideStart, guideEnd := -1, -1
	flushGuide := func() {
		if guideStart >= 0 {
			p.guidance(guideStart, guideEnd)
		}
		guideStart = -1
	}
	for _, s := range sentences {
		sc, isGuidance := p.sentence(s, b.item, prev)
		if isGuidance {
			if guideStart < 0 {
				guideStart = s[0].Start
			}
			guideEnd = s[len(s)-1].End
			continue
		}
		flushGuide()
		if sc != nil && sc.Prohibition {
			p.guidance(sc.Range.Start.Offset, sc.Range.End.Offset)
		}
		if sc != nil && sc != prev {
			p.file.Scenarios = append(p.file.Scenarios, sc)
			if b.item {
				prev = sc
			}
		}
	}
	flushGuide()
}

func startsLower(t Token) bool {
	if t.Kind != KWord {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t.Text)
	return unicode.IsLower(r)
}

func (p *parser) guidance(a, b int) {
	if a >= b {
		return
	}
	p.file.Guidance = append(p.file.Guidance, &Guidance{Text: strings.TrimSpace(string(p.src.Text[a:b])), Range: p.rng(a, b)})
}

// leadKind is the kind of the first token that is not a filler.
func leadKind(toks []Token) (Kind, int) {
	for i, t := range toks {
		if t.Kind == KFiller || t.Kind == KNeg || t.Kind == KPunct {
			continue
		}
		return t.Kind, i
	}
	return KEOF, len(toks)
}

// sentence reads one sentence. It returns the scenario it makes (prev when
// it only continues the previous scenario of the same list item), or
// isGuidance when it is prose. A sentence that names something to act on (a
// sigil, a $contact field) is never prose: when no scenario reads it, it is
// recorded as unread.
func (p *parser) sentence(toks []Token, item bool, prev *Scenario) (*Scenario, bool) {
	all := toks
	if last := toks[len(toks)-1]; last.Kind == KColon && last.Text == ":" && !namesSomething(toks) {
		// "Route by topic:", "Based on their reply, infer intent:": an
		// intro to the list below it, whose items are the scenarios.
		return nil, true
	}
	retagAskIf(toks)
	linkInfinitives(toks)
	toks, lead := p.openLead(toks, item)
	sc, isGuidance := p.sentenceBody(toks, item, prev)
	if lead != nil && sc != nil {
		a, b := lead[0].Start, lead[len(lead)-1].End
		u := &Unread{Range: p.rng(a, b), Text: string(p.src.Text[a:b]), Tokens: lead, Why: "lead"}
		if lk := lead[len(lead)-1]; lk.Kind == KComma || lk.Kind == KSep {
			u.Tokens = lead[:len(lead)-1]
			if len(u.Tokens) > 0 {
				b = u.Tokens[len(u.Tokens)-1].End
				u.Range, u.Text = p.rng(a, b), string(p.src.Text[a:b])
			}
		}
		sc.Unread = append(sc.Unread, u)
		if sc != prev {
			sc.Tokens = append(append([]Token(nil), lead...), sc.Tokens...)
			sc.Range = p.rng(a, sc.Range.End.Offset)
			sc.Text = string(p.src.Text[a:sc.Range.End.Offset])
		} else {
			sc.Tokens = append(sc.Tokens, lead...)
		}
	}
	if isGuidance && (namesSomething(all) || asksUnsupported(all)) {
		a, b := all[0].Start, all[len(all)-1].End
		p.file.Unread = append(p.file.Unread, &Unread{Range: p.rng(a, b), Text: string(p.src.Text[a:b]), Tokens: all, Why: "sentence"})
		return nil, false
	}
	return sc, isGuidance
}

func (p *parser) sentenceBody(toks []Token, item bool, prev *Scenario) (sc *Scenario, isGuidance bool) {
	k, i := leadKind(toks)
	if k == KThen && i+1 < len(toks) {
		if k2, _ := leadKind(toks[i+1:]); k2 == KVerb {
			toks = toks[i+1:]
			k = KVerb
		}
	}
	if k != KCond && k != KVerb {
		return nil, true
	}
	if len(toks) > MaxStatementTokens {
		first, last := toks[0], toks[len(toks)-1]
		p.syntax(first.Start, last.End,
			fmt.Sprintf("this sentence has %d words and signs, too many for one scenario: split it into sentences of one condition and at most 3 actions", len(toks)),
			fmt.Sprintf("cette phrase compte %d mots et signes, trop pour un seul scénario : découpez-la en phrases d'une condition et d'au plus 3 actions", len(toks)))
		return nil, false
	}
	// The sentence's tokens are its own (block splits them without
	// overlap), so boundaries are marked in place.
	markBoundaries(toks)
	st, err := parseSkeleton(toks)
	if err != nil {
		return p.syntaxError(toks, k, err)
	}
	sc = p.scenario(toks, st, item)
	for _, c := range sc.Conditions {
		if len(c.Tokens) == 0 && !c.Marker.IsSynthetic() {
			p.syntax(c.Marker.Start, c.Marker.End, "expected a condition after this word: say when, e.g. \"if the contact asks for a refund\"", "une condition est attendue après ce mot : dites quand, par exemple « si le contact demande un remboursement »")
			return nil, false
		}
	}
	// "Reply in a friendly tone." alone is guidance, not a scenario.
	if len(sc.Conditions) == 0 {
		onlyReply := true
		for _, s := range sc.Steps {
			if s.Kind != StepReply && s.Kind != StepCollect {
				onlyReply = false
			}
		}
		if prev != nil {
			prev.Steps = append(prev.Steps, sc.Steps...)
			prev.Tokens = append(prev.Tokens, sc.Tokens...)
			prev.Unread = append(prev.Unread, sc.Unread...)
			prev.Range.End = sc.Range.End
			prev.Text = string(p.src.Text[prev.Range.Start.Offset:prev.Range.End.Offset])
			return prev, false
		}
		if onlyReply && item && len(sc.Steps) > 0 && greetVerbs[sc.Steps[0].Verb.Fold] {
			// "1. Greet and ask: "How can I help you today?"": the reply
			// to a new conversation.
			sc.Greeting = true
			return sc, false
		}
		if onlyReply || prohibitsOnly(sc) {
			return nil, true
		}
		if prohibits(sc) {
			// "Never assign to @Sales Team": no action, but its names
			// are checked; its text is guidance for the reply.
			sc.Prohibition = true
		}
	}
	return sc, false
}

// prohibits reports whether a scenario forbids and does nothing else: every
// step is a prohibition or words to the contact, and one at least is a
// prohibition ("Do not reopen closed conversations, and never share another
// customer's details", "Never close the chat and stay polite").
func prohibits(sc *Scenario) bool {
	forbids := false
	for _, s := range sc.Steps {
		switch {
		case s.Negated:
			forbids = true
		case s.Kind == StepReply || s.Kind == StepCollect:
		default:
			return false
		}
	}
	return forbids
}

// prohibitsOnly reports whether an unconditional sentence only forbids,
// naming nothing of the workspace ("Do not reopen closed conversations",
// "Ne supprime jamais un contact", "Do not reopen closed conversations,
// and never share another customer's details"): a boundary for the reply
// model, not a step to run or report.
func prohibitsOnly(sc *Scenario) bool {
	if !prohibits(sc) || len(sc.Unread) > 0 {
		return false
	}
	for _, s := range sc.Steps {
		if len(s.Names) > 0 || len(s.Mentions) > 0 {
			return false
		}
	}
	return true
}

// actionish reports whether tokens look like an instruction to act (names,
// quoted values, verbs), so that a condition followed by something
// unreadable is reported instead of being taken as prose.
func actionish(toks []Token) bool {
	for _, t := range toks {
		if t.Kind == KSigil || t.Kind == KVerb {
			return true
		}
	}
	return false
}

// actsOnSomething reports whether tokens after a condition ask for more
// than words to the contact: a sigil, or a verb whose step is not a reply
// or a question once its arguments are read ("give them time" is a reply,
// "give it to @Sales" an assignment).
func actsOnSomething(toks []Token) bool {
	for i, t := range toks {
		if t.Kind == KSigil {
			return true
		}
		if t.Kind != KVerb {
			continue
		}
		j := i + 1
		for j < len(toks) && toks[j].Kind != KVerb && toks[j].Kind != KPeriod {
			j++
		}
		end := j
		if j < len(toks) && toks[j].Kind == KVerb && end > i+1 && infinitiveMarkers[toks[end-1].Fold] {
			end-- // "give them a moment to explain": "to" is the next verb's
		}
		r := &stepReader{s: &Step{Verb: t, Args: toks[i+1 : end]}, args: toks[i+1 : end]}
		switch r.refine(t.Step) {
		case StepReply, StepCollect:
		default:
			return true
		}
	}
	return false
}

// infinitiveMarkers stand before a verb's infinitive ("to explain", "de
// répondre").
var infinitiveMarkers = map[string]bool{"to": true, "de": true, "d'": true}

func (p *parser) syntaxError(toks []Token, k Kind, err error) (*Scenario, bool) {
	last := toks[len(toks)-1]
	if k == KCond {
		// Find where the condition ends: the last comma or "then".
		sep := -1
		for i, t := range toks {
			if t.Kind == KComma || t.Kind == KThen || t.Kind == KSemi || t.Kind == KSep {
				sep = i
			}
		}
		if sep >= 0 && (sep+1 == len(toks) || sep+2 == len(toks) && toks[sep+1].Kind == KPeriod) {
			p.syntax(toks[0].Start, last.End, "this condition has no action: add what to do after the comma, e.g. \", assign to @Team\"", "cette condition n'a pas d'action : ajoutez quoi faire après la virgule, par exemple « , assigne à @Équipe »")
			return nil, false
		}
		if sep >= 0 && sep+1 < len(toks) {
			rest := toks[sep+1:]
			if !actsOnSomething(rest) {
				// Conditional prose: "If the customer is upset, be
				// patient.", "…, stay calm and acknowledge the trouble
				// first." Words that only talk to the contact are
				// guidance for the reply.
				return nil, true
			}
			at := rest[0]
			if _, i := leadKind(rest); i < len(rest) {
				at = rest[i]
			}
			if at.Kind == KPeriod {
				return nil, true
			}
			if _, i := leadKind(rest); i < len(rest) && unsupportedKW.at(rest, i) > 0 {
				// "If they want a refund, process the refund and close
				// the ticket": what the agent cannot do, said as such.
				u := rest[i:]
				a, b := u[0].Start, u[len(u)-1].End
				p.file.Unread = append(p.file.Unread, &Unread{Range: p.rng(a, b), Text: string(p.src.Text[a:b]), Tokens: u, Why: "sentence"})
				return nil, false
			}
			found := string(p.src.Text[at.Start:at.End])
			p.syntax(at.Start, at.End,
				fmt.Sprintf("expected an action after the condition, found %q: start it with a verb such as close, assign, save, add, trigger or reply", found),
				fmt.Sprintf("une action est attendue après la condition, trouvé %q : commencez par un verbe comme ferme, assigne, enregistre, ajoute, déclenche ou réponds", found))
			return nil, false
		}
		// The action is most likely the last verb: conditions often hold
		// verbs of their own ("Si le contact demande … assigne à …").
		for i := len(toks) - 1; i >= 1; i-- {
			if t := toks[i]; t.Kind == KVerb {
				p.syntax(t.Start, t.End,
					fmt.Sprintf("expected a comma between the condition and the action: write \"…, %s …\"", t.Text),
					fmt.Sprintf("une virgule est attendue entre la condition et l'action : écrivez « …, %s … »", t.Text))
				return nil, false
			}
		}
		if !actionish(toks[1:]) {
			return nil, true
		}
		p.syntax(toks[0].Start, last.End, "this condition has no action: add what to do, e.g. \", assign to @Team\"", "cette condition n'a pas d'action : ajoutez quoi faire, par exemple « , assigne à @Équipe »")
		return nil, false
	}
	at := last
	if i := syntaxErrorToken(err); i >= 0 && i < len(toks) {
		at = toks[i]
	}
	if at.Kind == KPeriod && len(toks) > 1 && toks[len(toks)-2].Kind == KCond {
		at = toks[len(toks)-2]
	}
	if at.Kind == KCond {
		p.syntax(at.Start, at.End, "expected a condition after this word: say when, e.g. \"if the contact asks for a refund\"", "une condition est attendue après ce mot : dites quand, par exemple « si le contact demande un remboursement »")
		return nil, false
	}
	p.syntax(at.Start, at.End, fmt.Sprintf("unexpected %q: a scenario is \"If <condition>, <action>, then <action>.\"", at.Text), fmt.Sprintf("%q inattendu : un scénario s'écrit « Si <condition>, <action>, puis <action>. »", at.Text))
	return nil, false
}

// scenario builds the AST of a parsed statement.
func (p *parser) scenario(toks []Token, st *pStatement, item bool) *Scenario {
	first, last := toks[0], toks[len(toks)-1]
	sc := &Scenario{Range: p.rng(first.Start, last.End), Text: string(p.src.Text[first.Start:last.End]), Item: item, Tokens: toks}
	for _, l := range st.Lead {
		i := l.Pos.Column - 1
		sc.Conditions = append(sc.Conditions, p.condition(toks, i, i+1+len(l.Text), false))
	}
	addStep := func(ps *pStep) {
		i := ps.Pos.Column - 1
		verb := i + len(ps.Pre)
		end := verb + 1 + len(ps.Args)
		s := &Step{Verb: toks[verb], Args: toks[verb+1 : end], Range: p.rng(toks[i].Start, toks[end-1].End)}
		for _, t := range toks[i:verb] {
			if t.Kind == KNeg {
				s.Negated = true
			}
		}
		// "ne réponds pas": a trailing "pas" belongs to the negation.
		if n := len(s.Args); n > 0 && s.Args[n-1].Fold == "pas" && s.Negated {
			s.Args = s.Args[:n-1]
		}
		p.interpret(s)
		sc.Steps = append(sc.Steps, s)
	}
	addStep(st.First)
	for _, r := range st.Rest {
		if r.Step != nil {
			addStep(r.Step)
			continue
		}
		i := r.Trail.Pos.Column - 1
		sc.Conditions = append(sc.Conditions, p.condition(toks, i, i+1+len(r.Trail.Text), true))
	}
	p.fold(sc)
	return sc
}

func (p *parser) condition(toks []Token, marker, end int, trailing bool) *Condition {
	c := &Condition{Marker: toks[marker], Tokens: toks[marker+1 : end], Trailing: trailing}
	switch c.Marker.Fold {
	case markElse:
		c.Else = true
	case markYes:
		c.Yes = true
	case markFallback:
		c.Fallback = true
	default:
		c.Negated = negatingMarkers[strings.ReplaceAll(c.Marker.Fold, "' ", "'")]
	}
	if len(c.Tokens) == 0 {
		if c.Fallback {
			c.Text = c.Marker.Text
		}
		c.Range = p.rng(toks[marker].Start, toks[marker].End)
		return c
	}
	a, b := c.Tokens[0].Start, c.Tokens[len(c.Tokens)-1].End
	c.Text, c.Range = string(p.src.Text[a:b]), p.rng(a, b)
	return c
}

// fold joins steps that belong together: "tag @Jane" after a comment is a
// mention in that comment, and "collect the phone number and save it as
// phone" saves what was collected.
func (p *parser) fold(sc *Scenario) {
	out := sc.Steps[:0]
	for i, s := range sc.Steps {
		if s.Negated && len(out) > 0 && out[len(out)-1].Kind == StepClose {
			// "close the conversation, and don't write a summary"
			all := append([]Token{s.Verb}, s.Args...)
			if i, _ := summaryKW.find(all, 0); i >= 0 {
				out[len(out)-1].NoSummary = true
				out[len(out)-1].Range.End = s.Range.End
				continue
			}
			if i, _ := noteKW.find(all, 0); i >= 0 {
				out[len(out)-1].NoNote = true
				out[len(out)-1].Folded = append(out[len(out)-1].Folded, Token{Kind: KWord, Start: s.Range.Start.Offset, End: s.Range.End.Offset})
				continue
			}
		}
		if s.Kind == StepMention && len(out) > 0 && out[len(out)-1].Kind == StepComment {
			c := out[len(out)-1]
			c.Mentions = append(c.Mentions, s.Mentions...)
			c.Range.End = s.Range.End
			continue
		}
		if s.Kind == StepMention && len(s.Mentions) == 0 && !s.Negated {
			// "notify the manager": nobody the agent can mention. The
			// step is not an action, and its words are reported.
			a, b := s.Verb.Start, s.Range.End.Offset
			s.Unread = []*Unread{{Range: p.rng(a, b), Text: string(p.src.Text[a:b]), Tokens: append([]Token{s.Verb}, s.Args...)}}
			out = append(out, s)
			continue
		}
		if s.Kind == StepMention {
			s.Kind = StepComment
		}
		if s.Kind == StepSave && s.Object == "" && i > 0 && sc.Steps[i-1].Kind == StepCollect {
			s.Object = sc.Steps[i-1].Text
		}
		out = append(out, s)
	}
	sc.Steps = out
	for i, s := range sc.Steps {
		saved := i+1 < len(sc.Steps) && sc.Steps[i+1].Kind == StepSave && sc.Steps[i+1].Object == s.Text
		if s.Kind == StepCollect && !s.Negated && !saved && asksQuestion(s.Args) {
			// "ask how we can help", "demande-lui en quoi nous pouvons
			// l'aider": a question in the reply, no value to collect.
			a, b := s.Verb.Start, s.Range.End.Offset
			s.Kind, s.Text, s.TextRange = StepReply, string(p.src.Text[a:b]), p.rng(a, b)
		}
	}
}

// questionWords open a question asked in the reply rather than a value to
// collect ("ask how we can help", "ask whether there is anything else",
// "demande-lui en quoi nous pouvons l'aider", "demande s'il a d'autres
// questions").
var questionWords = map[string]bool{
	"how": true, "what": true, "whether": true, "if": true, "why": true, "when": true, "which": true, "where": true, "who": true,
	"comment": true, "pourquoi": true, "quand": true, "depuis": true, "since": true, "quel": true, "quelle": true, "quels": true, "quelles": true, "si": true, "s'il": true, "s'ils": true, "s'elle": true, "s'elles": true, "quoi": true, "ce": true, "qui": true,
}

// asksQuestion reports whether a collect step's arguments are a question:
// after who is asked ("the customer", "-lui", "au client"), a question word
// ("en quoi", "ce que" in French).
func asksQuestion(args []Token) bool {
	i := 0
	for i < len(args) && i < 4 && (args[i].Kind == KClitic || articles[args[i].Fold] || pronouns[args[i].Fold] || stepGlue[args[i].Fold] && !questionWords[args[i].Fold]) {
		i++
	}
	if i >= len(args) {
		return false
	}
	f := strings.ReplaceAll(args[i].Fold, "' ", "'")
	if f == "en" && i+1 < len(args) {
		f = args[i+1].Fold // "en quoi"
		return f == "quoi"
	}
	if f == "ce" {
		return i+1 < len(args) && strings.HasPrefix(args[i+1].Fold, "qu")
	}
	return questionWords[f]
}
