package diag

// Diagnostic codes of the instruction language (docs/diagnostics.md).
// They are stable across releases: tools, instrc.yaml and inline disable
// comments match on them.
const (
	CodeSyntax               = "syntax"
	CodeUnknownField         = "unknown-field"
	CodeUnknownStage         = "unknown-stage"
	CodeUnknownClosingNote   = "unknown-closing-note"
	CodeUnknownTag           = "unknown-tag"
	CodeUnknownWorkflow      = "unknown-workflow"
	CodeUnknownAssignee      = "unknown-assignee"
	CodeAmbiguousAssignee    = "ambiguous-assignee"
	CodeMissingName          = "missing-name"
	CodeInvalidValue         = "invalid-value"
	CodeChainTooLong         = "chain-too-long"
	CodeConflictingActions   = "conflicting-actions"
	CodeReplyAfterUnassign   = "reply-after-unassign"
	CodeScheduledAction      = "scheduled-action"
	CodeRoundRobinScope      = "round-robin-scope"
	CodePresenceUnsupported  = "presence-unsupported"
	CodeUnsupportedAction    = "unsupported-action"
	CodeUnreadWords          = "unread-words"
	CodeTooLong              = "too-long"
	CodeVagueInstruction     = "vague-instruction"
	CodeAssignBeforeCollect  = "assign-before-collect"
	CodeConflictingScenarios = "conflicting-scenarios"
	CodeWorkflowConflict     = "workflow-conflict"
	CodeUnconditionalAction  = "unconditional-action"
	// CodeWorkspace reports a problem in the workspace file itself.
	CodeWorkspace = "workspace"
)

// Rule describes a diagnostic code for documentation, SARIF and editors.
type Rule struct {
	Code     string
	Severity Severity
	// Summary is a one-line description of when the code is reported.
	Summary string
}

// Rules lists every diagnostic code, in the order of docs/diagnostics.md.
// It is the one rule table: lint's configuration, SARIF, the language
// server and the docs test read it.
var Rules = []Rule{
	{CodeSyntax, Error, "The text cannot be read as a scenario."},
	{CodeUnknownField, Error, "A contact field that is not in the workspace."},
	{CodeUnknownStage, Error, "A lifecycle stage that is not in the workspace."},
	{CodeUnknownClosingNote, Error, "A closing note that is not in the workspace."},
	{CodeUnknownTag, Error, "A tag that is not in the workspace."},
	{CodeUnknownWorkflow, Error, "A !name that is no published workflow or custom action."},
	{CodeUnknownAssignee, Error, "An @name that is no team, user or AI agent."},
	{CodeAmbiguousAssignee, Error, "An @name that is both a team and a user or AI agent."},
	{CodeMissingName, Error, "An action that needs a name and has none."},
	{CodeInvalidValue, Error, "A literal value that does not fit the field's type or options."},
	{CodeChainTooLong, Error, "More than 3 actions in one scenario."},
	{CodeConflictingActions, Error, "Actions in one chain that contradict each other."},
	{CodeReplyAfterUnassign, Error, "A chain that unassigns and then replies."},
	{CodeScheduledAction, Error, "Timing the agent cannot do (at 5pm, tomorrow, later)."},
	{CodeRoundRobinScope, Error, "Round robin across several teams, or to a single user."},
	{CodePresenceUnsupported, Error, "Assignment that needs presence (next available agent)."},
	{CodeUnsupportedAction, Error, "Something the agent cannot do (reopen, create, delete, read tags, mention a team)."},
	{CodeUnreadWords, Error, "Words of a scenario that are neither its condition, a step, reply guidance nor a filler."},
	{CodeTooLong, Warning, "A comment over 2,000 characters or a file over 10,000 characters."},
	{CodeVagueInstruction, Warning, "Hedges such as maybe, or something, peut-être."},
	{CodeAssignBeforeCollect, Warning, "A chain that assigns before it collects or saves information."},
	{CodeConflictingScenarios, Warning, "Two scenarios with the same condition and contradicting actions."},
	{CodeWorkflowConflict, Warning, "An assignment that contradicts a workspace workflow."},
	{CodeUnconditionalAction, Warning, "An action with no condition: it would run on every message."},
	{CodeWorkspace, Error, "A problem in the workspace file itself."},
	{CodeUnreadable, Error, "A file lint cannot read (missing, no permission, a symbolic link loop)."},
	{CodeUnusedDisable, Warning, "An `instrc-disable` comment that silences nothing."},
}

// RuleFor returns the rule of a code.
func RuleFor(code string) (Rule, bool) {
	for _, r := range Rules {
		if r.Code == code {
			return r, true
		}
	}
	return Rule{}, false
}
