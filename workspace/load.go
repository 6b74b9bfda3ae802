package workspace

import (
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"

	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/internal/yamlnode"
	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/lang"
	"github.com/instrc/instrc/stdlib"
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
	docs, err := yamlnode.Parse(text)
	if err != nil {
		l.yamlError(err)
		return ws, l.ds
	}
	if len(docs) == 0 {
		l.errAt(1, 1, "the workspace file is empty: declare at least the names your instructions use")
		return ws, l.ds
	}
	if len(docs) > 1 {
		l.errNode(docs[1], "the workspace file holds several YAML documents: keep only one")
	}
	l.workspace(ws, docs[0])
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

func (l *loader) rangeOf(n ast.Node) diag.Range { return yamlnode.Range(l.src, n) }

func (l *loader) yamlError(err error) {
	msg, at := yamlnode.ParseError(err)
	if at == nil {
		l.errAt(1, 1, "YAML syntax: "+msg)
		return
	}
	l.errAt(at.Line, at.Column, "YAML syntax: "+msg)
}

// mapping returns the entries of a mapping node, reporting a key given
// twice, or reports what was found instead.
func (l *loader) mapping(n ast.Node, what string) ([]yamlnode.Pair, bool) {
	pairs, ok := yamlnode.Pairs(n)
	if !ok {
		n = yamlnode.Unwrap(n)
		l.errNode(n, "%s must be a mapping (key: value lines), found %s", what, yamlnode.Describe(n))
		return nil, false
	}
	seen := map[string]bool{}
	out := pairs[:0]
	for _, p := range pairs {
		if seen[p.Key] {
			l.errNode(p.KeyNode, "%q is given twice in %s: keep one", p.Key, what)
			continue
		}
		seen[p.Key] = true
		out = append(out, p)
	}
	return out, true
}

func (l *loader) unknownKey(e yamlnode.Pair, what string, allowed []string) {
	msg := fmt.Sprintf("unknown key %q in %s: allowed keys are %s", e.Key, what, strings.Join(allowed, ", "))
	l.ds = append(l.ds, diag.Diagnostic{Severity: diag.Error, Code: Code, Message: msg, Range: l.rangeOf(e.KeyNode), Suggestion: lang.Nearest(e.Key, allowed)})
}

// scalar returns a scalar's text; a list or mapping is reported.
func (l *loader) scalar(n ast.Node, what string) (string, bool) {
	if s, ok := yamlnode.Text(n); ok {
		return s, true
	}
	n = yamlnode.Unwrap(n)
	if yamlnode.IsNull(n) {
		l.errNode(n, "%s is empty: give a value", what)
	} else {
		l.errNode(n, "%s must be a single value, found %s", what, yamlnode.Describe(n))
	}
	return "", false
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
	return Name{Name: s, Range: l.rangeOf(yamlnode.Unwrap(n))}, true
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
	items, ok := yamlnode.Items(n)
	if !ok && !yamlnode.IsNull(n) {
		n = yamlnode.Unwrap(n)
		l.errNode(n, "%s must be a list, found %s", what, yamlnode.Describe(n))
	}
	return items
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

var topKeys = []string{"name", "contact_fields", "lifecycle_stages", "closing_notes", "teams", "users", "ai_agents", "tags", "workflows", "actions", "phone_region", "allow_private_networks"}

func (l *loader) workspace(ws *Workspace, root ast.Node) {
	entries, ok := l.mapping(root, "the workspace")
	if !ok {
		return
	}
	for _, e := range entries {
		switch e.Key {
		case "name":
			if s, ok := l.scalar(e.Value, "name"); ok {
				ws.Name = s
			}
		case "contact_fields":
			l.fields(ws, e.Value)
		case "lifecycle_stages":
			ws.Stages = l.names(e.Value, "lifecycle_stages")
		case "closing_notes":
			ws.ClosingNotes = l.names(e.Value, "closing_notes")
		case "teams":
			l.teams(ws, e.Value)
		case "users":
			ws.Users = l.names(e.Value, "users")
		case "ai_agents":
			ws.AIAgents = l.names(e.Value, "ai_agents")
		case "tags":
			ws.Tags = l.names(e.Value, "tags")
		case "workflows":
			l.workflows(ws, e.Value)
		case "actions":
			l.actions(ws, e.Value)
		case "phone_region":
			if s, ok := l.scalar(e.Value, "phone_region"); ok {
				r := strings.ToUpper(strings.TrimSpace(s))
				if !stdlib.KnownPhoneRegion(r) {
					l.errNode(yamlnode.Unwrap(e.Value), "phone_region %q is not a country code: use a two-letter ISO 3166 code such as FR, GB, US or BE", s)
					continue
				}
				ws.PhoneRegion = r
			}
		case "allow_private_networks":
			l.privateNetworks(ws, e.Value)
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
			switch e.Key {
			case "name":
				f.Name, _ = l.name(e.Value, "the field name")
			case "id":
				f.ID, _ = l.scalar(e.Value, "the field id")
			case "type":
				f.Type, _ = l.scalar(e.Value, "the field type")
				typeNode = e.Value
			case "options":
				optionsNode = e.Value
				for _, o := range l.names(e.Value, "options") {
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
		if _, isMap := yamlnode.Unwrap(item).(*ast.StringNode); isMap {
			t.Name, _ = l.name(item, "a team")
		} else {
			entries, ok := l.mapping(item, "a team")
			if !ok {
				continue
			}
			for _, e := range entries {
				switch e.Key {
				case "name":
					t.Name, _ = l.name(e.Value, "the team name")
				case "members":
					for _, m := range l.names(e.Value, "members") {
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
		if _, isStr := yamlnode.Unwrap(item).(*ast.StringNode); isStr {
			wf.Name, _ = l.name(item, "a workflow")
			wf.Published = true
		} else {
			entries, ok := l.mapping(item, "a workflow")
			if !ok {
				continue
			}
			for _, e := range entries {
				switch e.Key {
				case "name":
					wf.Name, _ = l.name(e.Value, "the workflow name")
				case "published":
					wf.Published = l.boolean(e.Value, "published")
				case "trigger":
					wf.Trigger, _ = l.scalar(e.Value, "the workflow trigger")
				case "action":
					wf.Action, _ = l.scalar(e.Value, "the workflow action")
				case "target":
					wf.Target, _ = l.scalar(e.Value, "the workflow target")
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
			switch e.Key {
			case "name":
				a.Name, _ = l.name(e.Value, "the action name")
			case "description":
				a.Description, _ = l.scalar(e.Value, "description")
			case "response_instructions":
				a.ResponseInstructions, _ = l.scalar(e.Value, "response_instructions")
			case "inputs":
				for _, in := range l.sequence(e.Value, "inputs") {
					ies, ok := l.mapping(in, "an input")
					if !ok {
						continue
					}
					var input Input
					for _, ie := range ies {
						switch ie.Key {
						case "name":
							input.Name, _ = l.scalar(ie.Value, "the input name")
						case "instructions":
							input.Instructions, _ = l.scalar(ie.Value, "instructions")
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
				l.request(&a, e.Value)
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

// privateNetworks reads allow_private_networks: the loopback, private and
// link-local networks custom actions may reach, as CIDR prefixes or single
// addresses.
func (l *loader) privateNetworks(ws *Workspace, n ast.Node) {
	seq, ok := yamlnode.Unwrap(n).(*ast.SequenceNode)
	if !ok {
		l.errNode(n, "allow_private_networks must be a list of networks, e.g. [10.0.0.0/8, 127.0.0.1]")
		return
	}
	for _, v := range seq.Values {
		s, ok := l.scalar(v, "a network")
		if !ok {
			continue
		}
		s = strings.TrimSpace(s)
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				l.errNode(v, "%q is not a network: write a CIDR prefix such as 10.0.0.0/8 or fd00::/8, or an address such as 127.0.0.1", s)
				continue
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		ws.AllowPrivateNetworks = append(ws.AllowPrivateNetworks, p.Masked().String())
	}
}

func (l *loader) request(a *Action, n ast.Node) {
	entries, ok := l.mapping(n, "a request")
	if !ok {
		return
	}
	var urlNode ast.Node
	defer func() {
		// A secret sent over plain HTTP can be read on the way.
		if urlNode != nil && a.Request.Auth.SecretEnv != "" && strings.HasPrefix(strings.ToLower(a.Request.URL), "http://") {
			l.ds = append(l.ds, diag.Diagnostic{Severity: diag.Warning, Code: Code, Range: l.rangeOf(urlNode),
				Message: fmt.Sprintf("action %q sends its secret (%s) over http://, where anyone on the way can read it: use https://", a.Name.Name, a.Request.Auth.SecretEnv)})
		}
	}()
	for _, e := range entries {
		switch e.Key {
		case "method":
			a.Request.Method, _ = l.scalar(e.Value, "method")
			a.Request.Method = strings.ToUpper(a.Request.Method)
			if !slices.Contains([]string{"GET", "POST", "PUT", "PATCH", "DELETE"}, a.Request.Method) {
				l.errNode(e.Value, "method %q is not an HTTP method: use GET, POST, PUT, PATCH or DELETE", a.Request.Method)
			}
		case "url":
			urlNode = e.Value
			a.Request.URL, _ = l.scalar(e.Value, "url")
			if !strings.HasPrefix(a.Request.URL, "https://") && !strings.HasPrefix(a.Request.URL, "http://") {
				l.errNode(e.Value, "url %q must start with https:// or http://", a.Request.URL)
			}
		case "auth":
			aes, ok := l.mapping(e.Value, "auth")
			if !ok {
				continue
			}
			defer l.checkAuth(a, e.Value)
			for _, ae := range aes {
				switch ae.Key {
				case "type":
					a.Request.Auth.Type, _ = l.scalar(ae.Value, "auth type")
				case "header":
					a.Request.Auth.Header, _ = l.scalar(ae.Value, "auth header")
				case "secret_env":
					a.Request.Auth.SecretEnv, _ = l.scalar(ae.Value, "secret_env")
				default:
					l.unknownKey(ae, "auth", authKeys)
				}
			}
		default:
			l.unknownKey(e, "a request", requestKeys)
		}
	}
}

// checkAuth reports an auth the runtime could not use, so that lint and
// runtime agree: a type other than api_key, bearer or none; api_key or
// bearer without the secret_env that holds the secret; none with a secret.
func (l *loader) checkAuth(a *Action, n ast.Node) {
	au := a.Request.Auth
	switch strings.TrimSpace(au.Type) {
	case "", ir.AuthAPIKey, ir.AuthBearer:
		if strings.TrimSpace(au.SecretEnv) == "" {
			l.errNode(n, "the auth of action %q names no secret_env, the environment variable that holds its secret: add secret_env, or use auth: {type: none} for an API without a secret", a.Name.Name)
		}
	case ir.AuthNone:
		if au.SecretEnv != "" || au.Header != "" {
			l.errNode(n, "the auth of action %q is none, so it sends no secret: remove secret_env and header, or use type api_key or bearer", a.Name.Name)
		}
	default:
		l.errNode(n, "auth type %q of action %q is not known: use api_key, bearer or none", au.Type, a.Name.Name)
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
