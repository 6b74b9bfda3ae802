package runtime

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/instrc/instrc/stdlib"
)

// Defaults of the thresholds that decide when the model is asked to choose.
// They were calibrated on the examples' scenario tests (docs/runtime.md,
// "When the model is asked"): at these values every turn the matcher
// decides alone is one its tests expect.
const (
	// DefaultModelSureMatch is the offline matcher's confidence at or
	// above which its choice stands without asking the model: the
	// confidence at which it is sure (SureConfidence).
	DefaultModelSureMatch = SureConfidence
	// DefaultModelSureNone is the score at or below which no scenario
	// relates to the message at all: nothing specific applies and the
	// model is not asked. 0 means: nothing in the message (no intent, no
	// keyword) relates to any scenario.
	DefaultModelSureNone = 0
)

// sureOffline reports whether the offline match m settles the turn, so that
// a choose call would not help, and says why. resumed is true when a
// scenario collecting information goes on (its own, stricter rules chose
// it). It is the only place that reads the matcher's confidence for this
// decision.
//
// "Nothing relates" is sure only when the message is also about no support
// topic the stdlib knows (billing, shipping, account access, ...): such a
// message may be a paraphrase of a scenario's condition that the model
// would recognise, so the model is asked.
func (t *turn) sureOffline(m candidate, resumed bool) (string, bool) {
	e := t.e
	switch {
	case resumed:
		return "a scenario collecting information goes on", true
	case m.idx >= 0 && m.confidence >= e.opts.ModelSureMatch:
		return fmt.Sprintf("the offline match is sure (confidence %.2f ≥ %.2f)", m.confidence, e.opts.ModelSureMatch), true
	case e.opts.ModelSureNone >= 0 && m.top <= e.opts.ModelSureNone:
		if len(topics(t.in.Text, t.res.Language)) > 0 {
			return "", false
		}
		if t.answersAgentQuestion() {
			return "", false
		}
		return "nothing in the message relates to any scenario", true
	}
	return "", false
}

// answersAgentQuestion reports a message that may answer the question the
// agent just asked ("which router do you have?" → "the Hub 2 I think"): it
// relates to nothing by its own words, yet the model, which sees the
// history, can tell which scenario it continues. A message that only
// thanks, greets or says yes or no is no such answer.
func (t *turn) answersAgentQuestion() bool {
	q := strings.TrimSpace(lastAsked(t.in.History))
	if !strings.HasSuffix(q, "?") {
		return false
	}
	for name, v := range stdlib.MessageIntents(t.res.Language, t.in.Text) {
		if v >= t.e.opts.MinScore && slices.Contains(socialIntents, name) {
			return false
		}
	}
	return true
}

// socialIntents say nothing of what the contact needs.
var socialIntents = []string{"greeting", "thanks", "goodbye", "confirms", "declines"}

// topics lists the support topics (stdlib intents other than greetings,
// thanks and the like) the message shows, sorted.
func topics(text, lang string) []string {
	var out []string
	for name := range stdlib.MessageIntents(lang, text) {
		if !slices.Contains(socialIntents, name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
