package runtime

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/stdlib"
)

// compiled is a scenario with what the offline matcher needs precomputed, so
// that a turn does no work per scenario beyond set lookups.
type compiled struct {
	s       *ir.Scenario
	intents []string
	// keywords are the stemmed content words of the condition, without the
	// words that describe the contact rather than the topic ("asks",
	// "mentions"). Used only when the condition names no intent: the text of
	// an intent condition ("has no more questions") is no topic to match.
	keywords []string
	// topic is the condition's own content words, stemmed, without the
	// generic ones: what the condition is about beyond its intents. It
	// breaks ties between scenarios that share an intent ("Billing
	// questions" and "a customer asks about an invoice").
	topic []string
	// answerTopic is topic without the words of the answer intents
	// (confirms, declines): what is confirmed or declined ("confirms their
	// reservation" → reservation). When it is not empty, a bare "ok" is no
	// evidence for the condition unless the message or the question before
	// it names one of these words.
	answerTopic []string
	// alts are the condition's alternatives ("an invoice or a payment"),
	// each with its keywords: the keywords above, grouped as the text
	// groups them. ownAlts are, for a condition with intents, its
	// alternatives without the words its intents account for ("wants to
	// book a tour" (schedule): tour): what it is about beyond them.
	alts, ownAlts [][]string
	// explains are the words a message matching this scenario is expected
	// to use: the condition's own and those of its intents' phrases. A
	// message mostly made of other words is matched less surely.
	explains map[string]bool
	// condNeg are the condition's words it mentions negated ("is not
	// working"): a message that negates them agrees.
	condNeg map[string]bool
	// namesAnswer is true when the condition names an answer (confirms,
	// declines): its own words then count only when the message states
	// all of an alternative, and not in a question.
	namesAnswer bool
	// needsAnswer is true when the condition names an answer and a topic
	// ("l'annulation est confirmée": cancel, confirms): the topic alone
	// ("je veux annuler") is not it, the answer must be there too.
	needsAnswer bool
	// typed lists the update_fields fields whose value comes from the
	// message and whose type an extractor recognises (email, phone, ...).
	typed []fieldSpec
	// fromMessage lists every update_fields field whose value comes from
	// the conversation: the only fields a model may fill for this scenario.
	fromMessage []fieldSpec
	// pickNote is true when the scenario closes without an instructed note
	// and without being told to skip the summary: the model may then pick a
	// note among the workspace's. wantsSummary is true when it closes with a
	// summary.
	pickNote, wantsSummary bool
}

// fieldSpec is a field with its type, resolved against the plan's workspace.
type fieldSpec struct {
	Name    string
	Type    string
	Options []string
}

// typedKinds are the field types whose extractors recognise a value in free
// text reliably enough to count as evidence that a scenario applies.
var typedKinds = map[string]bool{"email": true, "phone": true, "number": true, "date": true, "url": true}

func compileScenario(p *ir.Plan, s *ir.Scenario) compiled {
	lang := p.Language
	if lang != "fr" {
		lang = "en"
	}
	// The plan's intents and keywords are the compiler's reading of the
	// condition; only a plan that carries neither (written by hand) has
	// its condition's text read here. An "If so" answer has keywords and
	// deliberately no intent: a bare "yes" is no topic.
	c := compiled{s: s, intents: s.Condition.Intents}
	if len(c.intents) == 0 && len(s.Condition.Keywords) == 0 && s.Condition.Text != "" && !s.Condition.Always {
		c.intents = stdlib.ConditionIntents(lang, s.Condition.Text)
	}
	if (len(c.intents) == 0 || s.Condition.Answers != "") && !s.Condition.Always {
		// Without keywords from the compiler, take them from the text,
		// unless the condition is about state: the words of "the Budget
		// field is empty" describe the state, not what the contact says.
		// The plan's keywords are stems already: stemming them again
		// would change some ("dossi" from "dossier" is not a word).
		src := s.Condition.Keywords
		if len(src) == 0 && len(s.Condition.State) == 0 {
			src = stdlib.Keywords(lang, s.Condition.Text)
		}
		for _, k := range src {
			if !genericStem(lang, k) && !slices.Contains(c.keywords, k) {
				c.keywords = append(c.keywords, k)
			}
		}
	}
	if len(c.keywords) > 0 {
		c.alts = alternatives(lang, s.Condition.Text, c.keywords)
		var rest []string
		for _, k := range c.keywords {
			if !slices.ContainsFunc(c.alts, func(a []string) bool { return slices.Contains(a, k) }) {
				rest = append(rest, k)
			}
		}
		if len(rest) > 0 {
			c.alts = append(c.alts, rest)
		}
	}
	if len(c.intents) > 0 && s.Condition.Answers == "" && !s.Condition.Always {
		// Weak words alone ("Pricing or upgrade questions") are no topic
		// of their own next to an intent.
		c.namesAnswer = slices.ContainsFunc(c.intents, func(n string) bool { return answerIntents[n] })
		c.needsAnswer = c.namesAnswer && slices.ContainsFunc(c.intents, func(n string) bool {
			return !answerIntents[n] && !socialOnly[n] && n != "no_more_questions"
		})
		c.ownAlts = without(alternatives(lang, s.Condition.Text, s.Condition.Keywords), intentWords(lang, c.intents), weakStems[lang])
	}
	if !s.Condition.Always {
		for k, neg := range stdlib.MessageKeywords(lang, s.Condition.Text) {
			if neg {
				if c.condNeg == nil {
					c.condNeg = map[string]bool{}
				}
				c.condNeg[k] = true
			}
		}
		c.explains = intentWords(lang, c.intents)
		for _, name := range c.intents {
			if in, ok := stdlib.IntentByName(name); ok {
				for _, m := range in.Message[lang] {
					for _, k := range stdlib.Keywords(lang, m) {
						c.explains[k] = true
					}
				}
			}
		}
		for _, k := range s.Condition.Keywords {
			c.explains[k] = true
		}
		for _, k := range stdlib.Keywords(lang, s.Condition.Text) {
			c.explains[k] = true
		}
		for _, k := range stdlib.Keywords(lang, s.Condition.Question) {
			c.explains[k] = true
		}
		for _, k := range stdlib.Keywords(lang, s.Condition.Text) {
			if !genericStem(lang, k) && !slices.Contains(c.topic, k) {
				c.topic = append(c.topic, k)
			}
		}
		answerWords := answerStems(lang)
		for _, k := range c.topic {
			if !answerWords[k] {
				c.answerTopic = append(c.answerTopic, k)
			}
		}
	}
	for _, a := range s.Actions {
		switch a.Kind {
		case ir.KindClose:
			c.wantsSummary = a.WantsSummary()
			c.pickNote = a.ClosingNote == "" && a.WantsSummary() && p.Workspace != nil && len(p.Workspace.ClosingNotes) > 0
		case ir.KindUpdateFields:
			for _, f := range a.Fields {
				if f.Value != "" {
					continue
				}
				fs := resolveField(p.Workspace, f)
				c.fromMessage = append(c.fromMessage, fs)
				if typedKinds[fs.Type] {
					c.typed = append(c.typed, fs)
				}
			}
		}
	}
	return c
}

// resolveField finds a field's canonical name, type and options: the plan's
// workspace wins, then what the action itself carries, then text.
func resolveField(ws *ir.Workspace, f ir.FieldUpdate) fieldSpec {
	fs := fieldSpec{Name: f.Name, Type: f.Type}
	if wf, ok := ws.Field(f.Name); ok {
		fs.Name, fs.Options = wf.Name, wf.Options
		if wf.Type != "" {
			fs.Type = wf.Type
		}
	} else if f.ID != "" {
		if wf, ok := ws.Field(f.ID); ok {
			fs.Name, fs.Type, fs.Options = wf.Name, wf.Type, wf.Options
		}
	}
	if fs.Type == "" {
		fs.Type = "text"
	}
	return fs
}

// genericWords describe who speaks and how, not what about; a condition such
// as "the contact asks about pricing" must match on "pricing" alone.
var genericWords = map[string][]string{
	"en": {"contact", "customer", "client", "user", "ask", "asks", "asked", "asking", "mention", "mentions", "mentioned",
		"want", "wants", "wanted", "say", "says", "said", "talk", "talks", "write", "writes", "wrote", "about", "their",
		"they", "provide", "provides", "provided", "give", "gives", "gave", "need", "needs", "request", "requests",
		"requested", "message", "something", "inquire", "inquires", "enquire", "enquires", "reports", "reported", "tells",
		"like", "likes", "wish", "wishes", "looking"},
	"fr": {"contact", "client", "cliente", "utilisateur", "demande", "demandé", "demander", "parle", "veut", "voulait",
		"mentionne", "dit", "écrit", "fourni", "fournit", "donne", "donné", "besoin", "message", "quelque", "chose",
		"signale", "signalé", "signaler", "indique", "précise", "préciser", "combien", "souhaite", "souhaiter", "aimerait", "désire", "voudrait", "cherche"},
}

func genericStem(lang, stem string) bool {
	for _, w := range genericWords[lang] {
		if stdlib.Stem(lang, w) == stem || w == stem {
			return true
		}
	}
	return false
}

// answerIntents are the intents of a bare answer to a question: "ok",
// "yes", "no thanks" say nothing of what they answer.
var answerIntents = map[string]bool{"confirms": true, "declines": true}

// answerStems returns the stemmed words of the answer intents' condition
// phrases ("confirms", "says yes", "refuse"): they say how the contact
// answers, not what about.
func answerStems(lang string) map[string]bool {
	out := map[string]bool{}
	for name := range answerIntents {
		in, ok := stdlib.IntentByName(name)
		if !ok {
			continue
		}
		for _, p := range in.Condition[lang] {
			for _, k := range stdlib.Keywords(lang, p) {
				out[k] = true
			}
		}
	}
	return out
}

// beats reports whether c ranks above b: a higher score, or on an equal
// score more of its own topic words in the message, then a larger share of
// them. Remaining ties go to the earlier scenario (b, found first).
func (c candidate) beats(b candidate) bool {
	const eps = 1e-9
	switch {
	case c.social != b.social:
		// A greeting or a thank-you gives way to what the message asks.
		return b.social
	case c.unqualified && !b.unqualified && b.topicHits >= c.topicHits:
		// "you've charged me twice wtf": "charged twice" before "is
		// angry about their contract", unless the condition that
		// leaves its words out has more of them in the message.
		return false
	case b.unqualified && !c.unqualified && c.topicHits >= b.topicHits:
		return true
	case c.score > b.score+eps:
		return true
	case c.score < b.score-eps:
		return false
	case c.topicHits != b.topicHits:
		return c.topicHits > b.topicHits
	default:
		return c.topicShare > b.topicShare+eps
	}
}

// lastAsked returns the agent's message just before the contact's next
// one: the question a bare "ok" answers. Empty when the last message of h is
// the contact's.
func lastAsked(h []Message) string {
	if n := len(h); n > 0 && h[n-1].Role != RoleContact {
		return h[n-1].Text
	}
	return ""
}

// candidate is one scenario's offline score. topicHits and topicShare
// (the share of the condition's topic words found) break ties.
type candidate struct {
	idx        int
	score      float64
	topicHits  int
	topicShare float64
	why        string
	// top is the highest score any eligible scenario got from what the
	// message says (intents, keywords), below the threshold included; 0
	// when nothing in the message relates to any scenario.
	top float64
	// runnerUp is the next best scenario at or above the threshold (-1
	// when none) and its score; confidence is how sure the matcher is of
	// its choice (see confidence).
	runnerUp      int
	runnerScore   float64
	confidence    float64
	unconditional bool
	// social is true when the score comes only from small talk (a
	// greeting, thanks, goodbye).
	social bool
	// unqualified is true when the condition says more than its intents
	// ("is angry about their contract") and the message says none of it:
	// it gives way to a scenario that matches without leaving its words
	// out.
	unqualified bool
}

// SureConfidence is the confidence at or above which the offline matcher is
// sure of its choice (BENCHMARKS.md measures how often such a choice is
// wrong on labelled conversations).
const SureConfidence = 0.8

// unsureSocial is the highest confidence of a choice made on a greeting or
// thanks alone in a message that says more.
const unsureSocial = 0.6

// confidence maps a choice's score and its lead over the runner-up to 0..1:
// a strong match well ahead of the next scenario is sure (0.8 and more); a
// match near the threshold, or close to another scenario, is not; a
// scenario chosen only because nothing else applied never is.
func confidence(c candidate, minScore float64) float64 {
	if c.unconditional {
		return 0.3
	}
	strength := math.Min(1, math.Max(0, (c.score-minScore)/(0.95-minScore)))
	margin := c.score
	if c.runnerUp >= 0 {
		margin = c.score - c.runnerScore
	}
	lead := math.Min(1, math.Max(0, margin/0.25))
	return math.Round((0.35+0.6*strength*(0.4+0.6*lead))*100) / 100
}

// withoutLabels blanks the workspace's closing notes of two words or more
// out of a message, case and accents ignored: a contact who writes
// "Rendez-vous Pris" quotes a label, it is no request.
func (e *Engine) withoutLabels(text string) string {
	if len(e.labels) == 0 {
		return text
	}
	folded := stdlib.Fold(text)
	changed := false
	for _, l := range e.labels {
		for {
			k := strings.Index(folded, l)
			if k < 0 {
				break
			}
			folded = folded[:k] + strings.Repeat(" ", len(l)) + folded[k+len(l):]
			changed = true
		}
	}
	if !changed {
		return text
	}
	return folded
}

// matchOffline returns the index of the best scenario for the message and
// why, or -1 and why none matched well enough. Scores: an intent counts its
// stdlib score; keywords count, in the best of the condition's
// alternatives, 0.5 for the first and up to 1 for all, one word of three or
// more being too weak to match; a condition with intents also matches on
// its own words beyond them (a whole alternative, or two of its words); a
// typed value found for a field the scenario saves adds 0.2; holding state
// checks add 0.1. A scenario without a condition scores exactly the
// threshold, so that any real match beats it. Words the message mentions
// only after "not" ("cancel my order, not my membership") are no evidence,
// and a scenario whose own words the message mentions more often negated
// than not is out. A scenario chosen on a greeting or thanks alone gives way
// to any other. On equal scores the scenario with more of its own topic
// words in the message wins, then the one with the larger share of them,
// then the earlier one. An answer intent (confirms, declines) counts only
// when the condition says nothing of what is answered, or when the message
// or asked, the agent's message just before it, names it. Misspelt words
// one edit from a word of the plan are read as that word first.
func (e *Engine) matchOffline(text, asked, lang string, contact Contact, now time.Time) candidate {
	planLang := e.lang
	orig := text
	text = e.withoutLabels(text)
	if lang == planLang {
		// The plan's words are in its language: "arrivée" is no
		// misspelt "arrived".
		text = e.vocab.correct(text)
	}
	msgIntents := stdlib.MessageIntents(lang, text)
	if lang != planLang {
		// Merge into a fresh map: the stdlib's result is not ours to change.
		merged := maps.Clone(msgIntents)
		if merged == nil {
			merged = map[string]float64{}
		}
		for k, v := range stdlib.MessageIntents(planLang, text) {
			merged[k] = max(merged[k], v)
		}
		msgIntents = merged
	}
	// msgKeywords are the message's words said plainly; negated the ones
	// it mentions only after a negation.
	msgKeywords := map[string]bool{}
	negated := map[string]bool{}
	for k, neg := range stdlib.MessageKeywords(planLang, text) {
		if neg {
			negated[k] = true
		} else {
			msgKeywords[k] = true
		}
	}
	var askedKeywords map[string]bool
	question := strings.Contains(orig, "?")
	praise := praises(lang, text)
	best := candidate{idx: -1, runnerUp: -1}
	second := candidate{idx: -1}
	fallback := -1
	for i := range e.scenarios {
		c := &e.scenarios[i]
		ok, stateWhy := e.stateHolds(c.s.Condition.State, contact, now)
		if !ok {
			continue
		}
		if c.s.Condition.Fallback {
			// A fallback is chosen only when no other scenario matches.
			if fallback < 0 {
				fallback = i
			}
			continue
		}
		if c.s.Condition.Answers != "" && !e.answerApplies(c, asked, orig, msgKeywords, now) {
			// "… ? If so, …": an answer to a question the agent did not
			// just ask is no answer.
			continue
		}
		// words are the message's words as evidence for this scenario: a
		// word the condition negates too ("says mobile data is not
		// working") agrees with the message that negates it ("isnt
		// working").
		words := msgKeywords
		for k := range c.condNeg {
			if negated[k] {
				if len(words) == len(msgKeywords) {
					words = maps.Clone(msgKeywords)
				}
				words[k] = true
			}
		}
		if len(negated) > 0 {
			plain, neg := 0, 0
			for _, k := range c.topic {
				if negated[k] && !c.condNeg[k] {
					neg++
				} else if words[k] {
					plain++
				}
			}
			if neg > 0 && neg >= plain {
				// "I need to cancel my order, not my membership".
				continue
			}
		}
		var score float64
		var why []string
		social := false
		answered := true
		if len(c.answerTopic) > 0 {
			if askedKeywords == nil {
				askedKeywords = map[string]bool{}
				for _, k := range stdlib.Keywords(planLang, asked) {
					askedKeywords[k] = true
				}
			}
			answered = slices.ContainsFunc(c.answerTopic, func(k string) bool { return words[k] || askedKeywords[k] })
		}
		answer := false
		if c.needsAnswer && answered {
			for _, name := range c.intents {
				answer = answer || answerIntents[name] && msgIntents[name] > 0
			}
		}
		for _, name := range c.intents {
			if answerIntents[name] && !answered {
				continue
			}
			if c.needsAnswer && !answer && !answerIntents[name] && !socialOnly[name] && name != "no_more_questions" {
				// "je veux annuler" is no confirmed cancellation.
				continue
			}
			if v := msgIntents[name]; v > score {
				score = v
				why = []string{fmt.Sprintf("intent %s (%.2f)", name, v)}
				social = socialOnly[name]
			}
		}
		// A weak keyword match relates the message to the scenario (top)
		// but neither matches nor takes bonuses.
		if len(c.alts) > 0 {
			kw, hit, n := keywordScore(c.alts, words, weakStems[planLang], false, 0)
			if praise && n > len(hit) {
				// "le voyage en Islande était génial !" praises the
				// trip, it asks for no group trip.
				kw = min(kw, weakKeywordScore)
			}
			best.top = max(best.top, kw)
			if kw > score && kw > weakKeywordScore {
				score, social = kw, false
				why = []string{fmt.Sprintf("keywords %s (%d of %d)", strings.Join(hit, ", "), len(hit), n)}
			} else if kw == weakKeywordScore && score == 0 && !praise && len(c.typed) > 0 && e.allTyped(c, orig, now) {
				// One word of "wants to change their departure date"
				// and a date: "décaler mon départ au 12/04/2025".
				score = e.opts.MinScore
				why = []string{fmt.Sprintf("keyword %s and a %s value", strings.Join(hit, ", "), c.typed[0].Type)}
			}
		}
		if len(c.ownAlts) > 0 && !(c.namesAnswer && question) {
			extra := 0
			for _, k := range c.topic {
				if words[k] && !slices.ContainsFunc(c.ownAlts, func(a []string) bool { return slices.Contains(a, k) }) {
					extra++
				}
			}
			kw, hit, n := keywordScore(c.ownAlts, words, weakStems[planLang], true, extra)
			if c.namesAnswer && (n != len(hit) || len(hit)+extra < 2) {
				// "they confirm they have invited their team": the
				// message says all of it, in two words at least
				// ("done, I have invited my team"), or it is no yes
				// ("fix my router" confirms no fix).
				kw = min(kw, weakKeywordScore)
			}
			best.top = max(best.top, kw)
			if kw > score && kw > weakKeywordScore {
				score, social = kw, false
				why = []string{fmt.Sprintf("the condition's own words %s (%d of %d)", strings.Join(hit, ", "), len(hit), n)}
			}
		}
		if score == 0 && answered && len(c.answerTopic) > 0 && len(c.typed) > 0 && slices.Contains(c.intents, "confirms") &&
			e.allTyped(c, orig, now) {
			// "our workspace is https://…" answers "Does the contact
			// have a workspace URL? If so, save it": the value is the yes.
			score = e.opts.MinScore
			why = []string{"the message gives the " + c.typed[0].Type + " the condition asks about"}
		}
		topical := score > 0
		best.top = max(best.top, score)
		if len(c.typed) > 0 && topical {
			if e.allTyped(c, orig, now) {
				score += 0.2
				why = append(why, "a "+c.typed[0].Type+" value for "+c.typed[0].Name)
			}
		}
		hasState := len(c.s.Condition.State) > 0
		switch {
		case hasState && (topical || len(c.intents)+len(c.keywords) == 0):
			// A state-only condition ("if the Budget field is empty")
			// applies whenever its state holds.
			if !topical {
				score = e.opts.MinScore
			}
			score += 0.1
			why = append(why, stateWhy)
		case !topical && c.s.Condition.Always:
			score = e.opts.MinScore
			why = []string{"the scenario has no condition"}
		}
		if score < e.opts.MinScore {
			continue
		}
		unqualified := len(c.ownAlts) > 0 && !slices.ContainsFunc(c.ownAlts, func(a []string) bool {
			// A word the condition negates too ("a charge they do not
			// recognise") is there when the message negates it.
			return slices.ContainsFunc(a, func(k string) bool { return words[k] || negated[k] })
		})
		cand := candidate{idx: i, score: score, top: best.top, social: social, unqualified: unqualified,
			unconditional: c.s.Condition.Always && score <= e.opts.MinScore}
		for _, k := range c.topic {
			if words[k] {
				cand.topicHits++
			}
		}
		if cand.topicHits > 0 {
			cand.topicShare = float64(cand.topicHits) / float64(len(c.topic))
			if len(c.intents) > 0 {
				why = append(why, fmt.Sprintf("%d of %d topic words", cand.topicHits, len(c.topic)))
			}
		}
		cand.why = strings.Join(why, "; ")
		if best.idx < 0 || cand.beats(best) {
			second, best = best, cand
		} else if second.idx < 0 || cand.score > second.score {
			second = cand
		}
	}
	if best.idx < 0 && fallback >= 0 && !chitChat(lang, text, msgIntents) {
		return candidate{idx: fallback, score: e.opts.MinScore, why: "no other scenario matched: the fallback scenario"}
	}
	if best.idx < 0 {
		best.why = "no scenario matched the message well enough"
		return best
	}
	best.runnerUp, best.runnerScore = second.idx, second.score
	best.confidence = confidence(best, e.opts.MinScore)
	if c := &e.scenarios[best.idx]; c.explains != nil && lang == planLang && len(msgKeywords) >= 3 {
		explained := 0
		for k := range msgKeywords {
			if c.explains[k] {
				explained++
			}
		}
		if 3*explained <= len(msgKeywords) {
			// "speeds are terrible, I pay for 500 and get 20": one word
			// of anger among words about something else.
			best.confidence = min(best.confidence, unsureSocial)
		}
	}
	if best.social && len(msgKeywords)+len(negated) > 2 {
		// "Bonjour, nous sommes une entreprise et …": the greeting is
		// right, what follows it may well be what the message is about.
		best.confidence = min(best.confidence, unsureSocial)
	}
	best.why = fmt.Sprintf("%s (score %.2f)", best.why, best.score)
	return best
}

// allTyped reports whether text holds a value of every typed field c saves.
func (e *Engine) allTyped(c *compiled, text string, now time.Time) bool {
	for _, f := range c.typed {
		if _, ok := stdlib.ExtractWith(f.Type, f.Options, text, now, e.locale); !ok {
			return false
		}
	}
	return true
}

// stateHolds evaluates state checks against the contact; all must hold. A
// check of a kind this runtime does not know never holds, so that an
// unknown condition cannot let actions run.
func (e *Engine) stateHolds(checks []ir.StateCheck, c Contact, now time.Time) (bool, string) {
	var why []string
	for _, sc := range checks {
		var holds bool
		var desc string
		name := e.plan.Workspace.FieldName(sc.Field)
		switch sc.Kind {
		case ir.StateFieldEmpty:
			holds, desc = strings.TrimSpace(c.Fields[name]) == "", name+" is empty"
		case ir.StateFieldSet:
			holds, desc = strings.TrimSpace(c.Fields[name]) != "", name+" is set"
		case ir.StateFieldEquals:
			holds, desc = strings.EqualFold(strings.TrimSpace(c.Fields[name]), strings.TrimSpace(sc.Value)), name+" is "+sc.Value
		case ir.StateLifecycleIs:
			holds, desc = c.Lifecycle == sc.Value, "lifecycle is "+sc.Value
		case ir.StateBusinessHours:
			holds, desc = e.opts.BusinessHours(now), "within business hours"
		default:
			return false, ""
		}
		if sc.Negate {
			holds, desc = !holds, "not ("+desc+")"
		}
		if !holds {
			return false, ""
		}
		why = append(why, desc)
	}
	return true, "state: " + strings.Join(why, ", ")
}

// answerApplies says whether a scenario that answers a question ("Does the
// contact have a workspace URL? If so, …") can apply to this message: right
// after the agent asked that question (its last message shares a content
// word with it), or, for a yes, when the contact volunteers what the
// question asks for (a word of the question and a value of every typed
// field the scenario saves: "our workspace is https://acme.tasklane.io").
func (e *Engine) answerApplies(c *compiled, asked, text string, msgKeywords map[string]bool, now time.Time) bool {
	q := stdlib.Keywords(e.lang, c.s.Condition.Question)
	if asked != "" {
		for _, k := range stdlib.Keywords(e.lang, asked) {
			if slices.Contains(q, k) {
				return true
			}
		}
	}
	if c.s.Condition.Answers != "yes" || len(c.typed) == 0 || !slices.ContainsFunc(q, func(k string) bool { return msgKeywords[k] }) {
		return false
	}
	for _, f := range c.typed {
		if _, ok := stdlib.ExtractWith(f.Type, f.Options, text, now, e.locale); !ok {
			return false
		}
	}
	return true
}
