package runtime

import (
	"regexp"
	"slices"
	"strings"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/lang"
	"github.com/instrc/instrc/stdlib"
)

// alternativeSplit cuts a condition into the alternatives it lists: "asks
// about a charge on their bill, an invoice or a payment" is three ways for
// the condition to hold, each with its own words. "and" does not cut: both
// sides must hold.
var alternativeSplit = regexp.MustCompile(`(?i)\s*[,;/]\s*|\s+(?:or|ou|either|soit)\s+`)

// alternatives returns the stemmed content words of each alternative of a
// condition's text, without the generic words ("asks", "contact") and, when
// the plan carries keywords (the compiler's reading of the condition), only
// those: the text says how the words group, the plan which words count.
func alternatives(lng, text string, planKeywords []string) [][]string {
	var allowed map[string]bool
	if len(planKeywords) > 0 {
		allowed = map[string]bool{}
		for _, k := range planKeywords {
			allowed[k] = true
		}
	}
	var out [][]string
	for _, part := range alternativeSplit.Split(text, -1) {
		var words []string
		for _, k := range stdlib.Keywords(lng, part) {
			if genericStem(lng, k) || (allowed != nil && !allowed[k]) || slices.Contains(words, k) {
				continue
			}
			words = append(words, k)
		}
		if len(words) > 0 {
			out = append(out, words)
		}
	}
	return out
}

// intentWords returns the stemmed words of the condition phrases of the
// given intents: the words an intent accounts for in a condition ("cancel",
// "subscription" for cancel; "questions" for no_more_questions), which say
// nothing beyond it.
func intentWords(lng string, intents []string) map[string]bool {
	out := map[string]bool{}
	for _, name := range intents {
		in, ok := stdlib.IntentByName(name)
		if !ok {
			continue
		}
		for _, p := range in.Condition[lng] {
			for _, k := range stdlib.Keywords(lng, p) {
				out[k] = true
			}
		}
	}
	return out
}

// without returns the alternatives with the words in drop removed, and the
// alternatives left empty, or with only weak words, dropped.
func without(alts [][]string, drop, weak map[string]bool) [][]string {
	var out [][]string
	for _, a := range alts {
		var kept []string
		for _, k := range a {
			if !drop[k] {
				kept = append(kept, k)
			}
		}
		if slices.ContainsFunc(kept, func(k string) bool { return !weak[k] }) {
			out = append(out, kept)
		}
	}
	return out
}

// Keyword scores. One word of an alternative of three or more is a weak
// word: "haha your bot is clever" says "bot" and nothing of "stop talking
// to the bot". It counts as something related (for ModelSureNone) but
// does not reach the threshold.
const weakKeywordScore = 0.4

// keywordScore scores a message's plain (not negated) words against
// alternatives: the best alternative counts, 0.5 for one word of it up to 1
// for all, a single word of three or more being weak, and so are words
// that are only weak ones (weak: the bot, the chat, a problem). strict asks
// for two of the condition's words (a scenario with intents matched on its
// own words alone: "book a tour" for "wants to book a tour", not "the
// trip was great" for "wants to cancel their trip"). It returns the score, the words hit and the
// size of the alternative they belong to. extra counts, for strict, the
// condition's other words in the message (those its intents account for:
// "book" in "wants to book a tour of the office").
func keywordScore(alts [][]string, plain, weak map[string]bool, strict bool, extra int) (float64, []string, int) {
	var best float64
	var bestHit []string
	bestN := 0
	for _, a := range alts {
		var hit []string
		for _, k := range a {
			if plain[k] {
				hit = append(hit, k)
			}
		}
		if len(hit) == 0 {
			continue
		}
		share := float64(len(hit)) / float64(len(a))
		s := 0.5 + 0.5*share
		switch {
		case strict && len(hit)+extra < 2:
			s = weakKeywordScore
		case strong(hit, weak) == 1 && strong(a, weak) >= 3:
			s = weakKeywordScore
		case len(hit) < len(a) && !slices.ContainsFunc(hit, func(k string) bool { return !weak[k] }):
			// "your bot is clever" for "stop talking to the bot".
			s = weakKeywordScore
		}
		if s > best {
			best, bestHit, bestN = s, hit, len(a)
		}
	}
	return best, bestHit, bestN
}

// weakWords name the conversation itself or a need in general: alone, they
// are no topic ("haha your bot is clever", "I have a question"). A
// condition's alternative matches on them only when all of its words are
// there.
var weakWords = map[string][]string{
	"en": {"bot", "chatbot", "robot", "chat", "agent", "assistant", "conversation", "team", "help", "question",
		"problem", "issue", "thing", "thanks", "time", "today", "people", "number", "happen", "happened", "happens"},
	"fr": {"bot", "chatbot", "robot", "chat", "agent", "assistant", "assistante", "conversation", "equipe", "aide",
		"question", "probleme", "souci", "chose", "merci", "temps", "aujourd", "gens", "numero", "passe", "passer", "arrive"},
}

var weakStems = func() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for lng, ws := range weakWords {
		out[lng] = map[string]bool{}
		for _, w := range ws {
			out[lng][stdlib.Stem(lng, w)] = true
		}
	}
	return out
}()

// strong counts the words of a that are not weak: weak words neither match
// alone nor make an alternative too long for one word to match.
func strong(a []string, weak map[string]bool) int {
	n := 0
	for _, k := range a {
		if !weak[k] {
			n++
		}
	}
	return n
}

// socialOnly are the intents of small talk: alone, they say nothing of what
// the contact needs, and a scenario chosen on them gives way to one chosen
// on what the message asks ("Hi, I'd like to book a tour").
var socialOnly = map[string]bool{"greeting": true, "thanks": true, "goodbye": true}

// laughter are words of small talk that no request needs.
var laughter = map[string]bool{"haha": true, "hahaha": true, "hehe": true, "hihi": true, "lol": true, "lmao": true,
	"mdr": true, "ptdr": true, "xd": true, "rofl": true, "hah": true, "ahah": true, "ahahah": true}

// chitChat reports whether a message is small talk that a fallback
// scenario ("if no clear intent") must not take: laughter, greetings or
// thanks with at most a few other words, or nothing but symbols, and no
// support topic the stdlib knows.
func chitChat(lng, text string, msgIntents map[string]float64) bool {
	if len(topics(text, lng)) > 0 {
		return false
	}
	words := lang.Words(lang.Fold(text))
	if len(words) == 0 {
		return true
	}
	for _, w := range words {
		if laughter[w.Text] || len(w.Text) >= 4 && (strings.Trim(w.Text, "ah") == "" || strings.Trim(w.Text, "eh") == "") {
			return true
		}
	}
	social := false
	for name := range msgIntents {
		if socialOnly[name] || answerIntents[name] {
			social = true
		}
	}
	return social && len(stdlib.Keywords(lng, text)) <= 3
}

// praiseWords and requestWords tell a compliment from a request.
var (
	praiseWords = map[string]bool{"great": true, "awesome": true, "amazing": true, "clever": true, "fun": true, "love": true,
		"loved": true, "brilliant": true, "fantastic": true, "wonderful": true, "excellent": true, "perfect": true, "cool": true,
		"genial": true, "geniale": true, "top": true, "super": true, "parfait": true, "parfaite": true, "merveilleux": true,
		"formidable": true, "adore": true, "bravo": true, "sympa": true, "chouette": true, "magnifique": true}
	requestWords = map[string]bool{"want": true, "wanna": true, "need": true, "can": true, "could": true, "please": true,
		"help": true, "how": true, "would": true, "like": true, "veux": true, "voudrais": true, "besoin": true,
		"pouvez": true, "pourriez": true, "svp": true, "aide": true, "aider": true, "comment": true, "souhaite": true,
		"souhaiterais": true, "aimerais": true}
)

// praises reports whether a message praises rather than asks: a word of
// praise, no question and no word of asking ("your bot is clever", "le
// voyage en Islande était génial !"). Such a message matches no scenario
// on part of its words.
func praises(lng, text string) bool {
	if strings.Contains(text, "?") {
		return false
	}
	found := false
	for _, w := range lang.Words(lang.Fold(text)) {
		if requestWords[w.Text] {
			return false
		}
		found = found || praiseWords[w.Text]
	}
	return found
}

// vocabulary is the plan's words, for reading a misspelt word as the one
// it nearly is ("cancle" as "cancel", "annuller" as "annuler"): the
// content words of the conditions and of the message phrases of the
// intents they name, folded, by first letter.
type vocabulary struct {
	lang   string
	words  map[string]bool
	stems  map[string]bool
	byHead map[byte][]string
}

// minTypoLen is the shortest word read as a misspelling: shorter words
// are too close to too many others.
const minTypoLen = 5

func newVocabulary(p *ir.Plan, lng string) *vocabulary {
	v := &vocabulary{lang: lng, words: map[string]bool{}, stems: map[string]bool{}, byHead: map[byte][]string{}}
	add := func(text string) {
		for _, w := range lang.Words(lang.Fold(text)) {
			if len(w.Text) < 4 || v.words[w.Text] {
				continue
			}
			v.words[w.Text] = true
			v.stems[stdlib.Stem(lng, w.Text)] = true
			v.byHead[w.Text[0]] = append(v.byHead[w.Text[0]], w.Text)
		}
	}
	seen := map[string]bool{}
	for i := range p.Scenarios {
		c := p.Scenarios[i].Condition
		add(c.Text)
		add(c.Question)
		for _, name := range c.Intents {
			if seen[name] {
				continue
			}
			seen[name] = true
			if in, ok := stdlib.IntentByName(name); ok {
				for _, m := range in.Message[lng] {
					add(m)
				}
			}
		}
	}
	return v
}

// correct returns text with each word of minTypoLen letters or more that is
// not a plan word (nor one of its forms) but one edit (two for words of
// eight letters or more; a swap of two letters is one) from a plan word
// that starts with the same letter replaced by that word. It returns text
// itself when nothing changed.
func (v *vocabulary) correct(text string) string {
	if v == nil || len(v.words) == 0 {
		return text
	}
	folded := lang.Fold(text)
	var b strings.Builder
	last := 0
	for _, w := range lang.Words(folded) {
		if len(w.Text) < minTypoLen || v.words[w.Text] || w.Pos+len(w.Text) > len(folded) || folded[w.Pos:w.Pos+len(w.Text)] != w.Text {
			continue
		}
		if v.stems[stdlib.Stem(v.lang, w.Text)] {
			continue
		}
		limit := 1
		if len(w.Text) >= 8 {
			limit = 2
		}
		fix, fixD := "", limit+1
		for _, c := range v.byHead[w.Text[0]] {
			if d := len(c) - len(w.Text); d > limit || -d > limit {
				continue
			}
			if d := editDistance(w.Text, c, limit); d < fixD {
				fix, fixD = c, d
			}
		}
		if fix == "" {
			continue
		}
		b.WriteString(folded[last:w.Pos])
		b.WriteString(fix)
		last = w.Pos + len(w.Text)
	}
	if last == 0 {
		return text
	}
	b.WriteString(folded[last:])
	return b.String()
}

// editDistance is the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and swaps of two neighbouring
// bytes), or limit+1 as soon as it exceeds limit.
func editDistance(a, b string, limit int) int {
	n, m := len(a), len(b)
	if n > 32 || m > 32 {
		return limit + 1
	}
	var rows [3][33]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= m; j++ {
		prev[j] = j
	}
	for i := 1; i <= n; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= m; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[m], limit+1)
}
