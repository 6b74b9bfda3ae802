package compiler

import (
	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/grammar"
)

// checkUnread reports the words of a scenario that no part of it reads
// (grammar.Unread): unsupported-action when they ask for something the
// agent cannot do, unread-words otherwise. Nothing is dropped without a word.
func (c *checker) checkUnread(s *scenario) {
	for _, u := range s.ast.Unread {
		c.unread(u, nil)
	}
	for _, st := range s.steps {
		if st.ast.Kind == grammar.StepUnsupported && st.ast.Negated {
			continue // "never send an e-mail": nothing to do
		}
		if st.ast.Kind == grammar.StepUnsupported {
			a := st.ast
			c.errorf(a.Range, "", "unsupported-step", string(c.file.Source.Text[a.Range.Start.Offset:a.Range.End.Offset]))
			continue
		}
		var names []diag.Range
		for _, r := range st.targets {
			names = append(names, r.rng)
		}
		for _, r := range st.names {
			names = append(names, r.rng)
		}
		for _, u := range st.ast.Unread {
			c.unread(u, names)
		}
	}
}

// checkFileUnread reports sentences that name something to act on but are
// no scenario.
func (c *checker) checkFileUnread() {
	for _, u := range c.file.Unread {
		c.unread(u, nil)
	}
}

func (c *checker) unread(u *grammar.Unread, names []diag.Range) {
	// Words a resolved name took ("@Sales and Marketing") are read.
	toks := u.Tokens
	inName := func(t grammar.Token) bool {
		for _, r := range names {
			if t.Start >= r.Start.Offset && t.End <= r.End.Offset {
				return true
			}
		}
		return false
	}
	for len(toks) > 0 && inName(toks[0]) {
		toks = toks[1:]
	}
	for len(toks) > 0 && inName(toks[len(toks)-1]) {
		toks = toks[:len(toks)-1]
	}
	if len(toks) == 0 {
		return
	}
	src := c.file.Source
	a, b := toks[0].Start, toks[len(toks)-1].End
	text := string(src.Text[a:b])
	r := src.Range(a, b)
	if len(toks) != len(u.Tokens) {
		u = &grammar.Unread{Range: r, Text: text, Tokens: toks, Why: u.Why}
		if !u.Asks() {
			return
		}
	}
	if topic := u.Topic(); topic != "" {
		c.errorf(r, "", "unread-topic", topic, topic)
		return
	}
	if what := u.Unsupported(); what != "" {
		c.errorf(r, "", "unsupported-words", what, text)
		return
	}
	switch u.Why {
	case "lead":
		c.errorf(r, "", "unread-lead", text)
	case "sentence":
		c.errorf(r, "", "unread-sentence", text)
	default:
		c.errorf(r, "", "unread-words", text)
	}
}
