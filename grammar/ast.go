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
}

// Condition is a condition as written; the compiler reads the parts it can
// check (states, tags, fields) and the runtime matches the rest.
type Condition struct {
	Marker   Token
	Text     string
	Range    diag.Range
	Tokens   []Token
	Trailing bool
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
