package workspace

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/instrc/instrc/diag"
)

// Code is the diagnostic code for problems in the workspace file itself.
const Code = "workspace"

// LoadFile reads and loads a workspace file. A file that cannot be read is
// an error; problems inside it are diagnostics.
func LoadFile(path string) (*Workspace, diag.Diagnostics, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	ws, ds := Load(path, b)
	return ws, ds, nil
}

// Load parses a workspace from YAML text. It always returns a workspace
// (possibly partial) and every problem found, each with its position.
func Load(filename string, text []byte) (*Workspace, diag.Diagnostics) {
	l := &loader{src: diag.NewSource(filename, text)}
	ws := &Workspace{File: filename, Source: l.src}
	if !utf8.Valid(text) {
		l.errAt(0, 0, "the workspace file is not valid UTF-8: save it as UTF-8")
		return ws, l.ds
	}
	f, err := parser.ParseBytes(text, 0)
	if err != nil {
		l.yamlError(err)
		return ws, l.ds
	}
	var root ast.Node
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			if root != nil {
				l.errNode(doc.Body, "the workspace file holds several YAML documents: keep only one")
				break
			}
			root = doc.Body
		}
	}
	if root == nil {
		l.errAt(1, 1, "the workspace file is empty: declare at least the names your instructions use")
		return ws, l.ds
	}
	l.workspace(ws, root)
	l.ds.Sort()
	return ws, l.ds
}

type loader struct {
	src *diag.Source
	ds  diag.Diagnostics
}

func (l *loader) errAt(line, col int, msg string) {
	off := l.src.Offset(line, col)
	end := off
	for end < len(l.src.Text) && l.src.Text[end] != '\n' && l.src.Text[end] != ' ' {
		end++
	}
	if line == 0 {
		off, end = 0, 0
	}
	l.ds = append(l.ds, diag.Diagnostic{Severity: diag.Error, Code: Code, Message: msg, Range: l.src.Range(off, end)})
}

func (l *loader) errNode(n ast.Node, format string, args ...any) {
	l.ds = append(l.ds, diag.Diagnostic{Severity: diag.Error, Code: Code, Message: fmt.Sprintf(format, args...), Range: l.rangeOf(n)})
}

// rangeOf returns the source range of a node's own token (the key or the
// scalar), which is what the caret should mark.
func (l *loader) rangeOf(n ast.Node) diag.Range {
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return l.src.Range(0, 0)
	}
	start := l.src.Offset(tk.Position.Line, tk.Position.Column)
	width := len(tk.Origin)
	if s := strings.TrimSpace(tk.Origin); s != "" {
		width = len(s)
	}
	if tk.Value != "" && width < len(tk.Value) {
		width = len(tk.Value)
	}
	end := start + width
	// Stay on the line.
	for i := start; i < end && i < len(l.src.Text); i++ {
		if l.src.Text[i] == '\n' {
			end = i
			break
		}
	}
	if end > len(l.src.Text) {
		end = len(l.src.Text)
	}
	return l.src.Range(start, end)
}

func (l *loader) yamlError(err error) {
	var ye yaml.Error
	if errors.As(err, &ye) {
		tk := ye.GetToken()
		if tk != nil && tk.Position != nil {
			l.errAt(tk.Position.Line, tk.Position.Column, "YAML syntax: "+ye.GetMessage())
			return
		}
		l.errAt(1, 1, "YAML syntax: "+ye.GetMessage())
		return
	}
	l.errAt(1, 1, "YAML syntax: "+err.Error())
}

// entry is one key: value pair of a mapping.
type entry struct {
	key   string
	keyN  ast.Node
	value ast.Node
}

// mapping returns the entries of a mapping node, or reports what was found
// instead.
func (l *loader) mapping(n ast.Node, what string) ([]entry, bool) {
	n = unwrap(n)
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	default:
		l.errNode(n, "%s must be a mapping (key: value lines), found %s", what, describe(n))
		return nil, false
	}
	seen := map[string]bool{}
	out := make([]entry, 0, len(values))
	for _, mv := range values {
		k := mv.Key.String()
		if seen[k] {
			l.errNode(mv.Key, "%q is given twice in %s: keep one", k, what)
			continue
		}
		seen[k] = true
		out = append(out, entry{key: k, keyN: mv.Key, value: mv.Value})
	}
	return out, true
}

func unwrap(n ast.Node) ast.Node {
	for {
		switch t := n.(type) {
		case *ast.TagNode:
			n = t.Value
		case *ast.AnchorNode:
			n = t.Value
		case *ast.DocumentNode:
			n = t.Body
		default:
			return n
		}
	}
}

func describe(n ast.Node) string {
	switch unwrap(n).(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.NullNode, nil:
		return "nothing"
	case *ast.AliasNode:
		return "an alias"
	default:
		return fmt.Sprintf("%q", n.String())
	}
}

func (l *loader) unknownKey(e entry, what string, allowed []string) {
	msg := fmt.Sprintf("unknown key %q in %s: allowed keys are %s", e.key, what, strings.Join(allowed, ", "))
	l.ds = append(l.ds, diag.Diagnostic{Severity: diag.Error, Code: Code, Message: msg, Range: l.rangeOf(e.keyN), Suggestion: nearestKey(e.key, allowed)})
}

func nearestKey(k string, allowed []string) string {
	best, bestD := "", 4
	for _, a := range allowed {
		if d := editDistance(strings.ToLower(k), a); d < bestD {
			best, bestD = a, d
		}
	}
	return best
}

// editDistance is a small Levenshtein for key suggestions.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// scalar returns a scalar's text; a list or mapping is reported.
func (l *loader) scalar(n ast.Node, what string) (string, bool) {
	n = unwrap(n)
	switch s := n.(type) {
	case *ast.StringNode:
		return s.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return s.GetToken().Value, true
	case *ast.LiteralNode:
		return s.Value.Value, true
	case *ast.NullNode, nil:
		l.errNode(n, "%s is empty: give a value", what)
		return "", false
	default:
		l.errNode(n, "%s must be a single value, found %s", what, describe(n))
		return "", false
	}
}

func (l *loader) name(n ast.Node, what string) (Name, bool) {
	s, ok := l.scalar(n, what)
	if !ok {
		return Name{}, false
	}
	if strings.TrimSpace(s) == "" {
		l.errNode(n, "%s is empty: give a name", what)
		return Name{}, false
	}
	return Name{Name: s, Range: l.rangeOf(unwrap(n))}, true
}

func (l *loader) boolean(n ast.Node, what string) bool {
	s, ok := l.scalar(n, what)
	if !ok {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		l.errNode(n, "%s must be true or false, found %q", what, s)
	}
	return b
}

// sequence returns the items of a list.
func (l *loader) sequence(n ast.Node, what string) []ast.Node {
	n = unwrap(n)
	switch s := n.(type) {
	case *ast.SequenceNode:
		return s.Values
	case *ast.NullNode, nil:
		return nil
	default:
		l.errNode(n, "%s must be a list, found %s", what, describe(n))
		return nil
	}
}

// names reads a list of plain names, reporting duplicates.
func (l *loader) names(n ast.Node, what string) []Name {
	var out []Name
	seen := map[string]bool{}
	for _, item := range l.sequence(n, what) {
		nm, ok := l.name(item, "an entry of "+what)
		if !ok {
			continue
		}
		if seen[nm.Name] {
			l.errNode(item, "%q is listed twice in %s: keep one", nm.Name, what)
			continue
		}
		seen[nm.Name] = true
		out = append(out, nm)
	}
	return out
}

var topKeys = []string{"name", "contact_fields", "lifecycle_stages", "closing_notes", "teams", "users", "ai_agents", "tags", "workflows", "actions"}

func (l *loader) workspace(ws *Workspace, root ast.Node) {
	entries, ok := l.mapping(root, "the workspace")
	if !ok {
		return
	}
	for _, e := range entries {
		switch e.key {
		case "name":
			if s, ok := l.scalar(e.value, "name"); ok {
				ws.Name = s
			}
		case "contact_fields":
			l.fields(ws, e.value)
		case "lifecycle_stages":
			ws.Stages = l.names(e.value, "lifecycle_stages")
		case "closing_notes":
			ws.ClosingNotes = l.names(e.value, "closing_notes")
		case "teams":
			l.teams(ws, e.value)
		case "users":
			ws.Users = l.names(e.value, "users")
		case "ai_agents":
			ws.AIAgents = l.names(e.value, "ai_agents")
		case "tags":
			ws.Tags = l.names(e.value, "tags")
		case "workflows":
			l.workflows(ws, e.value)
		case "actions":
			l.actions(ws, e.value)
		default:
			l.unknownKey(e, "the workspace", topKeys)
		}
	}
	l.crossCheck(ws)
}

var fieldKeys = []string{"name", "id", "type", "options"}

func (l *loader) fields(ws *Workspace, n ast.Node) {
	seen := map[string]bool{}
	for _, item := range l.sequence(n, "contact_fields") {
		entries, ok := l.mapping(item, "a contact field")
		if !ok {
			continue
		}
		var f Field
		var typeNode ast.Node
		var optionsNode ast.Node
		for _, e := range entries {
			switch e.key {
			case "name":
				f.Name, _ = l.name(e.value, "the field name")
			case "id":
				f.ID, _ = l.scalar(e.value, "the field id")
			case "type":
				f.Type, _ = l.scalar(e.value, "the field type")
				typeNode = e.value
			case "options":
				optionsNode = e.value
				for _, o := range l.names(e.value, "options") {
					f.Options = append(f.Options, o.Name)
				}
			default:
				l.unknownKey(e, "a contact field", fieldKeys)
			}
		}
		if f.Name.Name == "" {
			l.errNode(item, "a contact field has no name: add `name: ...`")
			continue
		}
		switch {
		case f.Type == "" && typeNode == nil:
			f.Type = "text"
		case !slices.Contains(FieldTypes, f.Type):
			l.errNode(typeNode, "field %q has type %q: use one of %s", f.Name.Name, f.Type, strings.Join(FieldTypes, ", "))
		}
		if f.Type == "list" && len(f.Options) == 0 {
			l.errNode(item, "list field %q has no options: add `options: [...]`", f.Name.Name)
		}
		if f.Type != "list" && optionsNode != nil {
			l.errNode(optionsNode, "field %q has options but its type is %q: options are for list fields", f.Name.Name, f.Type)
		}
		for _, k := range []string{f.Name.Name, f.ID} {
			if k == "" {
				continue
			}
			if seen[k] {
				l.errNode(item, "field name or id %q is used twice: each field needs its own", k)
			}
			seen[k] = true
		}
		if f.ID == f.Name.Name {
			delete(seen, "")
		}
		ws.Fields = append(ws.Fields, f)
	}
}

var teamKeys = []string{"name", "members"}

func (l *loader) teams(ws *Workspace, n ast.Node) {
	seen := map[string]bool{}
	for _, item := range l.sequence(n, "teams") {
		var t Team
		if _, isMap := unwrap(item).(*ast.StringNode); isMap {
			t.Name, _ = l.name(item, "a team")
		} else {
			entries, ok := l.mapping(item, "a team")
			if !ok {
				continue
			}
			for _, e := range entries {
				switch e.key {
				case "name":
					t.Name, _ = l.name(e.value, "the team name")
				case "members":
					for _, m := range l.names(e.value, "members") {
						t.Members = append(t.Members, m.Name)
					}
				default:
					l.unknownKey(e, "a team", teamKeys)
				}
			}
		}
		if t.Name.Name == "" {
			l.errNode(item, "a team has no name: add `name: ...`")
			continue
		}
		if seen[t.Name.Name] {
			l.errNode(item, "team %q is declared twice: keep one", t.Name.Name)
			continue
		}
		seen[t.Name.Name] = true
		ws.Teams = append(ws.Teams, t)
	}
}

var workflowKeys = []string{"name", "published", "trigger", "action", "target"}

func (l *loader) workflows(ws *Workspace, n ast.Node) {
	seen := map[string]bool{}
	for _, item := range l.sequence(n, "workflows") {
		var wf Workflow
		if _, isStr := unwrap(item).(*ast.StringNode); isStr {
			wf.Name, _ = l.name(item, "a workflow")
			wf.Published = true
		} else {
			entries, ok := l.mapping(item, "a workflow")
			if !ok {
				continue
			}
			for _, e := range entries {
				switch e.key {
				case "name":
					wf.Name, _ = l.name(e.value, "the workflow name")
				case "published":
					wf.Published = l.boolean(e.value, "published")
				case "trigger":
					wf.Trigger, _ = l.scalar(e.value, "the workflow trigger")
				case "action":
					wf.Action, _ = l.scalar(e.value, "the workflow action")
				case "target":
					wf.Target, _ = l.scalar(e.value, "the workflow target")
				default:
					l.unknownKey(e, "a workflow", workflowKeys)
				}
			}
		}
		if wf.Name.Name == "" {
			l.errNode(item, "a workflow has no name: add `name: ...`")
			continue
		}
		if seen[wf.Name.Name] {
			l.errNode(item, "workflow %q is declared twice: keep one", wf.Name.Name)
			continue
		}
		seen[wf.Name.Name] = true
		ws.Workflows = append(ws.Workflows, wf)
	}
}

var (
	actionKeys  = []string{"name", "description", "inputs", "request", "response_instructions"}
	inputKeys   = []string{"name", "instructions"}
	requestKeys = []string{"method", "url", "auth"}
	authKeys    = []string{"type", "header", "secret_env"}
)

func (l *loader) actions(ws *Workspace, n ast.Node) {
	seen := map[string]bool{}
	for _, item := range l.sequence(n, "actions") {
		entries, ok := l.mapping(item, "a custom action")
		if !ok {
			continue
		}
		var a Action
		for _, e := range entries {
			switch e.key {
			case "name":
				a.Name, _ = l.name(e.value, "the action name")
			case "description":
				a.Description, _ = l.scalar(e.value, "description")
			case "response_instructions":
				a.ResponseInstructions, _ = l.scalar(e.value, "response_instructions")
			case "inputs":
				for _, in := range l.sequence(e.value, "inputs") {
					ies, ok := l.mapping(in, "an input")
					if !ok {
						continue
					}
					var input Input
					for _, ie := range ies {
						switch ie.key {
						case "name":
							input.Name, _ = l.scalar(ie.value, "the input name")
						case "instructions":
							input.Instructions, _ = l.scalar(ie.value, "instructions")
						default:
							l.unknownKey(ie, "an input", inputKeys)
						}
					}
					if input.Name == "" {
						l.errNode(in, "an input has no name: add `name: ...`")
						continue
					}
					a.Inputs = append(a.Inputs, input)
				}
			case "request":
				l.request(&a, e.value)
			default:
				l.unknownKey(e, "a custom action", actionKeys)
			}
		}
		if a.Name.Name == "" {
			l.errNode(item, "a custom action has no name: add `name: ...`")
			continue
		}
		if seen[a.Name.Name] {
			l.errNode(item, "custom action %q is declared twice: keep one", a.Name.Name)
			continue
		}
		seen[a.Name.Name] = true
		ws.Actions = append(ws.Actions, a)
	}
}

func (l *loader) request(a *Action, n ast.Node) {
	entries, ok := l.mapping(n, "a request")
	if !ok {
		return
	}
	for _, e := range entries {
		switch e.key {
		case "method":
			a.Request.Method, _ = l.scalar(e.value, "method")
			a.Request.Method = strings.ToUpper(a.Request.Method)
			if !slices.Contains([]string{"GET", "POST", "PUT", "PATCH", "DELETE"}, a.Request.Method) {
				l.errNode(e.value, "method %q is not an HTTP method: use GET, POST, PUT, PATCH or DELETE", a.Request.Method)
			}
		case "url":
			a.Request.URL, _ = l.scalar(e.value, "url")
			if !strings.HasPrefix(a.Request.URL, "https://") && !strings.HasPrefix(a.Request.URL, "http://") {
				l.errNode(e.value, "url %q must start with https:// or http://", a.Request.URL)
			}
		case "auth":
			aes, ok := l.mapping(e.value, "auth")
			if !ok {
				continue
			}
			for _, ae := range aes {
				switch ae.key {
				case "type":
					a.Request.Auth.Type, _ = l.scalar(ae.value, "auth type")
				case "header":
					a.Request.Auth.Header, _ = l.scalar(ae.value, "auth header")
				case "secret_env":
					a.Request.Auth.SecretEnv, _ = l.scalar(ae.value, "secret_env")
				default:
					l.unknownKey(ae, "auth", authKeys)
				}
			}
		default:
			l.unknownKey(e, "a request", requestKeys)
		}
	}
}

// crossCheck reports names that point at nothing: team members that are not
// users, and names declared as two kinds of assignee are left to the compiler
// (they are only a problem when an instruction uses them).
func (l *loader) crossCheck(ws *Workspace) {
	if len(ws.Users) == 0 {
		return
	}
	users := map[string]bool{}
	for _, u := range ws.Users {
		users[u.Name] = true
	}
	for _, t := range ws.Teams {
		for _, m := range t.Members {
			if !users[m] {
				l.ds = append(l.ds, diag.Diagnostic{Severity: diag.Error, Code: Code,
					Message: fmt.Sprintf("team %q lists member %q, who is not in users: add them to users or fix the name", t.Name.Name, m),
					Range:   t.Name.Range})
			}
		}
	}
}
