// Package compiler checks a parsed instruction file against its workspace
// and lowers it to the action plan. It is a sequence of named stages, each
// small and separately testable (as in OPA's compiler):
//
//	resolve  names → exact workspace names (longest match, suggestions)
//	check    chains, scenarios and the file against the platform's rules
//	lower    scenarios → ir.Plan
//
// Every stage returns what it could do together with its diagnostics, so a
// file with ten mistakes gets ten diagnostics and still a partial plan.
package compiler

import "github.com/instrc/instrc/diag"

// Diagnostic codes (DESIGN.md, "Diagnostics"). They are stable: tools match
// on them.
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
	Severity diag.Severity
	// Summary is a one-line description of when the code is reported.
	Summary string
}

// Rules lists every diagnostic code in the order of DESIGN.md's table.
var Rules = []Rule{
	{CodeSyntax, diag.Error, "The text cannot be read as a scenario."},
	{CodeUnknownField, diag.Error, "A contact field that is not in the workspace."},
	{CodeUnknownStage, diag.Error, "A lifecycle stage that is not in the workspace."},
	{CodeUnknownClosingNote, diag.Error, "A closing note that is not in the workspace."},
	{CodeUnknownTag, diag.Error, "A tag that is not in the workspace."},
	{CodeUnknownWorkflow, diag.Error, "A !name that is no published workflow or custom action."},
	{CodeUnknownAssignee, diag.Error, "An @name that is no team, user or AI agent."},
	{CodeAmbiguousAssignee, diag.Error, "An @name that is both a team and a user or AI agent."},
	{CodeMissingName, diag.Error, "An action that needs a name and has none."},
	{CodeInvalidValue, diag.Error, "A literal value that does not fit the field's type or options."},
	{CodeChainTooLong, diag.Error, "More than 3 actions in one scenario."},
	{CodeConflictingActions, diag.Error, "Actions in one chain that contradict each other."},
	{CodeReplyAfterUnassign, diag.Error, "A chain that unassigns and then replies."},
	{CodeScheduledAction, diag.Error, "Timing the agent cannot do (at 5pm, tomorrow, later)."},
	{CodeRoundRobinScope, diag.Error, "Round robin across several teams, or to a single user."},
	{CodePresenceUnsupported, diag.Error, "Assignment that needs presence (next available agent)."},
	{CodeUnsupportedAction, diag.Error, "Something the agent cannot do (reopen, create, delete, read tags, mention a team)."},
	{CodeUnreadWords, diag.Error, "Words of a scenario that are neither its condition, a step, reply guidance nor a filler."},
	{CodeTooLong, diag.Warning, "A comment over 2,000 characters or a file over 10,000 characters."},
	{CodeVagueInstruction, diag.Warning, "Hedges such as maybe, or something, peut-être."},
	{CodeAssignBeforeCollect, diag.Warning, "A chain that assigns before it collects or saves information."},
	{CodeConflictingScenarios, diag.Warning, "Two scenarios with the same condition and contradicting actions."},
	{CodeWorkflowConflict, diag.Warning, "An assignment that contradicts a workspace workflow."},
	{CodeUnconditionalAction, diag.Warning, "An action with no condition: it would run on every message."},
	{CodeWorkspace, diag.Error, "A problem in the workspace file itself."},
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
