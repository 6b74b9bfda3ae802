package grammar

import "github.com/instrc/instrc/diag"

// File is a parsed instruction file: its front matter, and its statements
// in source order, each either a scenario or guidance.
type File struct {
	Name      string
	Source    *diag.Source
	Front     FrontMatter
	Language  string // "en" or "fr": declared in front matter, else detected
	Scenarios []*Scenario
	Guidance  []*Guidance
	// Diagnostics are the syntax problems found while parsing.
	Diagnostics diag.Diagnostics
	// Unread holds sentences that name something to act on (a sigil, a
	// $contact field) but that no scenario reads: they are reported.
	Unread []*Unread
	// NotText is set for a file that is no UTF-8 text (binary, UTF-16):
	// it has one diagnostic and nothing else is read from it.
	NotText bool
}

// Unread is a run of words that no part of a scenario reads: not its
// condition, a step, reply guidance nor a filler. The compiler reports it
// (unread-words, or unsupported-action when it asks for something the agent
// cannot do).
type Unread struct {
	Range  diag.Range
	Text   string
	Tokens []Token
	// Why says how the words were left over: "lead" for words before the
	// first step that open no condition, "sentence" for a sentence that
	// names something but has no step, "" for words inside a step.
	Why string
}

// FrontMatter is the optional block between `---` lines at the top.
type FrontMatter struct {
	Present        bool
	Range          diag.Range
	Workspace      string
	WorkspaceRange diag.Range
	Language       string
	LanguageRange  diag.Range
}

// Guidance is prose passed to the reply model as written.
type Guidance struct {
	Text  string
	Range diag.Range
}

// Scenario is a statement with a condition (possibly none) and a chain of
// steps.
type Scenario struct {
	Range diag.Range
	Text  string
	// Item is true when the scenario was written as a list item.
	Item       bool
	Conditions []*Condition
	Steps      []*Step
	Tokens     []Token
	// Unread are words of the scenario outside its condition and steps
	// that nothing reads ("Thanks for waiting, assign to @Sales").
	Unread []*Unread
	// Greeting is set on a flow step that greets the contact without a
	// condition: it is the reply to a new conversation.
	Greeting bool
	// Prohibition is set on a sentence without a condition whose every
	// step is forbidden ("Never assign to @Sales Team."): its names are
	// checked, its text is guidance, and it is no scenario of the plan.
	Prohibition bool
}

// Condition is a condition as written; the compiler reads the parts it can
// check (states, tags, fields) and the runtime matches the rest.
type Condition struct {
	Marker   Token
	Text     string
	Range    diag.Range
	Tokens   []Token
	Trailing bool
	// Else is set on "If not, …", "Otherwise, …", "Sinon, …": the
	// condition is the negation of Negates, the condition or question just
	// before it.
	Else    bool
	Negates string
	// Yes is set on "If so, …", "Si oui, …": the condition is Confirms,
	// the question or condition just before it, answered yes.
	Yes      bool
	Confirms string
	// Fallback is set on "If no clear intent → …", "Dans les autres cas,
	// …": the scenario applies only when no other does.
	Fallback bool
	// Negated is set on "Unless …", "Sauf si …": the condition is the
	// opposite of its text.
	Negated bool
}

// Step is one step of a chain, read from its verb and arguments.
type Step struct {
	Kind    StepKind
	Verb    Token
	Negated bool
	Range   diag.Range
	Args    []Token

	// Names are the workspace names the step refers to (targets, tags,
	// workflows, fields, stage, closing note), in order.
	Names []*Name
	// Method is "round_robin" or "least_open" when written.
	Method      string
	MethodRange diag.Range
	// Close: NoSummary is set by "without a summary"; NoNote by "nor choose a
	// closing note"; SummaryOf by "summarizing the issue".
	NoSummary bool
	NoNote    bool
	SummaryOf string
	// Value is a literal value for a field ("set the Budget field to 5000").
	Value *Value
	// Text is the comment text, the reply guidance or template, or what to
	// collect.
	Text      string
	TextRange diag.Range
	Template  bool
	// Object is what a save step takes its value from ("the phone number").
	Object string
	// Mentions are the @users a comment mentions.
	Mentions []*Name
	// Subject says what a create/delete/update step is about
	// ("field", "stage", "tag", "note"), for diagnostics.
	Subject string
	// Unread are runs of the step's words that it does not read ("… and
	// skip the summary" is read; "… and archive the ticket" is not).
	Unread []*Unread
	// Folded are the tokens of steps folded into this one ("close the
	// conversation, and don't write a summary"), so that every word of
	// the scenario still belongs to a step.
	Folded []Token
}

// Role says what kind of workspace name a Name is.
type Role int

const (
	RoleAssignee Role = iota + 1
	RoleTag
	RoleRun // a workflow or custom action
	RoleField
	RoleStage
	RoleNote
	RoleMention
)

var roleNames = [...]string{"", "assignee", "tag", "workflow", "field", "stage", "closing note", "mention"}

func (r Role) String() string { return roleNames[r] }

// Name is a name as written. A quoted or single-word name is exact. An
// unquoted multi-word name is ambiguous until the workspace is known, so Words
// holds every word that could belong to it; the compiler picks the longest
// workspace name those words start with, or the first Fallback words.
type Name struct {
	Role   Role
	Sigil  byte
	Quoted bool
	// Text is the name as the parser would take it without a workspace:
	// quoted content, or the words up to the first function word.
	Text  string
	Range diag.Range
	// Words are the candidate words (unquoted names only).
	Words    []Token
	Fallback int
	// Start is the offset of the name including its sigil or quote.
	Start int
	// Implicit is set when the author did not mark the words as a name
	// ("save the budget"): the compiler accepts them only on an exact match.
	Implicit bool
}

// Missing reports whether the step named the kind of thing but not which
// one ("select a closing note").
func (n *Name) Missing() bool { return n.Text == "" }

// Value is a literal value.
type Value struct {
	Text  string
	Range diag.Range
}
