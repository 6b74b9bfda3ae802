package stdlib

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Intent is a built-in condition the offline matcher understands.
type Intent struct {
	Name        string // stable id, e.g. "no_more_questions"
	Description string
	// Condition phrases: how authors name the intent in a condition
	// ("the contact has no more questions"), per language.
	Condition map[string][]string
	// Message phrases: what contacts write when the intent applies
	// ("that's all, thanks"), per language.
	Message map[string][]string
}

// Languages are the languages the standard library knows, in order.
var Languages = []string{"en", "fr"}

// intentInfo is the language-independent part of an intent.
type intentInfo struct {
	name, description string
	// negatable: a negation just before a phrase ("I don't want a refund",
	// "not angry") means the intent does not apply.
	negatable bool
}

// intentInfos lists the intents in documentation order.
var intentInfos = []intentInfo{
	{"greeting", "The contact says hello.", false},
	{"thanks", "The contact thanks the agent.", false},
	{"goodbye", "The contact says goodbye.", false},
	{"no_more_questions", "The contact has nothing more to ask; the conversation can be closed.", false},
	{"confirms", "The contact says yes or agrees.", true},
	{"declines", "The contact says no or refuses.", false},
	{"asks_for_human", "The contact wants to talk to a person rather than the agent.", true},
	{"pricing", "The contact asks about prices, plans, costs or a quote.", true},
	{"demo", "The contact wants a demo or a product tour.", true},
	{"purchase", "The contact wants to buy or place an order.", true},
	{"upgrade", "The contact wants to change, upgrade or downgrade their plan.", true},
	{"schedule", "The contact wants to book, move or ask about an appointment.", true},
	{"opening_hours", "The contact asks when the business is open.", false},
	{"order_status", "The contact asks where their order is or how it is tracked.", false},
	{"shipping", "The contact asks about shipping or delivery: options, costs, times, destinations.", false},
	{"return", "The contact wants to return or exchange an item.", true},
	{"refund", "The contact wants their money back.", true},
	{"cancel", "The contact wants to cancel an order, a subscription or an account.", true},
	{"billing", "The contact asks about an invoice, a charge or a payment.", false},
	{"account_access", "The contact cannot log in, forgot their password or is locked out.", false},
	{"technical_issue", "Something does not work: a bug, an error, an outage.", false},
	{"angry", "The contact is angry, frustrated or makes a complaint.", true},
	{"provides_email", "The contact gives an email address.", false},
	{"provides_phone", "The contact gives a phone number.", false},
	{"provides_budget", "The contact gives a budget or an amount they want to spend.", false},
	{"unsubscribe", "The contact wants no more messages (STOP, opt out).", true},
	{"wrong_number", "The contact was reached by mistake or does not know the business.", false},
	{"spam", "The message is spam or unsolicited advertising.", false},
}

// phraseSet is the phrases of one intent in one language. A message phrase
// that starts with "=" matches only word for word, never by stem (for words
// whose stem is shared with unrelated ones: "=stop" must not match
// "stopped working").
type phraseSet struct {
	cond, msg []string
}

var phraseData = map[string]map[string]phraseSet{"en": phrasesEN, "fr": phrasesFR}

var intents = buildIntents()

func buildIntents() []Intent {
	out := make([]Intent, 0, len(intentInfos))
	for _, info := range intentInfos {
		in := Intent{Name: info.name, Description: info.description,
			Condition: map[string][]string{}, Message: map[string][]string{}}
		for _, lang := range Languages {
			ps := phraseData[lang][info.name]
			in.Condition[lang] = ps.cond
			msg := make([]string, len(ps.msg))
			for i, p := range ps.msg {
				msg[i] = strings.TrimPrefix(p, "=")
			}
			in.Message[lang] = msg
		}
		out = append(out, in)
	}
	return out
}

// Intents returns the built-in intents. The result is a copy: changing it
// does not change what the matcher recognises.
func Intents() []Intent {
	out := make([]Intent, len(intents))
	for i, in := range intents {
		c := in
		c.Condition = map[string][]string{}
		c.Message = map[string][]string{}
		for lang, ps := range in.Condition {
			c.Condition[lang] = slices.Clone(ps)
		}
		for lang, ps := range in.Message {
			c.Message[lang] = slices.Clone(ps)
		}
		out[i] = c
	}
	return out
}

// IntentByName returns the built-in intent with the given name.
func IntentByName(name string) (Intent, bool) {
	for _, in := range Intents() {
		if in.Name == name {
			return in, true
		}
	}
	return Intent{}, false
}

// ---- compiled phrase tables ----

type cphrase struct {
	intent  int
	exact   bool     // match word for word only
	toks    []string // folded words
	stems   []string // stem of every word
	content []string // stems of the content words
}

type ptable struct {
	phrases        []cphrase
	byFirstTok     map[string][]int32
	byFirstStem    map[string][]int32
	byFirstContent map[string][]int32 // phrases with 2+ content words
	byContent      map[string][]int32 // phrases with 2+ content words, each stem once
}

type langTables struct {
	cond, msg *ptable
}

var (
	tablesOnce sync.Once
	tables     map[string]langTables
)

func getTables(lang string) langTables {
	tablesOnce.Do(func() {
		tables = map[string]langTables{}
		for _, lang := range Languages {
			cond := &ptable{}
			msg := &ptable{}
			for i, info := range intentInfos {
				ps := phraseData[lang][info.name]
				for _, p := range ps.cond {
					cond.add(lang, i, p)
				}
				for _, p := range ps.msg {
					msg.add(lang, i, p)
				}
			}
			cond.index()
			msg.index()
			tables[lang] = langTables{cond: cond, msg: msg}
		}
	})
	if lang != "fr" {
		lang = "en"
	}
	return tables[lang]
}

func (t *ptable) add(lang string, intent int, p string) {
	exact := strings.HasPrefix(p, "=")
	p = strings.TrimPrefix(p, "=")
	toks := words(p)
	if len(toks) == 0 {
		return
	}
	cp := cphrase{intent: intent, exact: exact, toks: toks}
	stops := stopWords(lang)
	for _, w := range toks {
		s := stemFolded(lang, w)
		cp.stems = append(cp.stems, s)
		if isContent(w, stops) {
			cp.content = append(cp.content, s)
		}
	}
	t.phrases = append(t.phrases, cp)
}

func (t *ptable) index() {
	t.byFirstTok = map[string][]int32{}
	t.byFirstStem = map[string][]int32{}
	t.byFirstContent = map[string][]int32{}
	t.byContent = map[string][]int32{}
	for i, p := range t.phrases {
		id := int32(i)
		t.byFirstTok[p.toks[0]] = append(t.byFirstTok[p.toks[0]], id)
		if p.exact {
			continue
		}
		t.byFirstStem[p.stems[0]] = append(t.byFirstStem[p.stems[0]], id)
		if len(p.content) >= 2 {
			t.byFirstContent[p.content[0]] = append(t.byFirstContent[p.content[0]], id)
			seen := map[string]bool{}
			for _, s := range p.content {
				if !seen[s] {
					seen[s] = true
					t.byContent[s] = append(t.byContent[s], id)
				}
			}
		}
	}
}

// ---- analysed text ----

type analysis struct {
	lang         string
	toks         []string
	stems        []string
	contentIdx   []int    // index in toks of each content word
	contentStems []string // stem of each content word
}

func analyse(lang string, toks []token) *analysis {
	a := &analysis{lang: lang, toks: make([]string, len(toks)), stems: make([]string, len(toks))}
	stops := stopWords(lang)
	for i, t := range toks {
		a.toks[i] = t.Text
		a.stems[i] = stemFolded(lang, t.Text)
		if isContent(t.Text, stops) {
			a.contentIdx = append(a.contentIdx, i)
			a.contentStems = append(a.contentStems, a.stems[i])
		}
	}
	return a
}

// match is one phrase found in a text.
type match struct {
	intent     int
	start, end int // word range in the text
	score      float64
}

func equalAt(text []string, at int, seq []string) bool {
	if at+len(seq) > len(text) {
		return false
	}
	for i, w := range seq {
		if text[at+i] != w {
			return false
		}
	}
	return true
}

// negated reports whether the words before position start negate what
// follows: a negation right before it ("not angry", "pas de remboursement")
// or a negated wish a little before ("I don't want a refund", "je n'ai pas
// besoin d'un humain").
func (a *analysis) negated(start, near, far int) bool {
	neg := negatorsEN
	if a.lang == "fr" {
		neg = negatorsFR
	}
	negNear, negFar, desire := false, false, false
	for i := max(0, start-far); i < start; i++ {
		w := a.toks[i]
		if neg[w] {
			negFar = true
			if i >= start-near {
				negNear = true
			}
		}
		if desires[w] {
			desire = true
		}
	}
	return negNear || (negFar && desire)
}

// Scores of the ways a phrase can be found, before the bonus for how much of
// the text the phrase covers.
const (
	scoreExact   = 0.9  // the phrase word for word
	scoreStemmed = 0.85 // the phrase with other word endings
	scoreContent = 0.7  // the phrase's content words in a row, other small words between
	scoreOverlap = 0.6  // at least half the phrase's content words, anywhere
)

// find returns the phrases of t found in a. With overlap, phrases whose
// content words are only partly present count too.
func (t *ptable) find(a *analysis, overlap bool, fn func(m match)) {
	n := len(a.toks)
	if n == 0 {
		return
	}
	cover := func(k, of int) float64 {
		if of == 0 {
			return 0
		}
		return math.Min(1, float64(k)/float64(of))
	}
	for i := 0; i < n; i++ {
		for _, id := range t.byFirstTok[a.toks[i]] {
			p := &t.phrases[id]
			if equalAt(a.toks, i, p.toks) {
				fn(match{p.intent, i, i + len(p.toks), scoreExact + 0.1*cover(len(p.toks), n)})
			}
		}
		for _, id := range t.byFirstStem[a.stems[i]] {
			p := &t.phrases[id]
			if equalAt(a.stems, i, p.stems) {
				fn(match{p.intent, i, i + len(p.toks), scoreStemmed + 0.1*cover(len(p.toks), n)})
			}
		}
	}
	nc := len(a.contentStems)
	for ci := 0; ci < nc; ci++ {
		for _, id := range t.byFirstContent[a.contentStems[ci]] {
			p := &t.phrases[id]
			if equalAt(a.contentStems, ci, p.content) {
				end := a.contentIdx[ci+len(p.content)-1] + 1
				fn(match{p.intent, a.contentIdx[ci], end, scoreContent + 0.15*cover(len(p.content), nc)})
			}
		}
	}
	if !overlap || nc == 0 {
		return
	}
	hits := map[int32]int{}
	first := map[int32]int{}
	seen := make(map[string]bool, nc)
	for ci, s := range a.contentStems {
		if seen[s] {
			continue
		}
		seen[s] = true
		for _, id := range t.byContent[s] {
			if hits[id] == 0 {
				first[id] = a.contentIdx[ci]
			}
			hits[id]++
		}
	}
	for id, h := range hits {
		p := &t.phrases[id]
		frac := float64(h) / float64(len(p.content))
		if h >= 2 && frac >= 0.5 {
			fn(match{p.intent, first[id], first[id] + 1, scoreOverlap * frac})
		}
	}
}

// ConditionIntents returns the names of the intents a condition text names,
// in the order they appear in the text: for "the customer mentions pricing or
// a demo", [pricing demo]. lang is "en" or "fr"; other values mean "en". A
// phrase negated just before ("is not angry") does not count, and a phrase
// inside a longer phrase of another intent ("cancel their order" is cancel,
// not order_status) gives way to it.
func ConditionIntents(lang, text string) []string {
	if lang != "fr" {
		lang = "en"
	}
	text = clip(text, maxMatchBytes)
	a := analyse(lang, tokenize(Fold(text)))
	tb := getTables(lang)
	var ms []match
	add := func(m match) {
		if !a.negated(m.start, 3, 3) && !numberOfSomethingElse(lang, a.toks, m) {
			ms = append(ms, m)
		}
	}
	tb.cond.find(a, false, add)
	// Message phrases of three words or more, quoted or not, name the intent
	// too: "if the contact says where is my order". Shorter ones are left out:
	// "business hours" in "within business hours" is a state, not a question.
	n := len(a.toks)
	for i := 0; i < n; i++ {
		for _, id := range tb.msg.byFirstTok[a.toks[i]] {
			p := &tb.msg.phrases[id]
			if len(p.toks) >= 3 && equalAt(a.toks, i, p.toks) {
				add(match{p.intent, i, i + len(p.toks), scoreExact})
			}
		}
	}
	first := map[int]int{}
	for _, m := range ms {
		if a.faultOfOther(m, ms) {
			continue
		}
		inside := false
		for _, o := range ms {
			if o.intent != m.intent && o.start <= m.start && o.end >= m.end && o.end-o.start > m.end-m.start {
				inside = true
				break
			}
		}
		if inside {
			continue
		}
		if p, ok := first[m.intent]; !ok || m.start < p {
			first[m.intent] = m.start
		}
	}
	names := make([]int, 0, len(first))
	for in := range first {
		names = append(names, in)
	}
	sort.Slice(names, func(i, j int) bool {
		pi, pj := first[names[i]], first[names[j]]
		if pi != pj {
			return pi < pj
		}
		return names[i] < names[j]
	})
	var out []string
	for _, in := range names {
		out = append(out, intentInfos[in].name)
	}
	return out
}

// numberOfSomethingElse reports a phone phrase that ends on "numéro" when
// the words after it name another number: "donne son numéro de sinistre"
// gives a claim number, not a phone number ("son numéro de portable" is
// still one).
func numberOfSomethingElse(lang string, toks []string, m match) bool {
	if lang != "fr" || intentInfos[m.intent].name != "provides_phone" || m.end < 1 || m.end+1 >= len(toks) {
		return false
	}
	if toks[m.end-1] != "numero" {
		return false
	}
	switch toks[m.end] {
	case "de", "d", "d'", "du":
	default:
		return false
	}
	switch toks[m.end+1] {
	case "telephone", "portable", "mobile", "tel", "fixe", "contact", "joignabilite":
		return false
	}
	return true
}

// MessageIntents scores an inbound message against every intent: intent
// name → score in [0,1]. Only intents with a positive score are returned.
//
// A phrase found word for word scores 0.9 to 1, more the more of the message
// it covers; with other word endings ("cancelling my subscriptions") 0.85 to
// 0.95; its content words in a row with other small words between 0.7 to
// 0.85; half or more (two at least) of its content words anywhere up to 0.6. A negated
// wish ("I don't want a refund", "je ne veux pas annuler") cancels the
// phrase. provides_email and provides_phone score 0.95 when the message
// holds a valid address or number; provides_budget when it holds an amount
// with a currency or next to the word budget.
//
// lang is the plan's language; when the message reads as the other language
// its phrases are tried too, so a French message matches in an English plan.
// Messages longer than 16 KiB are matched on their first 16 KiB.
func MessageIntents(lang, text string) map[string]float64 {
	if lang != "fr" {
		lang = "en"
	}
	text = clip(text, maxMatchBytes)
	folded := Fold(text)
	toks := tokenize(folded)
	scores := make([]float64, len(intentInfos))
	scoreMessage(lang, toks, scores)
	if len(toks) > 0 {
		if other := detectTokens(toks); other != lang {
			scoreMessage(other, toks, scores)
		}
	}
	scoreValues(lang, text, folded, toks, scores)
	out := map[string]float64{}
	for i, s := range scores {
		if s > 0 {
			out[intentInfos[i].name] = math.Round(math.Min(1, s)*1000) / 1000
		}
	}
	return out
}

func scoreMessage(lang string, toks []token, scores []float64) {
	a := analyse(lang, toks)
	var ms []match
	getTables(lang).msg.find(a, true, func(m match) {
		if intentInfos[m.intent].negatable && a.negated(m.start, 2, 4) {
			return
		}
		ms = append(ms, m)
	})
	for _, m := range ms {
		if m.score > scores[m.intent] && !a.faultOfOther(m, ms) {
			scores[m.intent] = m.score
		}
	}
}

// faultWords name something gone wrong without saying what: "an error" is
// a technical issue only when nothing says the error is about something
// else.
var faultWords = map[string]map[string]bool{
	"en": set("error", "errors", "mistake", "mistakes", "problem", "problems", "issue", "issues", "fault"),
	"fr": set("erreur", "erreurs", "probleme", "problemes", "souci", "soucis"),
}

// mistakenly are the words that make a fault word say how something was
// done ("charged in error", "by mistake", "prélevé par erreur").
var mistakenly = map[string]map[string]bool{"en": set("in", "by"), "fr": set("par")}

// complementLinks join a noun to what it is about ("an error on the
// invoice", "une erreur de prélèvement").
var complementLinks = map[string]map[string]bool{
	"en": set("of", "on", "in", "with", "for", "about", "regarding"),
	"fr": set("de", "du", "des", "sur", "dans", "avec", "concernant"),
}

// faultOfOther reports whether m is found only through fault words used in
// another sense than a technical fault: as an adverb ("a deposit charged
// by mistake", "fait par erreur"), or about what another intent of ms names
// ("a billing error", "an error on the invoice", "une erreur de
// prélèvement"). The other intent then says what the text is about.
func (a *analysis) faultOfOther(m match, ms []match) bool {
	if !a.faultOnly(m) {
		return false
	}
	faults, stops := faultWords[a.lang], stopWords(a.lang)
	first := m.start
	for first < m.end && !faults[a.toks[first]] {
		first++
	}
	if first == m.start && first > 0 && mistakenly[a.lang][a.toks[first-1]] {
		return true
	}
	for _, o := range ms {
		if o.intent == m.intent || a.faultOnly(o) {
			continue
		}
		if o.end == m.start {
			return true // "billing error", "payment problem"
		}
		if o.start >= m.end && o.start-m.end <= 3 && m.end < len(a.toks) && complementLinks[a.lang][a.toks[m.end]] {
			small := true
			for i := m.end; i < o.start; i++ {
				small = small && !isContent(a.toks[i], stops)
			}
			if small {
				return true
			}
		}
	}
	return false
}

// faultOnly reports whether m holds a fault word and no other content word.
func (a *analysis) faultOnly(m match) bool {
	faults, stops := faultWords[a.lang], stopWords(a.lang)
	found := false
	for i := m.start; i < m.end && i < len(a.toks); i++ {
		switch w := a.toks[i]; {
		case faults[w]:
			found = true
		case isContent(w, stops):
			return false
		}
	}
	return found
}

var (
	idxEmail  = intentIndex("provides_email")
	idxPhone  = intentIndex("provides_phone")
	idxBudget = intentIndex("provides_budget")
)

func intentIndex(name string) int {
	for i, in := range intentInfos {
		if in.name == name {
			return i
		}
	}
	return -1
}

// scoreValues scores the provides_* intents from the values in the message:
// saying "my email is" without an address is only half of providing it.
func scoreValues(lang, text, folded string, toks []token, scores []float64) {
	for _, i := range []int{idxEmail, idxPhone, idxBudget} {
		scores[i] = math.Min(scores[i], 0.5)
	}
	if _, _, _, ok := findEmail(text); ok {
		scores[idxEmail] = 0.95
	}
	digits := 0
	for i := 0; i < len(text); i++ {
		if text[i] >= '0' && text[i] <= '9' {
			digits++
		}
	}
	if digits == 0 {
		return
	}
	if digits >= 7 {
		if _, _, _, ok := findPhone(text, DefaultRegion(lang)); ok {
			scores[idxPhone] = 0.95
		}
	}
	if n, ok := findNumber(folded); ok {
		switch {
		case scores[idxBudget] > 0:
			scores[idxBudget] = 0.95
		case n.currency:
			scores[idxBudget] = 0.7
		}
	}
}
