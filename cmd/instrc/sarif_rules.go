package main

// ruleHelp is the help text of each diagnostic code: why the rule exists and
// how to fix what it reports. Code scanning shows it next to each alert, so
// it is written for the author of the instructions, not for developers.
var ruleHelp = map[string]string{
	"syntax": "The sentence looks like a scenario but cannot be read as one. A scenario is a condition and a chain of steps: " +
		"`If <condition>, <action>, then <action>.` Start each action with a verb (close, assign, save, add, trigger, reply) " +
		"and separate the condition from the first action with a comma.",
	"unknown-field": "Contact fields are matched exactly against the workspace, including case and accents. A misspelled field " +
		"makes the hosted agent silently skip the update. Use a field name or id from the workspace's `contact_fields`; " +
		"the diagnostic suggests the nearest one.",
	"unknown-stage": "Lifecycle stages are matched exactly. A stage that is not in the workspace's `lifecycle_stages` is never set. " +
		"Quote names of several words: `update the lifecycle stage to \"New Lead\"`.",
	"unknown-closing-note": "Closing notes are matched exactly against the workspace's `closing_notes`. Quote the note: " +
		"`close the conversation and select closing note \"Issue Resolved\"`.",
	"unknown-tag": "A `%tag` must be one of the workspace's `tags`; the agent cannot create tags.",
	"unknown-workflow": "`!name` triggers a published workflow or calls a custom action declared in the workspace. " +
		"Unpublished workflows cannot be triggered: publish them (`published: true`) or remove the step.",
	"unknown-assignee": "`@Name` must be a team, a user or an AI agent of the workspace. Names of several words are matched " +
		"longest first; quote them when in doubt: `assign to @\"Sales Team\"`.",
	"ambiguous-assignee": "The name is both a team and a user (or AI agent), so the agent cannot tell whom to assign. " +
		"Rename one of them in the workspace.",
	"missing-name": "The action says what kind of thing to change but not which one, e.g. `update the lifecycle stage` with no stage. " +
		"Name it: `update the lifecycle stage to Qualified`.",
	"invalid-value": "The literal value does not fit the field's type (number, email, phone, date, checkbox, url) or is not one of " +
		"a list field's options.",
	"chain-too-long": "Hosted agents run chains of more than 3 actions unpredictably. Split the scenario into several scenarios " +
		"of at most 3 actions each.",
	"conflicting-actions": "Two actions in one chain contradict each other (assign and unassign, two assignments, two stages, one " +
		"field set twice, a tag added and removed). Keep one of them.",
	"reply-after-unassign": "Once the agent unassigns the conversation it can no longer reply, so the reply fails. Reply first, then unassign.",
	"scheduled-action": "The agent acts only when a message arrives; it cannot do things at a time (`at 5pm`, `tomorrow`, `later`). " +
		"Drop the timing, or use a workspace workflow for scheduled work.",
	"round-robin-scope": "Round robin distributes conversations among the members of one team. It cannot span several teams and " +
		"means nothing for a single user.",
	"presence-unsupported": "The agent cannot see who is online or available. Assign to a team by round robin or by least open conversations.",
	"unsupported-action": "The agent cannot reopen conversations, create or delete fields, stages, tags or notes, read the contact's " +
		"existing tags, or mention a team in a comment.",
	"unread-words": "Every word of a scenario must be read: its condition, a step, reply guidance or a filler. Words left over " +
		"would be silently ignored by the agent, so they are reported: give them a verb (`… and add %Refund`), write the condition " +
		"with a marker (`If …, `, `For … requests, `), make them reply guidance (`reply with …`), or remove them.",
	"too-long":          "Comments are limited to 2,000 characters and instruction files to 10,000 characters on the hosted platforms.",
	"vague-instruction": "Hedges (`maybe`, `or something`, `peut-être`) leave the agent to guess whether to act. Say exactly when and what to do.",
	"assign-before-collect": "Once the conversation is assigned the agent stops collecting, so the information never reaches the team. " +
		"Collect and save first, then assign.",
	"conflicting-scenarios": "Two scenarios have the same (or nearly the same) condition but do contradicting things. Merge them or make " +
		"the conditions distinct.",
	"workflow-conflict": "A workspace workflow already assigns conversations on the same event, and this scenario assigns elsewhere. " +
		"Change one of them so they agree.",
	"unconditional-action": "An action with no condition runs on every message. Add a condition (`If …, `) unless that is really intended.",
	"workspace": "The workspace file could not be read or holds a problem (YAML syntax, unknown key, duplicate name). Names cannot be " +
		"checked until it is fixed.",
	"unreadable": "The file could not be read: it does not exist, its permissions forbid reading it, or it is a symbolic link " +
		"that points back at itself. The other files were still linted. Fix the path, the permissions or the link.",
	"unused-disable": "An `instrc-disable` comment names a code that no diagnostic on the lines it covers has, or that is no " +
		"diagnostic code. It hides nothing today but would hide a real problem tomorrow: remove it or fix the code.",
}
