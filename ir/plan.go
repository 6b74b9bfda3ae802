// Package ir defines the action plan: what the compiler writes and the
// runtime reads. It is plain data with a JSON form (docs/design.md, "Contracts").
// The plan is the allow-list of everything the runtime may do: every team,
// stage, closing note, tag, field and workflow the runtime may touch is named
// here with the workspace's exact spelling, so that the runtime never needs
// the workspace file or the grammar.
package ir

// Version is the plan format version written by this compiler.
const Version = 1

// Plan is a compiled instruction file.
type Plan struct {
	Version  int    `json:"version"`
	Language string `json:"language"` // "en" or "fr"
	// Guidance is the prose of the file (headings, paragraphs) passed to the
	// reply model as-is, in source order.
	Guidance  []string   `json:"guidance"`
	Scenarios []Scenario `json:"scenarios"`
	// Workspace holds what the runtime needs to know about the workspace the
	// plan was compiled against: field types for validating values, the
	// closing notes a model may pick, the teams. It is optional so that
	// hand-written plans stay small.
	Workspace *Workspace `json:"workspace,omitempty"`
}

// Scenario is one condition with its chain of actions and its reply.
type Scenario struct {
	ID        string    `json:"id"`   // "s1", "s2", ... in source order
	Line      int       `json:"line"` // 1-based line of the scenario in the source
	Condition Condition `json:"condition"`
	Actions   []Action  `json:"actions"`
	// Collect lists what the agent must ask the contact for before the
	// actions run ("collect the phone number"): free text, not an action.
	Collect []string `json:"collect,omitempty"`
	Reply   *Reply   `json:"reply,omitempty"`
	// Source is the scenario's text as written.
	Source string `json:"source,omitempty"`
}

// Condition says when a scenario applies. Text is the author's words; the
// other fields are what the compiler could make of them, for the matcher.
type Condition struct {
	Text string `json:"text"`
	// Always is true for a scenario written without a condition.
	Always bool `json:"always,omitempty"`
	// Fallback is true for a scenario that applies only when no other
	// does: "If no clear intent → assign to @Support", "Dans les autres
	// cas, …", and "Otherwise, …" after a scenario. The runtime chooses it
	// only when no other scenario matches.
	Fallback bool `json:"fallback,omitempty"`
	// Answers is "yes" or "no" for a scenario that is the contact's answer
	// to Question ("Does the contact have an account? If so, …"). The
	// runtime considers it only right after the agent asked that question.
	Answers  string `json:"answers,omitempty"`
	Question string `json:"question,omitempty"`
	// Intents are stdlib intent names recognised in the text
	// ("no_more_questions", "pricing").
	Intents []string `json:"intents,omitempty"`
	// Keywords are content words of the condition, lower-cased, for
	// matching inbound messages when no intent fits.
	Keywords []string `json:"keywords,omitempty"`
	// State lists the checks on contact/conversation state found in the
	// condition; all must hold for the scenario to apply.
	State []StateCheck `json:"state,omitempty"`
}

// StateCheck kinds.
const (
	StateFieldEmpty    = "field_empty"    // Field is empty
	StateFieldSet      = "field_set"      // Field has a value
	StateFieldEquals   = "field_equals"   // Field == Value
	StateLifecycleIs   = "lifecycle_is"   // lifecycle stage == Value
	StateBusinessHours = "business_hours" // within business hours (Negate: outside)
)

// StateCheck is a condition on state the runtime can evaluate exactly.
type StateCheck struct {
	Kind   string `json:"kind"`
	Field  string `json:"field,omitempty"`
	Value  string `json:"value,omitempty"`
	Negate bool   `json:"negate,omitempty"`
}

// Action kinds (the "kind" field of an action).
const (
	KindClose           = "close"
	KindAssign          = "assign"
	KindUnassign        = "unassign"
	KindUpdateFields    = "update_fields"
	KindUpdateLifecycle = "update_lifecycle"
	KindUpdateTags      = "update_tags"
	KindAddComment      = "add_comment"
	KindTriggerWorkflow = "trigger_workflow"
	KindCall            = "call"
)

// Assignee types.
const (
	TargetTeam    = "team"
	TargetUser    = "user"
	TargetAIAgent = "ai_agent"
)

// Assignment methods.
const (
	MethodRoundRobin = "round_robin"
	MethodLeastOpen  = "least_open"
)

// Action is one step the runtime executes. Only the fields of its Kind are
// set; the JSON form omits the rest.
type Action struct {
	Kind string `json:"kind"`

	// close
	ClosingNote string `json:"closingNote,omitempty"`
	// Summary: whether to write a summary of the last 20 messages on close.
	// Always present for close actions.
	Summary *bool `json:"summary,omitempty"`
	// SummaryGuidance is what the summary should focus on ("summarizing the
	// refund request").
	SummaryGuidance string `json:"summaryGuidance,omitempty"`

	// assign
	Target *Target `json:"target,omitempty"`
	Method string  `json:"method,omitempty"`

	// update_fields
	Fields []FieldUpdate `json:"fields,omitempty"`

	// update_lifecycle
	Stage string `json:"stage,omitempty"`

	// update_tags
	Add    []string `json:"add,omitempty"`
	Remove []string `json:"remove,omitempty"`

	// add_comment
	Text     string   `json:"text,omitempty"`
	Mentions []string `json:"mentions,omitempty"`

	// trigger_workflow
	Workflow string `json:"workflow,omitempty"`

	// call
	ActionName string `json:"action,omitempty"`
}

// WantsSummary reports whether a close action asks for a summary (the
// default when not said otherwise).
func (a Action) WantsSummary() bool { return a.Summary == nil || *a.Summary }

// Target is who a conversation is assigned to.
type Target struct {
	Type string `json:"type"` // team, user, ai_agent
	Name string `json:"name"`
}

// FieldUpdate is one contact field written by update_fields. Value is set
// when the instruction gives a literal ("set the Budget field to 5000");
// otherwise the runtime takes the value from the conversation.
type FieldUpdate struct {
	Name  string `json:"name"`
	ID    string `json:"id,omitempty"`
	Type  string `json:"type,omitempty"`
	Value string `json:"value,omitempty"`
	// From is what to take the value from, as the author wrote it ("the
	// phone number"), for the extractor or model.
	From string `json:"from,omitempty"`
}

// Reply is what the agent answers after the actions ran. Template is sent as
// written with $contact.x and {{$contact.x}} filled in; Guidance is for the
// model (or picks a stock reply). None means no reply is sent.
type Reply struct {
	Template string `json:"template,omitempty"`
	Guidance string `json:"guidance,omitempty"`
	None     bool   `json:"none,omitempty"`
}
