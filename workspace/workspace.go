// Package workspace loads the workspace file: the exact names (fields,
// lifecycle stages, closing notes, teams, users, AI agents, tags, workflows,
// custom actions) that instructions may use. The file is read from the YAML
// syntax tree rather than decoded into structs, so that every problem in it is
// reported with its own line and column, all at once, and every name keeps the
// position where it is declared (for hover and go-to-definition).
package workspace

import (
	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/ir"
)

// FieldTypes are the contact field types a workspace may declare.
var FieldTypes = []string{"text", "number", "email", "phone", "date", "list", "checkbox", "url"}

// Name is a declared name and where it is declared.
type Name struct {
	Name  string
	Range diag.Range
}

// Field is a contact field.
type Field struct {
	Name
	ID      string
	Type    string
	Options []string
}

// Team is a team with its members.
type Team struct {
	Name
	Members []string
}

// Workflow is one of the workspace's own automations. Published workflows may
// be triggered with `!name`; workflows with a Trigger run by themselves and are
// checked against the scenarios' assignments.
type Workflow struct {
	Name
	Published bool
	Trigger   string
	Action    string
	Target    string
}

// Input is an input a custom action collects from the conversation.
type Input struct {
	Name         string
	Instructions string
}

// Auth is how a custom action authenticates; the secret is read from the
// environment variable SecretEnv at run time, never stored in the file.
type Auth struct {
	Type      string
	Header    string
	SecretEnv string
}

// Request is the HTTP request a custom action sends.
type Request struct {
	Method string
	URL    string
	Auth   Auth
}

// Action is a custom HTTP action, called as `!name`.
type Action struct {
	Name
	Description          string
	Inputs               []Input
	Request              Request
	ResponseInstructions string
}

// Workspace is a loaded workspace file.
type Workspace struct {
	File         string
	Source       *diag.Source
	Name         string
	Fields       []Field
	Stages       []Name
	ClosingNotes []Name
	Teams        []Team
	Users        []Name
	AIAgents     []Name
	Tags         []Name
	Workflows    []Workflow
	Actions      []Action
	// PhoneRegion is the country assumed for phone numbers written without
	// a +country prefix (`phone_region: FR`); empty: the plan language's.
	PhoneRegion string
	// AllowPrivateNetworks lists the loopback, private and link-local
	// networks (CIDR prefixes) custom actions may reach; others are refused.
	AllowPrivateNetworks []string
}

// Field finds a field by name or id (exact match).
func (w *Workspace) Field(name string) (*Field, bool) {
	for i := range w.Fields {
		f := &w.Fields[i]
		if f.Name.Name == name || (f.ID != "" && f.ID == name) {
			return f, true
		}
	}
	return nil, false
}

// Team finds a team by exact name.
func (w *Workspace) Team(name string) (*Team, bool) {
	for i := range w.Teams {
		if w.Teams[i].Name.Name == name {
			return &w.Teams[i], true
		}
	}
	return nil, false
}

// Workflow finds a workflow by exact name.
func (w *Workspace) Workflow(name string) (*Workflow, bool) {
	for i := range w.Workflows {
		if w.Workflows[i].Name.Name == name {
			return &w.Workflows[i], true
		}
	}
	return nil, false
}

// Action finds a custom action by exact name.
func (w *Workspace) Action(name string) (*Action, bool) {
	for i := range w.Actions {
		if w.Actions[i].Name.Name == name {
			return &w.Actions[i], true
		}
	}
	return nil, false
}

// Names returns the plain names of a list of declared names.
func Names(ns []Name) []string {
	if len(ns) == 0 {
		return nil // as a plan read back from JSON has it
	}
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Name
	}
	return out
}

// FieldNames returns every field name and id, for suggestions.
func (w *Workspace) FieldNames() []string {
	var out []string
	for _, f := range w.Fields {
		out = append(out, f.Name.Name)
		if f.ID != "" && f.ID != f.Name.Name {
			out = append(out, f.ID)
		}
	}
	return out
}

// IR returns the part of the workspace that a plan carries for the runtime.
func (w *Workspace) IR() *ir.Workspace {
	if w == nil {
		return nil
	}
	out := &ir.Workspace{
		Name:                 w.Name,
		Stages:               Names(w.Stages),
		ClosingNotes:         Names(w.ClosingNotes),
		Users:                Names(w.Users),
		AIAgents:             Names(w.AIAgents),
		Tags:                 Names(w.Tags),
		PhoneRegion:          w.PhoneRegion,
		AllowPrivateNetworks: w.AllowPrivateNetworks,
	}
	for _, f := range w.Fields {
		out.Fields = append(out.Fields, ir.Field{Name: f.Name.Name, ID: f.ID, Type: f.Type, Options: f.Options})
	}
	for _, t := range w.Teams {
		out.Teams = append(out.Teams, ir.Team{Name: t.Name.Name, Members: t.Members})
	}
	for _, wf := range w.Workflows {
		if wf.Published {
			out.Workflows = append(out.Workflows, wf.Name.Name)
		}
	}
	for _, a := range w.Actions {
		ca := ir.CustomAction{Name: a.Name.Name, Description: a.Description, Method: a.Request.Method, URL: a.Request.URL, ResponseInstructions: a.ResponseInstructions}
		if au := a.Request.Auth; au != (Auth{}) {
			// The environment variable's name only: the secret is read at
			// run time and never lands in a plan.
			ca.Auth = &ir.ActionAuth{Type: au.Type, Header: au.Header, SecretEnv: au.SecretEnv}
		}
		for _, in := range a.Inputs {
			ca.Inputs = append(ca.Inputs, ir.ActionInput{Name: in.Name, Instructions: in.Instructions})
		}
		out.CustomActions = append(out.CustomActions, ca)
	}
	return out
}
