package grammar

import (
	"fmt"
	"strings"

	"github.com/instrc/instrc/diag"
)

// The structure of a total reading. Every word of a scenario belongs to
// exactly one part: its condition (opened by a marker such as "If", an
// opener such as "For … requests," or a phrase before a colon or an arrow),
// a step, reply guidance, a filler or separator, or a run of words nothing
// reads, which the compiler reports. See docs/language.md, "Conditions".

var (
	openerKW      = kws(openers...)
	elseKW        = kws(elseOpeners...)
	yesKW         = kws(yesOpeners...)
	fallbackKW    = kws(fallbackOpeners...)
	unsupportedKW = kws(unsupportedWords...)
	markerOnlySet = map[string]bool{}
	followerSet   = map[string]bool{}
	reasonKW      = func() kw {
		var ps []string
		for p := range reasonWords {
			ps = append(ps, p)
		}
		return kws(ps...)
	}()
)

func init() {
	for _, f := range nameFollowers {
		followerSet[Fold(f)] = true
	}
	for _, m := range markerOnly {
		markerOnlySet[strings.Join(splitPhrase(Fold(m)), " ")] = true
	}
}

// Synthetic condition markers. They are KCond tokens the parser makes; their
// Fold says what kind of condition follows. A zero-width marker (Start ==
// End) leaves the words after it in the condition's text.
const (
	markFallback = "\x00fallback" // "If no clear intent", replaces the phrase
	markElse     = "\x00else"     // "Otherwise", "Sinon", replaces the phrase
	markYes      = "\x00yes"      // "If so", "Si oui", replaces the phrase
	markOpener   = "\x00opener"   // "For", "Pour toute", replaces the word(s)
	markOpen     = "\x00open"     // zero-width before "During …", "Après …"
	markLead     = "\x00lead"     // zero-width before "Damaged parcels:"
)

// IsSynthetic reports whether a condition marker was made by the parser
// rather than written as a condition word.
func (t Token) IsSynthetic() bool { return strings.HasPrefix(t.Fold, "\x00") }

// replaceMarker replaces toks[i:i+n] by one marker token of kind fold.
func replaceMarker(src []byte, toks []Token, i, n int, fold string) []Token {
	a, b := toks[i].Start, toks[i+n-1].End
	m := Token{Kind: KCond, Text: string(src[a:b]), Fold: fold, Start: a, End: b}
	out := make([]Token, 0, len(toks)-n+2)
	out = append(out, toks[:i]...)
	out = append(out, m)
	rest := toks[i+n:]
	if (fold == markElse || fold == markFallback) && len(rest) > 0 && !isLeadSep(rest[0]) {
		// "Otherwise reply …": an empty separator ends the condition.
		out = append(out, Token{Kind: KSep, Start: b, End: b})
	}
	return append(out, rest...)
}

// insertMarker puts a zero-width marker before toks[i].
func insertMarker(toks []Token, i int, fold string) []Token {
	at := toks[i].Start
	out := make([]Token, 0, len(toks)+1)
	out = append(out, toks[:i]...)
	out = append(out, Token{Kind: KCond, Fold: fold, Start: at, End: at})
	return append(out, toks[i:]...)
}

func isLeadSep(t Token) bool {
	return t.Kind == KComma || t.Kind == KColon || t.Kind == KSemi || t.Kind == KSep
}

// stepAt reports whether a step (or another condition) starts at toks[j],
// after fillers.
func stepAt(toks []Token, j int) bool {
	for j < len(toks) && (toks[j].Kind == KFiller || toks[j].Kind == KNeg || toks[j].Kind == KPunct) {
		j++
	}
	return j < len(toks) && (toks[j].Kind == KVerb || toks[j].Kind == KCond)
}

// sepBeforeStep returns the index of the first separator in toks[from:]
// (comma, colon, arrow, semicolon) that a step follows, or -1. Only words
// come before it: a verb, a quote or a sigil first means the sentence is
// something else.
func sepBeforeStep(toks []Token, from int) int {
	for j := from; j < len(toks); j++ {
		switch toks[j].Kind {
		case KComma, KColon, KSemi:
			if stepAt(toks, j+1) {
				return j
			}
		case KPeriod:
			return -1
		}
	}
	return -1
}

// retagAskIf makes "if"/"si" after an ask verb part of the question ("Ask
// if there's anything else", "demande-lui s'il …").
func retagAskIf(toks []Token) {
	for i := 1; i < len(toks); i++ {
		if toks[i].Kind != KCond || !askIfWords[strings.ReplaceAll(toks[i].Fold, "' ", "'")] {
			continue
		}
		// Between the verb and "if" may stand a clitic or who is asked:
		// "demande-lui s'il …", "demande au client s'il …", "ask the
		// customer if …".
		j, words := i-1, 0
		for j > 0 && (toks[j].Kind == KClitic || toks[j].Kind == KWord && words < 3) {
			if toks[j].Kind == KWord {
				words++
			}
			j--
		}
		if toks[j].Kind == KVerb && toks[j].Step == StepCollect {
			toks[i].Kind = KWord
		}
	}
	// "ask them when it started", "demande au client depuis quand cela
	// arrive": "when" right after who is asked is the question's.
	for i := 1; i < len(toks); i++ {
		if toks[i].Kind != KCond || !askWhenWords[strings.ReplaceAll(toks[i].Fold, "' ", "'")] {
			continue
		}
		j, words := i-1, 0
		if toks[j].Kind == KWord && (toks[j].Fold == "depuis" || toks[j].Fold == "since") {
			j--
		}
		for j > 0 && (toks[j].Kind == KClitic || toks[j].Kind == KWord && words < 2 && askedWho[toks[j].Fold]) {
			if toks[j].Kind == KWord {
				words++
			}
			j--
		}
		if j >= 0 && toks[j].Kind == KVerb && toks[j].Step == StepCollect {
			toks[i].Kind = KWord
		}
	}
}

// askWhenWords after an ask verb and who is asked make a question ("ask
// them when it started").
var askWhenWords = map[string]bool{"when": true, "quand": true}

// askedWho are the words that say who is asked ("ask the customer when",
// "demande au client quand").
var askedWho = map[string]bool{"the": true, "them": true, "him": true, "her": true, "contact": true, "customer": true, "client": true, "user": true, "au": true, "le": true, "la": true, "cliente": true}

// linkInfinitives makes "de"/"d'" before a French infinitive a filler when it
// follows a separator or a filler ("merci de mettre …, d'ajouter … et de
// déclencher …"), so that each infinitive starts a step.
func linkInfinitives(toks []Token) {
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].Kind != KWord || !infinitiveLinks[toks[i].Fold] {
			continue
		}
		// "et de l'enregistrer", "et de la transférer": an object
		// pronoun may stand between "de" and the infinitive.
		verb := i + 1
		if toks[verb].Kind == KWord && objectPronouns[toks[verb].Fold] && verb+1 < len(toks) {
			verb++
		}
		if toks[verb].Kind != KVerb {
			continue
		}
		if i == 0 || isSeparator(toks[i-1].Kind) || toks[i-1].Kind == KFiller || toks[i-1].Kind == KSep || toks[i-1].Kind == KSepAnd {
			for j := i; j < verb; j++ {
				toks[j].Kind = KFiller
			}
		}
	}
}

// openLead recognises the ways a sentence opens a condition other than a
// condition word: a fallback phrase, "Otherwise"/"If not", an opener such as
// "For … requests," or "Pendant …,", and a phrase before a colon or an arrow
// ("Damaged parcels: …", "Billing questions → assign to @Billing"). It
// returns the tokens with a marker in place, and the words of an opening
// that is none of these when a step follows a comma (they are unread).
func (p *parser) openLead(toks []Token, item bool) ([]Token, []Token) {
	i := 0
	for i < len(toks) && toks[i].Kind == KPunct {
		i++
	}
	if i >= len(toks) {
		return toks, nil
	}
	src := p.src.Text
	if n := fallbackKW.at(toks, i); n > 0 && i+n < len(toks) && (isLeadSep(toks[i+n]) || stepAt(toks, i+n)) {
		return replaceMarker(src, toks, i, n, markFallback), nil
	}
	if n := elseKW.at(toks, i); n > 0 && i+n < len(toks) && (isLeadSep(toks[i+n]) && stepAt(toks, i+n+1) || stepAt(toks, i+n)) {
		return replaceMarker(src, toks, i, n, markElse), nil
	}
	if n := yesKW.at(toks, i); n > 0 && i+n < len(toks) && (isLeadSep(toks[i+n]) && stepAt(toks, i+n+1) || stepAt(toks, i+n)) {
		return replaceMarker(src, toks, i, n, markYes), nil
	}
	k := toks[i].Kind
	if k == KCond || k == KVerb || k == KThen {
		return toks, nil
	}
	if k == KFiller || k == KNeg {
		if lk, _ := leadKind(toks[i:]); lk == KVerb || lk == KCond {
			if n := openerKW.at(toks, i); n == 0 {
				return toks, nil
			}
		}
	}
	if n := openerKW.at(toks, i); n > 0 && i+n < len(toks) && (k != KFiller || toks[i+n].Kind != KVerb && toks[i+n].Kind != KFiller) {
		if sepBeforeStep(toks, i+n) > i+n {
			phrase := strings.Join(splitPhrase(strings.Join(foldsOf(toks[i:i+n]), " ")), " ")
			if markerOnlySet[phrase] {
				return replaceMarker(src, toks, i, n, markOpener), nil
			}
			return insertMarker(toks, i, markOpen), nil
		}
	}
	// A phrase before a colon or an arrow, with a step after it.
	for j := i; j < len(toks); j++ {
		t := toks[j]
		if t.Kind == KPeriod || t.Kind == KSemi {
			break
		}
		if t.Kind == KColon && j > i && stepAt(toks, j+1) && (t.Text != ":" || actionAfter(toks[j+1:])) {
			return insertMarker(toks, i, markLead), nil
		}
	}
	// "Thanks for waiting, assign to @Sales": words before a comma that
	// open no condition, then steps with an action.
	// Prose that merely holds a verb after a comma ("Patients write to
	// us to book, move or cancel …") stays guidance unless it names
	// something or is a list item.
	if c := sepBeforeStep(toks, i); c > i && toks[c].Kind == KComma && actionAfter(toks[c+1:]) && (item || namesSomething(toks[c+1:])) {
		return toks[c+1:], toks[:c+1]
	}
	return toks, nil
}

func foldsOf(toks []Token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Fold
	}
	return out
}

// actionAfter reports whether toks hold a verb of an action or a sigil.
func actionAfter(toks []Token) bool {
	for _, t := range toks {
		if t.Kind == KSigil || t.Kind == KVerb && (t.Step.IsAction() || t.Step == StepReopen || t.Step == StepCreate || t.Step == StepDelete) {
			return true
		}
	}
	return false
}

// namesSomething reports whether toks refer to the workspace (a sigil or a
// $contact field outside quotes): such a sentence is never guidance.
func namesSomething(toks []Token) bool {
	for _, t := range toks {
		if t.Kind == KSigil || t.Kind == KVar && varField(t.Text) != "" {
			return true
		}
	}
	return false
}

// splitElse cuts a sentence before "otherwise", "if not", "sinon" that
// follow a separator: "escalate to @Billing; otherwise reply with the
// policy" is two scenarios, the second the negation of the first.
func splitElse(toks []Token) [][]Token {
	var out [][]Token
	start := 0
	for k := 1; k < len(toks); k++ {
		prev := toks[k-1].Kind
		if prev != KSemi && prev != KComma && prev != KAnd && prev != KPunct {
			continue
		}
		n := elseKW.at(toks, k)
		if n == 0 || k+n >= len(toks) || !(isLeadSep(toks[k+n]) && stepAt(toks, k+n+1) || stepAt(toks, k+n)) {
			continue
		}
		cut := k
		if prev == KAnd || prev == KPunct {
			cut = k - 1
			if cut == start {
				continue
			}
		}
		if cut-start < 2 {
			continue
		}
		out = append(out, toks[start:cut])
		start = cut
	}
	return append(out, toks[start:])
}

// resolveElse gives each "Otherwise"/"If not" condition the text it negates,
// and each "If so"/"Si oui" condition the text it confirms: the question
// before it, or the conditions of the scenario before it. An "If not" after
// an "If so" negates the same question.
func (p *parser) resolveElse() {
	gi := 0
	var prevScenario *Scenario
	for _, sc := range p.file.Scenarios {
		for _, c := range sc.Conditions {
			if !c.Else && !c.Yes {
				continue
			}
			at := sc.Range.Start.Offset
			for gi < len(p.file.Guidance) && p.file.Guidance[gi].Range.End.Offset <= at {
				gi++
			}
			var g *Guidance
			if gi > 0 {
				g = p.file.Guidance[gi-1]
			}
			var before string
			switch {
			case g != nil && (prevScenario == nil || g.Range.Start.Offset > prevScenario.Range.Start.Offset):
				before = lastSentence(strings.TrimSpace(g.Text))
			case prevScenario != nil:
				var ts []string
				for _, pc := range prevScenario.Conditions {
					switch {
					case pc.Confirms != "":
						ts = append(ts, pc.Confirms)
					case pc.Text != "":
						ts = append(ts, pc.Text)
					case pc.Negates != "":
						ts = append(ts, pc.Negates)
					}
				}
				before = strings.Join(ts, "; ")
			}
			if c.Yes {
				c.Confirms = before
			} else {
				c.Negates = before
			}
			if before == "" {
				p.syntax(c.Marker.Start, c.Marker.End,
					"nothing before this says what it is the opposite of: write the condition, e.g. \"If the contact declines, …\"",
					"rien avant ne dit de quoi c'est le contraire : écrivez la condition, par exemple « Si le contact refuse, … »")
			}
		}
		if len(sc.Conditions) > 0 {
			prevScenario = sc
		}
	}
}

// Part kinds of a scenario's reading.
const (
	PartCondition = "condition"
	PartStep      = "step"
	PartReply     = "reply"
	PartFiller    = "filler"
	PartUnread    = "unread"
)

// Part is a byte range of a scenario and what reads it.
type Part struct {
	Kind       string
	Start, End int
}

// Parts returns the parts of a scenario's reading: its conditions (marker
// and text), its steps (filler words before the verb, the verb and the
// arguments it reads), reply guidance, separators and fillers between
// steps, and the runs of words nothing reads. Every token of the scenario
// lies in exactly one part; the tests check it.
func (sc *Scenario) Parts() []Part {
	var out []Part
	add := func(kind string, a, b int) {
		if b > a {
			out = append(out, Part{kind, a, b})
		}
	}
	for _, c := range sc.Conditions {
		end := c.Marker.End
		if len(c.Tokens) > 0 {
			end = c.Tokens[len(c.Tokens)-1].End
		}
		add(PartCondition, c.Marker.Start, end)
	}
	for _, u := range sc.Unread {
		add(PartUnread, u.Range.Start.Offset, u.Range.End.Offset)
	}
	for _, s := range sc.Steps {
		kind := PartStep
		if s.Kind == StepReply || s.Kind == StepCollect {
			kind = PartReply
		}
		cursor := s.Range.Start.Offset
		for _, u := range s.Unread {
			add(kind, cursor, u.Range.Start.Offset)
			add(PartUnread, u.Range.Start.Offset, u.Range.End.Offset)
			cursor = u.Range.End.Offset
		}
		add(kind, cursor, s.Range.End.Offset)
		for _, t := range s.Folded {
			add(kind, t.Start, t.End)
		}
	}
	covered := func(t Token) bool {
		for _, pt := range out {
			if t.Start >= pt.Start && t.End <= pt.End {
				return true
			}
		}
		return false
	}
	for _, t := range sc.Tokens {
		switch t.Kind {
		case KComma, KAnd, KThen, KSemi, KColon, KPeriod, KSep, KSepAnd, KFiller, KNeg, KPunct:
			if t.End > t.Start && !covered(t) {
				add(PartFiller, t.Start, t.End)
			}
		}
	}
	return out
}

// stepReads are the keywords an action step reads besides its names.
var stepReads = []kw{fieldKW, stageKW, noteKW, tagKW, workflowKW, summaryKW, summaryOfKW, roundRobin, leastOpen, unassignKW, teamKW, commentKW}

// isGlue reports whether a word asks for nothing by itself inside a step.
func isGlue(t Token) bool {
	switch t.Kind {
	case KComma, KAnd, KThen, KPeriod, KPunct, KColon, KSemi, KFiller, KNeg, KClitic, KSep, KSepAnd:
		return true
	case KQuoted, KSigil, KVar, KNumber:
		return false
	}
	f := strings.ReplaceAll(t.Fold, "' ", "'")
	return followerSet[f] || articles[f] || pronouns[f] || functionWords[f] || toWords[f] || negWords[f] || stepGlue[f] || valueMarkers[f] || indefinite[f]
}

// findUnread records the runs of an action step's arguments that it did
// not read. A run is kept only when it holds a word that asks for
// something; glue around the names ("the conversation", "to the") is read.
func (r *stepReader) findUnread() {
	s := r.s
	if s.Negated || len(r.args) == 0 {
		return
	}
	switch {
	case s.Kind.IsAction() && s.Kind != StepComment, s.Kind == StepMention:
	default:
		return
	}
	if s.Kind == StepAssign && len(Presence.Find(r.args)) > 0 {
		// "someone from @Support Team who is online": the whole step asks
		// for presence, and is reported as presence-unsupported.
		return
	}
	read := make([]bool, len(r.args))
	var spans [][2]int
	addR := func(rg diag.Range) {
		if rg.End.Offset > rg.Start.Offset {
			spans = append(spans, [2]int{rg.Start.Offset, rg.End.Offset})
		}
	}
	for _, n := range s.Names {
		addR(n.Range)
		for _, w := range n.Words {
			spans = append(spans, [2]int{w.Start, w.End})
		}
	}
	for _, n := range s.Mentions {
		addR(n.Range)
	}
	if s.Value != nil {
		addR(s.Value.Range)
	}
	addR(s.MethodRange)
	for _, sp := range r.read {
		spans = append(spans, sp)
	}
	for _, m := range Presence.Find(r.args) {
		spans = append(spans, [2]int{m.Start, m.End})
	}
	for _, m := range Timing.Find(r.args) {
		spans = append(spans, [2]int{m.Start, m.End})
	}
	for _, m := range Hedges.Find(r.args) {
		spans = append(spans, [2]int{m.Start, m.End})
	}
	for i, t := range r.args {
		for _, sp := range spans {
			if t.Start >= sp[0] && t.End <= sp[1] {
				read[i] = true
				break
			}
		}
	}
	// A reason ("because …") or, after a workflow or action, a purpose
	// ("to look up the order") is read whole.
	named := false
	for i, t := range r.args {
		f := strings.ReplaceAll(t.Fold, "' ", "'")
		if t.Kind == KSigil {
			named = true
		}
		if reasonWords[f] || reasonKW.at(r.args, i) > 0 || s.Kind == StepRun && named && purposeWords[f] {
			for j := i; j < len(r.args); j++ {
				read[j] = true
			}
			break
		}
	}
	for _, k := range stepReads {
		for i := range r.args {
			if n := k.at(r.args, i); n > 0 {
				for j := i; j < i+n; j++ {
					read[j] = true
				}
			}
		}
	}
	for i := 0; i < len(r.args); {
		if read[i] {
			i++
			continue
		}
		j := i
		content := false
		for j < len(r.args) && !read[j] {
			if !isGlue(r.args[j]) {
				content = true
			}
			j++
		}
		if content {
			a := i
			for a < j && isGlue(r.args[a]) {
				a++
			}
			b := j
			for b > a && (r.args[b-1].Kind == KComma || r.args[b-1].Kind == KPeriod || r.args[b-1].Kind == KSemi || r.args[b-1].Kind == KColon || r.args[b-1].Kind == KAnd) {
				b--
			}
			toks := r.args[a:b]
			st, en := toks[0].Start, toks[len(toks)-1].End
			s.Unread = append(s.Unread, &Unread{Range: r.p.rng(st, en), Text: string(r.p.src.Text[st:en]), Tokens: toks})
		}
		i = j
	}
}

// Unsupported returns what an unread run asks for that the agent cannot
// do ("archive", "send an e-mail"), or "".
func (u *Unread) Unsupported() string {
	for i := range u.Tokens {
		if n := unsupportedKW.at(u.Tokens, i); n > 0 {
			for i+n < len(u.Tokens) && u.Tokens[i+n].Kind == KClitic {
				n++ // "prends rendez-vous"
			}
			a, b := u.Tokens[i].Start, u.Tokens[i+n-1].End
			return u.Text[a-u.Tokens[0].Start : b-u.Tokens[0].Start]
		}
		if !isGlue(u.Tokens[i]) && u.Why == "" {
			break
		}
	}
	return ""
}

// Topic returns the words of a run that name which conversations a step is
// for ("refund requests" in "Assign refund requests to @Billing Team"): a
// short run whose first or last word, glue aside, is a topic noun. It returns "" for any other run.
func (u *Unread) Topic() string {
	toks := u.Tokens
	for len(toks) > 0 && isGlue(toks[len(toks)-1]) {
		toks = toks[:len(toks)-1]
	}
	for len(toks) > 0 && isGlue(toks[0]) {
		toks = toks[1:]
	}
	// English puts the noun last ("refund requests"), French first
	// ("demandes de remboursement").
	if len(toks) == 0 || len(toks) > 5 || !topicNouns[toks[len(toks)-1].Fold] && !topicNouns[toks[0].Fold] {
		return ""
	}
	a, b := toks[0].Start, toks[len(toks)-1].End
	return u.Text[a-u.Tokens[0].Start : b-u.Tokens[0].Start]
}

// Asks reports whether a run of words holds a word that asks for
// something (not only glue such as "to the").
func (u *Unread) Asks() bool {
	for _, t := range u.Tokens {
		if !isGlue(t) {
			return true
		}
	}
	return false
}

// CheckReading verifies the total reading of a scenario: every token lies
// in exactly one of its Parts. It returns the first token that does not.
func (sc *Scenario) CheckReading() error {
	parts := sc.Parts()
	for _, t := range sc.Tokens {
		if t.End <= t.Start {
			continue // parser-made markers and separators
		}
		var in []string
		for _, p := range parts {
			if t.Start >= p.Start && t.End <= p.End {
				in = append(in, p.Kind)
			}
		}
		if len(in) != 1 {
			return fmt.Errorf("%q at offset %d of scenario %q is in %d parts %v, not exactly one", t.Text, t.Start, sc.Text, len(in), in)
		}
	}
	return nil
}

// asksUnsupported reports whether a sentence read as prose asks for
// something the agent cannot do after its condition ("If a customer wants a
// meeting, book a meeting with sales."): it is reported, not guidance.
func asksUnsupported(toks []Token) bool {
	for i := range toks {
		if (i == 0 || toks[i-1].Kind == KComma || toks[i-1].Kind == KSep || toks[i-1].Kind == KAnd || toks[i-1].Kind == KFiller) && unsupportedKW.at(toks, i) > 0 {
			return true
		}
	}
	return false
}

// lastSentence returns the last sentence of a guidance block, which is the
// question an "If so" or "If not" answers: "Greet them. Ask whether they
// have an account?" answers the second.
func lastSentence(s string) string {
	for i := len(s) - 2; i >= 0; i-- {
		if (s[i] == '.' || s[i] == '!' || s[i] == '?') && (s[i+1] == ' ' || s[i+1] == '\n') {
			if t := strings.TrimSpace(s[i+1:]); t != "" {
				return t
			}
		}
	}
	return s
}
