// Package scenariotest reads scenario test files (agent.test.yaml) and runs
// them against a compiled agent: a conversation with, after some contact
// messages, what the agent must have done.
package scenariotest

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/instrc/instrc/internal/yamlnode"
)

// Pos is a position in a test file, 1-based.
type Pos struct {
	File      string
	Line, Col int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Suite is one test file.
type Suite struct {
	File      string
	Agent     string // path of the .instr file, resolved against the test file's folder
	Workspace string // optional workspace override
	Now       *time.Time
	Calls     map[string]CallStub // custom actions' answers for every case
	Cases     []Case
}

// CallStub is what a custom action answers in a test instead of its API:
// an HTTP status and a body.
type CallStub struct {
	Status int
	Body   string
	Pos    Pos
}

// Case is one conversation with expectations.
type Case struct {
	Name    string
	Pos     Pos
	Contact Contact
	Calls   map[string]CallStub // overrides the suite's, by action name
	Steps   []Step
}

// Contact is the contact the conversation starts with.
type Contact struct {
	Fields    map[string]string
	Lifecycle string
	Tags      []string
}

// Step is one message of the conversation: a contact message is a turn; an
// agent message only joins the history.
type Step struct {
	Role   string // "contact" or "agent"
	Text   string
	Pos    Pos
	Expect *Expect
}

// Expect is what must hold after a contact message. A nil or empty member
// is not checked.
type Expect struct {
	Pos           Pos
	Scenario      *Value // "s3", "line 12", "none"
	Actions       []ActionExpect
	ActionsPos    *Pos // set when actions were given (an empty list means: no action)
	ReplyContains []Value
	ReplyOmits    []Value
	Fields        []FieldExpect
	Lifecycle     *Value
	Tags          []Value
	NoReply       *Value // "true" or "false"
}

// Value is a scalar with its position.
type Value struct {
	Text string
	Pos  Pos
}

// FieldExpect is a contact field's expected value after the turn.
type FieldExpect struct {
	Name, Value string
	Pos         Pos
}

// ActionExpect describes one action of the turn; empty members match
// anything.
type ActionExpect struct {
	Pos    Pos
	Kind   string
	Target string // assignee, stage, closing note, workflow, custom action or added tag
	Status string
	Values map[string]string // update_fields: values written
}

// Keys in English and French: each alias maps to the canonical key.
var aliases = map[string]string{
	"agent": "agent", "workspace": "workspace", "espace_de_travail": "workspace", "now": "now", "maintenant": "now",
	"cases": "cases", "cas": "cases",
	"name": "name", "nom": "name",
	"contact": "contact", "client": "contact",
	"fields": "fields", "champs": "fields",
	"lifecycle": "lifecycle", "cycle_de_vie": "lifecycle", "étape": "lifecycle",
	"tags": "tags", "étiquettes": "tags",
	"conversation": "conversation",
	"expect":       "expect", "attendu": "expect",
	"scenario": "scenario", "scénario": "scenario",
	"actions": "actions",
	"kind":    "kind", "type": "kind",
	"target": "target", "cible": "target",
	"status": "status", "statut": "status",
	"values": "values", "valeurs": "values",
	"reply_contains": "reply_contains", "réponse_contient": "reply_contains",
	"reply_omits": "reply_omits", "réponse_exclut": "reply_omits",
	"no_reply": "no_reply", "sans_réponse": "no_reply",
	"calls": "calls", "appels": "calls",
	"body": "body", "corps": "body",
}

// KeyAliases returns the keys a test file may use, each mapped to its
// canonical (English) key: the JSON Schema of test files lists them all.
func KeyAliases() map[string]string { return maps.Clone(aliases) }

// statusAliases accepts the French words for action outcomes.
var statusAliases = map[string]string{"ok": "ok", "failed": "failed", "skipped": "skipped", "réussi": "ok", "échoué": "failed", "ignoré": "skipped"}

// Error is a problem in a test file, with its position.
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// LoadFile reads a test file.
func LoadFile(path string) (*Suite, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, b)
}

// Parse reads test file text. The first problem found is returned with its
// position; nothing in the text makes it panic.
func Parse(path string, text []byte) (s *Suite, err error) {
	p := &reader{file: path}
	defer func() {
		// The reader stops at the first problem by panicking with an
		// *Error; any other panic is a bug and must surface (the fuzz
		// test relies on it).
		if r := recover(); r != nil {
			e, ok := r.(*Error)
			if !ok {
				panic(r)
			}
			s, err = nil, e
		}
	}()
	docs, perr := yamlnode.Parse(text)
	if perr != nil {
		msg, at := yamlnode.ParseError(perr)
		pos := Pos{File: path, Line: 1, Col: 1}
		if at != nil {
			pos.Line, pos.Col = at.Line, at.Column
		}
		return nil, &Error{Pos: pos, Msg: "YAML syntax: " + msg}
	}
	if len(docs) == 0 {
		return nil, &Error{Pos: Pos{File: path, Line: 1, Col: 1}, Msg: "the file is empty: give cases"}
	}
	root := docs[0]
	s = &Suite{File: path}
	for _, kv := range p.mapping(root, "the file", "agent", "workspace", "now", "calls", "cases") {
		switch kv.key {
		case "agent":
			s.Agent = p.rel(p.scalar(kv.val, "agent").Text)
		case "workspace":
			s.Workspace = p.rel(p.scalar(kv.val, "workspace").Text)
		case "now":
			v := p.scalar(kv.val, "now")
			t, err := time.Parse(time.RFC3339, v.Text)
			if err != nil {
				p.fail(kv.val, "now %q: use RFC 3339, e.g. 2025-03-05T10:00:00Z", v.Text)
			}
			s.Now = &t
		case "calls":
			s.Calls = p.calls(kv.val)
		case "cases":
			for _, n := range p.sequence(kv.val, "cases") {
				s.Cases = append(s.Cases, p.testCase(n))
			}
		}
	}
	if len(s.Cases) == 0 {
		p.fail(root, "no cases: add a cases: list")
	}
	if s.Agent == "" {
		base := strings.TrimSuffix(filepath.Base(path), ".yaml")
		base = strings.TrimSuffix(strings.TrimSuffix(base, ".yml"), ".test")
		s.Agent = filepath.Join(filepath.Dir(path), base+".instr")
	}
	return s, nil
}

type reader struct{ file string }

type keyVal struct {
	key string
	pos ast.Node
	val ast.Node
}

func (p *reader) pos(n ast.Node) Pos {
	switch m := yamlnode.Unwrap(n).(type) { // a mapping starts at its first key
	case *ast.MappingNode:
		if len(m.Values) > 0 {
			n = m.Values[0].Key
		}
	case *ast.MappingValueNode:
		n = m.Key
	}
	if at := yamlnode.Position(n); at != nil {
		return Pos{File: p.file, Line: at.Line, Col: at.Column}
	}
	return Pos{File: p.file, Line: 1, Col: 1}
}

func (p *reader) fail(n ast.Node, format string, args ...any) {
	panic(&Error{Pos: p.pos(n), Msg: fmt.Sprintf(format, args...)})
}

func (p *reader) rel(path string) string {
	if path == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(filepath.Dir(p.file), path)
}

// mapping returns the pairs of a mapping, keys made canonical; a key not in
// allowed is an error naming the allowed ones.
func (p *reader) mapping(n ast.Node, what string, allowed ...string) []keyVal {
	pairs, ok := yamlnode.Pairs(n)
	if !ok {
		if yamlnode.IsNull(n) {
			return nil
		}
		p.fail(n, "%s must be a mapping (key: value)", what)
	}
	var out []keyVal
	seen := map[string]bool{}
	for _, pair := range pairs {
		raw := pair.Key
		key, ok := aliases[raw]
		if allowed != nil && (!ok || !slices.Contains(allowed, key)) {
			p.fail(pair.KeyNode, "unknown key %q in %s: use %s", raw, what, strings.Join(allowed, ", "))
		}
		if !ok {
			key = raw
		}
		if seen[key] {
			p.fail(pair.KeyNode, "%q is given twice in %s", raw, what)
		}
		seen[key] = true
		val := pair.Value
		if val == nil {
			val = pair.KeyNode
		}
		out = append(out, keyVal{key: key, pos: pair.KeyNode, val: val})
	}
	return out
}

func (p *reader) sequence(n ast.Node, what string) []ast.Node {
	items, ok := yamlnode.Items(n)
	if !ok && !yamlnode.IsNull(n) {
		p.fail(n, "%s must be a list", what)
	}
	return items
}

func (p *reader) scalar(n ast.Node, what string) Value {
	switch s, ok := yamlnode.Text(n); {
	case ok:
		return Value{Text: s, Pos: p.pos(n)}
	case yamlnode.IsNull(n):
		p.fail(n, "%s is empty: give a value", what)
	default:
		p.fail(n, "%s must be a single value", what)
	}
	return Value{}
}

// scalars reads a list of values, or a single value as a list of one.
func (p *reader) scalars(n ast.Node, what string) []Value {
	if _, ok := yamlnode.Unwrap(n).(*ast.SequenceNode); !ok {
		return []Value{p.scalar(n, what)}
	}
	var out []Value
	for _, e := range p.sequence(n, what) {
		out = append(out, p.scalar(e, what))
	}
	return out
}

func (p *reader) stringMap(n ast.Node, what string) ([]FieldExpect, map[string]string) {
	var list []FieldExpect
	m := map[string]string{}
	for _, kv := range p.mapping(n, what) {
		name := strings.TrimSpace(kv.pos.GetToken().Value) // field names are kept as written
		v := ""
		if _, null := yamlnode.Unwrap(kv.val).(*ast.NullNode); !null && kv.val != kv.pos {
			v = p.scalar(kv.val, what+" "+name).Text
		}
		list = append(list, FieldExpect{Name: name, Value: v, Pos: p.pos(kv.pos)})
		m[name] = v
	}
	return list, m
}

func (p *reader) testCase(n ast.Node) Case {
	c := Case{Pos: p.pos(n), Contact: Contact{Fields: map[string]string{}}}
	for _, kv := range p.mapping(n, "a case", "name", "contact", "calls", "conversation") {
		switch kv.key {
		case "calls":
			c.Calls = p.calls(kv.val)
		case "name":
			c.Name = p.scalar(kv.val, "name").Text
			c.Pos = p.pos(kv.pos)
		case "contact":
			for _, ckv := range p.mapping(kv.val, "contact", "fields", "lifecycle", "tags") {
				switch ckv.key {
				case "fields":
					_, c.Contact.Fields = p.stringMap(ckv.val, "fields")
				case "lifecycle":
					c.Contact.Lifecycle = p.scalar(ckv.val, "lifecycle").Text
				case "tags":
					for _, v := range p.scalars(ckv.val, "tags") {
						c.Contact.Tags = append(c.Contact.Tags, v.Text)
					}
				}
			}
		case "conversation":
			for _, sn := range p.sequence(kv.val, "conversation") {
				c.Steps = append(c.Steps, p.step(sn))
			}
		}
	}
	if c.Name == "" {
		p.fail(n, "a case needs a name")
	}
	if len(c.Steps) == 0 {
		p.fail(n, "case %q has no conversation: add messages under conversation:", c.Name)
	}
	return c
}

// calls reads "action name: {status: 200, body: ...}"; the body is text, or
// a YAML mapping or list sent as its JSON.
func (p *reader) calls(n ast.Node) map[string]CallStub {
	out := map[string]CallStub{}
	for _, kv := range p.mapping(n, "calls") {
		name := strings.TrimSpace(kv.pos.GetToken().Value)
		stub := CallStub{Status: 200, Pos: p.pos(kv.pos)}
		for _, skv := range p.mapping(kv.val, "the answer of "+name, "status", "body") {
			switch skv.key {
			case "status":
				v := p.scalar(skv.val, "status")
				code, err := strconv.Atoi(v.Text)
				if err != nil || code < 100 || code > 599 {
					p.fail(skv.val, "status is an HTTP status from 100 to 599, not %q", v.Text)
				}
				stub.Status = code
			case "body":
				if text, ok := yamlnode.Text(skv.val); ok {
					stub.Body = text
					continue
				}
				var v any
				if err := yaml.NodeToValue(skv.val, &v); err != nil {
					p.fail(skv.val, "body: %v", err)
				}
				b, err := json.Marshal(v)
				if err != nil {
					p.fail(skv.val, "body cannot be sent as JSON: %v", err)
				}
				stub.Body = string(b)
			}
		}
		out[name] = stub
	}
	return out
}

func (p *reader) step(n ast.Node) Step {
	st := Step{Pos: p.pos(n)}
	for _, kv := range p.mapping(n, "a message", "contact", "agent", "expect") {
		switch kv.key {
		case "contact", "agent":
			if st.Role != "" {
				p.fail(kv.pos, "one message per list item: start a new item with -")
			}
			st.Role = kv.key
			v := p.scalar(kv.val, "the message")
			st.Text, st.Pos = v.Text, p.pos(kv.pos)
		case "expect":
			st.Expect = p.expect(kv.val, p.pos(kv.pos))
		}
	}
	if st.Role == "" {
		p.fail(n, "a message needs contact: (or client:) or agent: with its text")
	}
	if st.Expect != nil && st.Role != "contact" {
		p.fail(n, "expect: follows a contact message, not an agent message")
	}
	return st
}

func (p *reader) expect(n ast.Node, at Pos) *Expect {
	e := &Expect{Pos: at}
	for _, kv := range p.mapping(n, "expect", "scenario", "actions", "reply_contains", "reply_omits", "fields", "lifecycle", "tags", "no_reply") {
		switch kv.key {
		case "scenario":
			v := p.scalar(kv.val, "scenario")
			e.Scenario = &v
		case "actions":
			ap := p.pos(kv.pos)
			e.ActionsPos = &ap
			e.Actions = []ActionExpect{}
			for _, an := range p.sequence(kv.val, "actions") {
				e.Actions = append(e.Actions, p.action(an))
			}
		case "reply_contains":
			e.ReplyContains = p.scalars(kv.val, "reply_contains")
		case "reply_omits":
			e.ReplyOmits = p.scalars(kv.val, "reply_omits")
		case "fields":
			e.Fields, _ = p.stringMap(kv.val, "fields")
		case "lifecycle":
			v := p.scalar(kv.val, "lifecycle")
			e.Lifecycle = &v
		case "tags":
			e.Tags = p.scalars(kv.val, "tags")
		case "no_reply":
			v := p.scalar(kv.val, "no_reply")
			switch strings.ToLower(v.Text) {
			case "true", "yes", "oui", "vrai":
				v.Text = "true"
			case "false", "no", "non", "faux":
				v.Text = "false"
			default:
				p.fail(kv.val, "no_reply is true or false, not %q", v.Text)
			}
			e.NoReply = &v
		}
	}
	return e
}

var kinds = []string{"close", "assign", "unassign", "update_fields", "update_lifecycle", "update_tags", "add_comment", "trigger_workflow", "call"}

func (p *reader) action(n ast.Node) ActionExpect {
	a := ActionExpect{Pos: p.pos(n)}
	kindNode := n
	if _, ok := yamlnode.Unwrap(n).(*ast.StringNode); ok { // "- unassign"
		a.Kind = p.scalar(n, "action").Text
	} else {
		for _, kv := range p.mapping(n, "an action", "kind", "target", "status", "values") {
			switch kv.key {
			case "kind":
				a.Kind, kindNode = p.scalar(kv.val, "kind").Text, kv.val
			case "target":
				a.Target = p.scalar(kv.val, "target").Text
			case "status":
				v := p.scalar(kv.val, "status")
				s, ok := statusAliases[strings.ToLower(v.Text)]
				if !ok {
					p.fail(kv.val, "status %q: use ok, failed or skipped (réussi, échoué, ignoré)", v.Text)
				}
				a.Status = s
			case "values":
				_, a.Values = p.stringMap(kv.val, "values")
			}
		}
	}
	if a.Kind != "" && !slices.Contains(kinds, a.Kind) {
		p.fail(kindNode, "unknown action kind %q: use one of %s", a.Kind, strings.Join(kinds, ", "))
	}
	return a
}
