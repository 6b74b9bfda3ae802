package compiler

import (
	"errors"
	"slices"
	"strings"

	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/grammar"
	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/stdlib"
	"github.com/instrc/instrc/workspace"
)

// Condition words the compiler understands (their lists are the
// grammar's lexicon); the rest of a condition stays free text for the
// runtime's matcher.
var (
	emptyWords    = grammar.EmptyWords
	setWords      = grammar.SetWords
	isWords       = grammar.IsWords
	notWords      = grammar.NotWords
	businessHours = grammar.BusinessHours
	outsideWords  = grammar.OutsideWords
	tagCondWords  = grammar.TagCondWords
)

// conditions reads the parts of a scenario's conditions the compiler can
// check: fields ($contact.x, "the Budget field is empty"), lifecycle stages,
// business hours, and tags (which the agent cannot read).
func (c *checker) conditions(s *scenario) {
	var texts, positive []string
	negatedText := false
	for _, cond := range s.ast.Conditions {
		switch {
		case cond.Fallback:
			s.fallback = true
			texts = append(texts, cond.Text)
			continue
		case cond.Yes && isQuestion(cond.Confirms):
			s.answersYes = cond.Confirms
			texts = append(texts, phrase(c.lang, "the contact answers yes to: ", "le contact répond oui à : ")+cond.Confirms)
			continue
		case cond.Yes:
			// "If so, …" after a condition: the same condition.
			texts = append(texts, cond.Confirms)
			continue
		case cond.Else && isQuestion(cond.Negates):
			s.answersNo = cond.Negates
			texts = append(texts, phrase(c.lang, "the contact answers no to: ", "le contact répond non à : ")+cond.Negates)
			continue
		case cond.Else:
			// "Otherwise, …" after a scenario: whatever that scenario
			// does not cover, when no other scenario applies.
			s.fallback = true
			texts = append(texts, phrase(c.lang, "not (", "non (")+cond.Negates+")")
			continue
		}
		if cond.Negated {
			// "Unless the customer is a VIP, …": its state checks are
			// negated exactly; its words are no topic to match.
			before := len(s.state)
			c.condition(s, cond)
			if len(s.state) == before {
				negatedText = true
			}
			texts = append(texts, phrase(c.lang, "not (", "non (")+cond.Text+")")
			continue
		}
		positive = append(positive, cond.Text)
		texts = append(texts, cond.Text)
		c.condition(s, cond)
	}
	if s.ast.Greeting {
		texts = append(texts, phrase(c.lang, "the contact starts the conversation", "le contact commence la conversation"))
		positive = append(positive, texts[len(texts)-1])
	}
	if len(positive) < len(texts) {
		// Only the positive conditions give words to match; a scenario
		// whose only condition is a negated free text is a fallback.
		s.wordsTxt = strings.Join(positive, phrase(c.lang, " and ", " et "))
		s.noWords = s.wordsTxt == ""
		if negatedText && len(positive) == 0 && len(s.state) == 0 && !s.fallback {
			s.fallback = true
		}
	}
	s.condTxt = strings.Join(texts, phrase(c.lang, " and ", " et "))
}

func (c *checker) condition(s *scenario, cond *grammar.Condition) {
	toks := cond.Tokens
	src := c.file.Source
	negated := cond.Negated
	for i, t := range toks {
		switch {
		case t.Kind == grammar.KSigil && t.Sigil == '%':
			c.errorf(src.Range(t.Start, t.End), "", "tag-condition")
		case (t.Kind == grammar.KWord || t.Kind == grammar.KVerb) && tagCondWords[t.Fold] && i > 0 && (has(toks[:i], "has", "have", "is", "a", "est", "with", "avec") || tagCondWords[t.Fold] && t.Fold == "tagged"):
			c.errorf(src.Range(t.Start, t.End), "", "tag-condition")
			return
		case t.Kind == grammar.KVar:
			name := varName(t.Text)
			if name == "" {
				continue
			}
			c.stateField(s, name, src.Range(t.Start, t.End), toks[i+1:], negated)
		}
	}
	if i := findSeq(toks, businessHours); i >= 0 {
		neg := negated
		for j := max(0, i-3); j < i; j++ {
			if outsideWords[toks[j].Fold] || notWords[toks[j].Fold] {
				neg = !neg
				break
			}
		}
		s.state = append(s.state, ir.StateCheck{Kind: ir.StateBusinessHours, Negate: neg})
	}
	// "the Budget field is empty", "le champ Budget est vide"
	for i, t := range toks {
		if c.ws == nil || !(t.Fold == "field" || t.Fold == "champ") {
			continue
		}
		var nameToks []grammar.Token
		rest := toks[i+1:]
		if i+1 < len(toks) && !isWords[toks[i+1].Fold] && !notWords[toks[i+1].Fold] {
			j := i + 1
			for j < len(toks) && !isWords[toks[j].Fold] && toks[j].Kind != grammar.KComma && !notWords[toks[j].Fold] {
				j++
			}
			nameToks, rest = toks[i+1:j], toks[j:]
		} else {
			j := i
			for j > 0 && !articleOrMarker(toks[j-1]) {
				j--
			}
			nameToks = toks[j:i]
		}
		if len(nameToks) == 0 {
			continue
		}
		a, b := nameToks[0].Start, nameToks[len(nameToks)-1].End
		if nameToks[0].Kind == grammar.KQuoted {
			c.stateField(s, nameToks[0].Text, src.Range(a, b), rest, negated)
		} else {
			c.stateField(s, string(src.Text[a:b]), src.Range(a, b), rest, negated)
		}
	}
	// "the lifecycle stage is Qualified", "in the Qualified stage"
	for i, t := range toks {
		if c.ws == nil || !(t.Fold == "stage" || t.Fold == "lifecycle" || t.Fold == "etape" || t.Fold == "stade") {
			continue
		}
		j := i + 1
		for j < len(toks) && (toks[j].Fold == "stage" || toks[j].Fold == "du" || toks[j].Fold == "cycle" || toks[j].Fold == "de" || toks[j].Fold == "vie") {
			j++
		}
		var nameToks []grammar.Token
		neg := negated
		if j < len(toks) && isWords[toks[j].Fold] {
			j++
			for j < len(toks) && (notWords[toks[j].Fold] || toks[j].Fold == "a" || toks[j].Fold == "au" || toks[j].Fold == "en") {
				if notWords[toks[j].Fold] {
					neg = !neg
				}
				j++
			}
			k := j
			for k < len(toks) && toks[k].Kind != grammar.KComma && toks[k].Kind != grammar.KAnd && toks[k].Fold != "or" && toks[k].Fold != "ou" {
				k++
			}
			nameToks = toks[j:k]
		} else if i > 0 && (toks[i-1].Kind == grammar.KWord || toks[i-1].Kind == grammar.KQuoted) && !articleOrMarker(toks[i-1]) {
			k := i
			for k > 0 && !articleOrMarker(toks[k-1]) {
				k--
			}
			nameToks = toks[k:i]
		} else if j < len(toks) && (toks[j].Kind == grammar.KWord || toks[j].Kind == grammar.KQuoted) && t.Fold != "lifecycle" {
			k := j
			for k < len(toks) && toks[k].Kind != grammar.KComma && toks[k].Kind != grammar.KAnd {
				k++
			}
			nameToks = toks[j:k]
		}
		if len(nameToks) == 0 {
			continue
		}
		c.stateStage(s, nameToks, neg, explicitLifecycle(toks))
		break
	}
}

// stateStage records a lifecycle condition. Only an explicit lifecycle
// wording ("lifecycle stage", "cycle de vie") reports an unknown stage: "at
// the payment stage" is about something else.
func (c *checker) stateStage(s *scenario, nameToks []grammar.Token, neg, explicit bool) {
	src := c.file.Source
	a, b := nameToks[0].Start, nameToks[len(nameToks)-1].End
	name := strings.Join(strings.Fields(string(src.Text[a:b])), " ")
	if nameToks[0].Kind == grammar.KQuoted {
		name = nameToks[0].Text
	}
	stages := workspace.Names(c.ws.Stages)
	if nameToks[0].Kind == grammar.KQuoted {
		if slices.Contains(stages, name) {
			c.stageRef(s, name, src.Range(a, b), neg)
			return
		}
	} else if k, ok := longestName(src.Text, nameToks, stages); ok {
		c.stageRef(s, spell(src.Text, nameToks[:k]), src.Range(a, nameToks[k-1].End), neg)
		return
	} else if k > 0 {
		// "is Active Custmer": a stage followed by more words is no stage.
		name, b = spell(src.Text, nameToks[:k]), nameToks[k-1].End
		nameToks = nameToks[:k]
	}
	if explicit && (nameToks[0].Kind == grammar.KQuoted || len(nameToks) <= 3) {
		sug := nearest(name, stages)
		c.errorf(src.Range(a, b), sug, "unknown-stage", name, didYouMean(c.lang, sug, stages))
	}
}

func (c *checker) stageRef(s *scenario, name string, r diag.Range, neg bool) {
	c.ref(r, "stage", name, declOf(c.ws.Stages, name))
	s.state = append(s.state, ir.StateCheck{Kind: ir.StateLifecycleIs, Value: name, Negate: neg})
}

// stateField records a state check on a field named in a condition and
// reports the field when it is not in the workspace.
func (c *checker) stateField(s *scenario, name string, r diag.Range, rest []grammar.Token, negated bool) {
	if c.ws == nil {
		return
	}
	f, ok := c.ws.Field(name)
	if !ok {
		names := c.ws.FieldNames()
		sug := nearest(name, names)
		c.errorf(r, sug, "unknown-field", name, didYouMean(c.lang, sug, names))
		return
	}
	c.ref(r, "field", f.Name.Name, f.Name.Range)
	j := 0
	for j < len(rest) && (rest[j].Fold == "field" || rest[j].Fold == "champ") {
		j++
	}
	if j >= len(rest) || !isWords[rest[j].Fold] {
		if j < len(rest) && (rest[j].Fold == "has" || rest[j].Fold == "a") {
			s.state = append(s.state, ir.StateCheck{Kind: ir.StateFieldSet, Field: f.Name.Name, Negate: negated})
		}
		return
	}
	j++
	neg := negated
	for j < len(rest) && notWords[rest[j].Fold] {
		neg = !neg
		j++
	}
	if j >= len(rest) {
		return
	}
	w := rest[j]
	switch {
	case emptyWords[w.Fold] || (w.Fold == "not" && j+1 < len(rest) && setWords[rest[j+1].Fold]):
		s.state = append(s.state, ir.StateCheck{Kind: ir.StateFieldEmpty, Field: f.Name.Name, Negate: neg})
	case setWords[w.Fold]:
		s.state = append(s.state, ir.StateCheck{Kind: ir.StateFieldSet, Field: f.Name.Name, Negate: neg})
	case w.Kind == grammar.KQuoted || w.Kind == grammar.KNumber || (w.Kind == grammar.KWord && len(rest[j:]) <= 3):
		k := j + 1
		for k < len(rest) && rest[k].Kind != grammar.KComma && rest[k].Kind != grammar.KAnd && w.Kind != grammar.KQuoted {
			k++
		}
		val := w.Text
		if w.Kind != grammar.KQuoted {
			val = string(c.file.Source.Text[w.Start:rest[k-1].End])
		}
		v, ok := c.checkValue(f, val, c.file.Source.Range(w.Start, rest[k-1].End))
		if ok {
			s.state = append(s.state, ir.StateCheck{Kind: ir.StateFieldEquals, Field: f.Name.Name, Value: v, Negate: neg})
		}
	}
}

// checkValue validates a literal value against a field's type.
func (c *checker) checkValue(f *workspace.Field, value string, r diag.Range) (string, bool) {
	region := ""
	if c.ws != nil {
		region = c.ws.PhoneRegion
	}
	v, err := stdlib.ValidateWith(f.Type, f.Options, value, stdlib.LocaleFor(c.lang, region))
	if err != nil {
		sug := ""
		if f.Type == "list" {
			sug = nearest(value, f.Options)
		}
		reason := err.Error()
		if ve, ok := errors.AsType[*stdlib.ValueError](err); ok {
			reason = ve.Message(c.lang)
		}
		c.errorf(r, sug, "invalid-value", value, f.Name.Name, reason)
		return value, false
	}
	return v, true
}

func explicitLifecycle(toks []grammar.Token) bool {
	for i, t := range toks {
		if t.Fold == "lifecycle" || t.Fold == "stade" || (t.Fold == "cycle" && i+2 < len(toks) && toks[i+2].Fold == "vie") {
			return true
		}
	}
	return false
}

func varName(v string) string {
	v = strings.TrimSuffix(strings.TrimPrefix(v, "{{"), "}}")
	v = strings.TrimPrefix(strings.TrimSpace(v), "$")
	if rest, ok := strings.CutPrefix(v, "contact."); ok {
		return rest
	}
	return ""
}

func has(toks []grammar.Token, words ...string) bool {
	for _, t := range toks {
		if slices.Contains(words, t.Fold) {
			return true
		}
	}
	return false
}

func findSeq(toks []grammar.Token, seqs [][]string) int {
	for i := range toks {
		for _, seq := range seqs {
			if i+len(seq) > len(toks) {
				continue
			}
			ok := true
			for j, w := range seq {
				if toks[i+j].Fold != w {
					ok = false
					break
				}
			}
			if ok {
				return i
			}
		}
	}
	return -1
}

func articleOrMarker(t grammar.Token) bool {
	switch t.Fold {
	case "the", "a", "an", "their", "his", "her", "its", "le", "la", "les", "l'", "un", "une", "son", "sa", "ses", "leur", "if", "when", "in", "at", "au", "du", "de", "d'", "is", "est", "and", "or", "et", "ou":
		return true
	}
	return t.Kind != grammar.KWord && t.Kind != grammar.KNumber && t.Kind != grammar.KQuoted
}

// isQuestion reports whether a statement is a question to the contact ("Ask
// if there's anything else to pass along.", "Do you need anything else?").
func isQuestion(text string) bool {
	t := strings.TrimSpace(text)
	if strings.HasSuffix(t, "?") {
		return true
	}
	f := grammar.Fold(t)
	for _, p := range []string{"ask ", "demande", "check if", "check whether", "verifie si"} {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

// asksAnythingElse reports whether a question asks if the contact has
// anything else to ask, whose "no" ends the conversation.
func asksAnythingElse(q string) bool {
	f := grammar.Fold(q)
	for _, p := range []string{"anything else", "other question", "something else", "autre chose", "autre question", "d'autres questions", "autres questions"} {
		if strings.Contains(f, p) {
			return true
		}
	}
	return false
}
