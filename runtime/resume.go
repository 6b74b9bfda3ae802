package runtime

import (
	"fmt"
	"strings"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/lang"
	"github.com/instrc/instrc/stdlib"
)

// resumeLookback is how many earlier contact messages the offline matcher
// searches for a scenario that is still collecting.
const resumeLookback = 3

// resumeMargin is how much a fresh match must score above the confidence
// of an answer to the scenario still collecting to take the turn from it.
const resumeMargin = 0.1

// resumed is a scenario the offline matcher takes up again, with the values
// the contact gave for it since it first asked.
type resumed struct {
	idx   int
	given map[string]string
	why   string
	// confidence is high when a typed value was given, lower when the
	// message was taken whole as a free-text answer.
	confidence float64
	// retry is the field whose answer did not fit its shape ("MC-20418"
	// for "MC followed by 6 digits"): the question is asked again.
	retry string
}

// resumeOffline finds a scenario that, in an earlier turn, waited for the
// contact to give information ("collect their postcode") and to which the
// new message gives some of it: the answer to the agent's question matches
// no scenario by itself, yet it is what the conversation is about. A model
// sees this in the history; offline, it is worked out here without any
// state beyond the history the caller passes:
//
//   - the most recent of the last few contact messages that matched a
//     scenario is the one that started it; it must be a collecting scenario
//     that was still missing something then;
//   - values found inside a message by the field's extractor (typed values,
//     and text such as a postcode, an order number or "my member ID is
//     NW-4821": stdlib.ExtractField) are taken from the new message, the
//     starting one, or the contact's messages since, the latest first;
//   - a single missing free-text field takes the new message as the answer
//     (stdlib.AnswerField: "c'est la MGEN" gives "MGEN"; a field holding a
//     number or with a format takes only a value of that shape), unless the
//     message is a question or has an intent of its own (a greeting,
//     thanks, a goodbye): "why do you need that?" is not a postcode.
//
// It resumes only when the new message gives at least one missing value.
func (t *turn) resumeOffline() (resumed, bool) {
	h := t.in.History
	var later []string // contact messages after the starting one, oldest first
	seen := 0
	for i := len(h) - 1; i >= 0 && seen < resumeLookback; i-- {
		if h[i].Role != RoleContact {
			continue
		}
		seen++
		m := t.e.matchOffline(h[i].Text, lastAsked(h[:i]), t.res.Language, t.contact, t.now)
		if m.idx < 0 {
			later = append([]string{h[i].Text}, later...)
			continue
		}
		c := &t.e.scenarios[m.idx]
		if len(c.s.Collect) == 0 {
			return resumed{}, false
		}
		return t.collectSince(m.idx, h[i].Text, later)
	}
	return resumed{}, false
}

// collectSince works out what scenario idx, started by the message first,
// has been given since: see resumeOffline.
func (t *turn) collectSince(idx int, first string, later []string) (resumed, bool) {
	c := &t.e.scenarios[idx]
	given := map[string]string{}
	var missingText []fieldSpec
	gaveNew, stillMissing, typedNew := false, false, false
	for _, a := range c.s.Actions {
		if a.Kind != ir.KindUpdateFields {
			continue
		}
		for _, f := range a.Fields {
			if f.Value != "" {
				continue
			}
			fs := resolveField(t.e.plan.Workspace, f)
			if v, ok := t.valueIn(fs, t.in.Text); ok {
				given[fs.Name], gaveNew, typedNew = v, true, true
				continue
			}
			if v, ok := t.valueIn(fs, first); ok {
				given[fs.Name] = v // given at the start, with the request
				continue
			}
			found := false
			for i := len(later) - 1; i >= 0 && !found; i-- {
				if v, ok := t.valueIn(fs, later[i]); ok {
					given[fs.Name], found = v, true
				}
			}
			if found {
				continue
			}
			if fs.Type == stdlib.TypeText {
				missingText = append(missingText, fs)
				continue
			}
			stillMissing = true
		}
	}
	if len(missingText) == 1 && !stillMissing && t.answersQuestion() {
		if v, ok := stdlib.AnswerField(t.e.field(missingText[0]), t.in.Text, t.now, t.e.locale); ok {
			given[missingText[0].Name], gaveNew = v, true
		}
	}
	if !gaveNew {
		// An answer that does not fit the one field still missing ("MC-20418"
		// for "MC followed by 6 digits") asks again rather than falling to
		// an unrelated reply.
		if len(missingText) == 1 && !stillMissing && t.answersQuestion() && strings.ContainsAny(t.in.Text, "0123456789") {
			if f := t.e.field(missingText[0]); f.Shaped() {
				return resumed{idx: idx, given: given, confidence: 0.6, retry: f.Name,
					why: fmt.Sprintf("continues %s, which was collecting %s: the answer does not fit %s", c.s.ID, strings.Join(c.s.Collect, ", "), f.Name)}, true
			}
		}
		return resumed{}, false
	}
	names := make([]string, 0, len(given))
	for _, a := range c.s.Actions {
		for _, f := range a.Fields {
			if fs := resolveField(t.e.plan.Workspace, f); given[fs.Name] != "" {
				names = append(names, fs.Name)
			}
		}
	}
	conf := 0.6
	if typedNew {
		conf = 0.85
	}
	return resumed{idx: idx, given: given, confidence: conf, why: fmt.Sprintf("continues %s, which was collecting %s: given %s",
		c.s.ID, strings.Join(c.s.Collect, ", "), strings.Join(names, ", "))}, true
}

// answersQuestion reports whether the new message can be taken whole as the
// answer to the agent's question: it asks nothing back and carries no
// conversational intent of its own (a greeting, thanks, a goodbye, STOP; a
// yes or no when the message is short). A topic intent does not count: a
// description answering "what is the problem?" names the problem ("the
// room was dirty and the air conditioning did not work" is no refusal),
// and a fresh request still takes the turn by scoring above the answer.
func (t *turn) answersQuestion() bool {
	text := strings.TrimSpace(t.in.Text)
	if text == "" || strings.HasSuffix(text, "?") || len(text) > 500 {
		return false
	}
	short := len(lang.Words(text)) <= shortAnswerWords
	for name, v := range stdlib.MessageIntents(t.res.Language, text) {
		if v < t.e.opts.MinScore {
			continue
		}
		switch name {
		case "greeting", "thanks", "goodbye", "no_more_questions", "asks_for_human", "unsubscribe", "spam", "wrong_number":
			return false
		case "confirms", "declines":
			if short {
				return false
			}
		}
	}
	return true
}

// shortAnswerWords is the length up to which a message that says yes or no
// is that and not a description holding a negation.
const shortAnswerWords = 5
