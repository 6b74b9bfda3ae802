// Package schemas generates the JSON Schemas of the YAML files authors edit
// (workspace.yaml, instrc.yaml and scenario test files) from Go types that
// describe them, with github.com/invopop/jsonschema. The schemas are
// published next to this file; editors (the VS Code extension, any editor
// with the YAML language server) use them for completion and checks. The
// loaders stay the reference: the tests check that every example the
// loaders accept validates, and that the schemas' keys are the loaders'.
//
// After changing a type, rewrite the schemas with
//
//	go test ./schemas -update
package schemas

import "github.com/invopop/jsonschema"

// Scalar is a YAML scalar the loaders read as text: a string, a number or
// a boolean (`Budget: 5000`, `Plan: Pro`).
type Scalar struct{}

// JSONSchema accepts a string, a number or a boolean.
func (Scalar) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{{Type: "string"}, {Type: "number"}, {Type: "boolean"}}}
}

// Workspace is workspace.yaml: the exact names instructions may use.
type Workspace struct {
	Name                 string         `json:"name,omitempty" jsonschema_description:"The workspace's name, for people."`
	ContactFields        []ContactField `json:"contact_fields,omitempty" jsonschema_description:"Contact fields the agent may save (\"save it as the Budget field\")."`
	LifecycleStages      []string       `json:"lifecycle_stages,omitempty" jsonschema_description:"Lifecycle stages, in order (\"update the lifecycle stage to Qualified\")."`
	ClosingNotes         []string       `json:"closing_notes,omitempty" jsonschema_description:"Closing notes (\"close the conversation with closing note \\\"Spam\\\"\")."`
	Teams                []Team         `json:"teams,omitempty" jsonschema_description:"Teams conversations are assigned to (@Sales Team): a name, or a name and its members."`
	Users                []string       `json:"users,omitempty" jsonschema_description:"Users conversations may be assigned to (@alice)."`
	AIAgents             []string       `json:"ai_agents,omitempty" jsonschema_description:"AI agents conversations may be handed to (@Billing Bot)."`
	Tags                 []string       `json:"tags,omitempty" jsonschema_description:"Tags the agent may add or remove (%Pricing)."`
	Workflows            []Workflow     `json:"workflows,omitempty" jsonschema_description:"The workspace's own automations: published ones may be triggered (!name); those with a trigger are checked against the scenarios' assignments."`
	Actions              []Action       `json:"actions,omitempty" jsonschema_description:"Custom HTTP actions the agent calls (!name)."`
	PhoneRegion          string         `json:"phone_region,omitempty" jsonschema:"pattern=^[A-Za-z]{2}$" jsonschema_description:"Country (ISO 3166 code such as FR) assumed for phone numbers written without a +country prefix."`
	AllowPrivateNetworks []string       `json:"allow_private_networks,omitempty" jsonschema_description:"Loopback, private and link-local networks custom actions may reach (CIDR prefixes or addresses such as 10.0.0.0/8 or 127.0.0.1); others are refused."`
}

// ContactField is one contact field.
type ContactField struct {
	Name    string   `json:"name" jsonschema:"required" jsonschema_description:"The field's name, matched exactly (case and accents included)."`
	ID      string   `json:"id,omitempty" jsonschema_description:"The field's id, usable in place of its name and in templates ({{$contact.id}})."`
	Type    string   `json:"type,omitempty" jsonschema:"enum=text,enum=number,enum=email,enum=phone,enum=date,enum=list,enum=checkbox,enum=url,default=text" jsonschema_description:"The value's type, checked when the agent saves one."`
	Options []string `json:"options,omitempty" jsonschema_description:"The values a list field may take."`
}

// Team is a team: its name alone, or its name and members.
type Team struct{}

// team is a team written as a mapping.
type team struct {
	Name    string   `json:"name" jsonschema:"required" jsonschema_description:"The team's name (@Sales Team)."`
	Members []string `json:"members,omitempty" jsonschema_description:"Users of the team; round robin shares conversations among them."`
}

// JSONSchema accepts a name or a mapping.
func (Team) JSONSchema() *jsonschema.Schema { return nameOr(&team{}, "A team's name.") }

// Workflow is a workflow: its name alone (published), or a mapping.
type Workflow struct{}

// workflow is a workflow written as a mapping.
type workflow struct {
	Name      string `json:"name" jsonschema:"required" jsonschema_description:"The workflow's name (!name)."`
	Published bool   `json:"published,omitempty" jsonschema_description:"Whether the agent may trigger it; a workflow written as a bare name is published."`
	Trigger   string `json:"trigger,omitempty" jsonschema:"examples=conversation_opened,examples=tag_added: Refund,examples=lifecycle_changed: Qualified,examples=field_updated: Budget" jsonschema_description:"The event that runs it by itself: conversation_opened, tag_added: <tag>, lifecycle_changed[: <stage>] or field_updated[: <field>]."`
	Action    string `json:"action,omitempty" jsonschema:"examples=assign" jsonschema_description:"What it does when triggered; assign is checked against the scenarios (workflow-conflict)."`
	Target    string `json:"target,omitempty" jsonschema_description:"Whom it assigns to: a team, user or AI agent of the workspace."`
}

// JSONSchema accepts a name or a mapping.
func (Workflow) JSONSchema() *jsonschema.Schema {
	return nameOr(&workflow{}, "A published workflow's name.")
}

// Action is a custom HTTP action.
type Action struct {
	Name                 string  `json:"name" jsonschema:"required" jsonschema_description:"The action's name (!name)."`
	Description          string  `json:"description,omitempty" jsonschema_description:"What the action does, for the model that decides to call it."`
	Inputs               []Input `json:"inputs,omitempty" jsonschema_description:"What the agent collects from the conversation before calling; each becomes {name} in the URL or a field of the body."`
	Request              Request `json:"request,omitempty" jsonschema_description:"The HTTP request the action sends."`
	ResponseInstructions string  `json:"response_instructions,omitempty" jsonschema_description:"How the agent should use the response in its reply."`
}

// Input is one input of a custom action.
type Input struct {
	Name         string `json:"name" jsonschema:"required" jsonschema_description:"The input's name, as in {name} in the URL."`
	Instructions string `json:"instructions,omitempty" jsonschema_description:"How to collect it (\"digits only, e.g. 10234\")."`
}

// Request is a custom action's HTTP request.
type Request struct {
	Method string `json:"method,omitempty" jsonschema:"enum=GET,enum=POST,enum=PUT,enum=PATCH,enum=DELETE,enum=get,enum=post,enum=put,enum=patch,enum=delete" jsonschema_description:"The HTTP method."`
	URL    string `json:"url,omitempty" jsonschema:"pattern=^https?://" jsonschema_description:"The URL, with {input} placeholders; use https:// when the request carries a secret."`
	Auth   Auth   `json:"auth,omitempty" jsonschema_description:"How the request authenticates."`
}

// Auth is how a custom action authenticates.
type Auth struct {
	Type      string `json:"type,omitempty" jsonschema:"enum=api_key,enum=bearer,enum=none,default=api_key" jsonschema_description:"api_key sends the secret in a header; bearer as Authorization: Bearer; none (an open API) sends no secret."`
	Header    string `json:"header,omitempty" jsonschema_description:"For api_key: the header that carries the secret."`
	SecretEnv string `json:"secret_env,omitempty" jsonschema:"pattern=^[A-Za-z_][A-Za-z0-9_]*$" jsonschema_description:"The environment variable that holds the secret; the secret itself is never written in the file."`
}

// Config is instrc.yaml: the project's settings.
type Config struct {
	Workspace string            `json:"workspace,omitempty" jsonschema_description:"The workspace file for instruction files without workspace: in their front matter, relative to instrc.yaml."`
	Language  string            `json:"language,omitempty" jsonschema:"enum=en,enum=fr" jsonschema_description:"The language of the messages (en or fr); by default each file's."`
	Rules     map[string]string `json:"rules,omitempty" jsonschema_description:"Diagnostic codes turned off or given another severity."`
	Ignore    []string          `json:"ignore,omitempty" jsonschema_description:"Glob patterns of files lint skips when it walks folders (a file named on the command line is always linted)."`
}

// TestFile is a scenario test file (agent.test.yaml). Every key may be
// written in English or in French.
type TestFile struct {
	Agent     string          `json:"agent,omitempty" jsonschema_description:"The instruction file under test, relative to the test file; by default the file named like it (agent.test.yaml tests agent.instr)."`
	Workspace string          `json:"workspace,omitempty" jsonschema_description:"A workspace file that replaces the agent's."`
	Now       string          `json:"now,omitempty" jsonschema:"format=date-time" jsonschema_description:"The time the conversations happen at (RFC 3339)."`
	Calls     map[string]Call `json:"calls,omitempty" jsonschema_description:"What each custom action answers in every case, by action name."`
	Cases     []Case          `json:"cases" jsonschema:"required" jsonschema_description:"The conversations and what the agent must have done."`
}

// Call is what a custom action answers in a test instead of its API.
type Call struct {
	Status int `json:"status,omitempty" jsonschema:"minimum=100,maximum=599" jsonschema_description:"The HTTP status."`
	Body   any `json:"body,omitempty" jsonschema_description:"The response body."`
}

// Case is one conversation with expectations.
type Case struct {
	Name         string          `json:"name,omitempty" jsonschema_description:"What the case shows."`
	Contact      Contact         `json:"contact,omitempty" jsonschema_description:"The contact the conversation starts with."`
	Calls        map[string]Call `json:"calls,omitempty" jsonschema_description:"What custom actions answer in this case, over the file's calls."`
	Conversation []Message       `json:"conversation" jsonschema:"required" jsonschema_description:"The messages, in order."`
}

// Contact is the contact a case starts with.
type Contact struct {
	Fields    map[string]Scalar `json:"fields,omitempty" jsonschema_description:"Contact field values, by name or id."`
	Lifecycle string            `json:"lifecycle,omitempty" jsonschema_description:"The lifecycle stage."`
	Tags      []string          `json:"tags,omitempty" jsonschema_description:"Tags the contact has."`
}

// Message is one message: the contact's (a turn, with expectations) or the
// agent's (history).
type Message struct {
	Contact string  `json:"contact,omitempty" jsonschema_description:"A message from the contact: the agent takes a turn."`
	Agent   string  `json:"agent,omitempty" jsonschema_description:"A message the agent sent before, for the history."`
	Expect  *Expect `json:"expect,omitempty" jsonschema_description:"What must hold after the contact's message."`
}

// Expect is what must hold after a contact message; what is left out is
// not checked.
type Expect struct {
	Scenario      string            `json:"scenario,omitempty" jsonschema:"examples=line 12,examples=s3,examples=none" jsonschema_description:"The scenario that applies: line N, sN, or none."`
	Actions       []ActionExpect    `json:"actions,omitempty" jsonschema_description:"The turn's actions, in order; an empty list means none."`
	ReplyContains StringOrList      `json:"reply_contains,omitempty" jsonschema_description:"Text the reply must contain."`
	ReplyOmits    StringOrList      `json:"reply_omits,omitempty" jsonschema_description:"Text the reply must not contain."`
	Fields        map[string]Scalar `json:"fields,omitempty" jsonschema_description:"Contact field values after the turn."`
	Lifecycle     string            `json:"lifecycle,omitempty" jsonschema_description:"The lifecycle stage after the turn."`
	Tags          StringOrList      `json:"tags,omitempty" jsonschema_description:"Tags the contact has after the turn."`
	NoReply       Scalar            `json:"no_reply,omitempty" jsonschema_description:"true when the agent must not reply (true, false, yes, no, oui, non, vrai, faux)."`
}

// ActionExpect is one expected action: its kind alone, or a mapping whose
// empty members match anything.
type ActionExpect struct{}

// actionExpect is an expected action written as a mapping.
type actionExpect struct {
	Kind   string            `json:"kind,omitempty" jsonschema:"examples=assign,examples=update_fields,examples=update_tags,examples=update_lifecycle,examples=close,examples=call,examples=trigger_workflow" jsonschema_description:"The action's type."`
	Target string            `json:"target,omitempty" jsonschema_description:"The assignee, stage, closing note, workflow, custom action or added tag."`
	Status string            `json:"status,omitempty" jsonschema:"enum=ok,enum=failed,enum=skipped,enum=réussi,enum=échoué,enum=ignoré" jsonschema_description:"How the action went."`
	Values map[string]Scalar `json:"values,omitempty" jsonschema_description:"For update_fields: the values written."`
}

// JSONSchema accepts a kind or a mapping.
func (ActionExpect) JSONSchema() *jsonschema.Schema {
	return nameOr(&actionExpect{}, "The action's type.")
}

// StringOrList is one text or a list of texts.
type StringOrList struct{}

// JSONSchema accepts a scalar or a list of scalars.
func (StringOrList) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{Scalar{}.JSONSchema(), {Type: "array", Items: Scalar{}.JSONSchema()}}}
}
