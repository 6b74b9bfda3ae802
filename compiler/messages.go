package compiler

import (
	"fmt"

	"github.com/instrc/instrc/diag"
)

// message is one diagnostic message in English and French. Arguments are
// filled with fmt verbs, in the same order in both languages.
type message struct {
	code   string
	en, fr string
}

// messages holds every diagnostic message the compiler writes, by id. Each
// says what is wrong and what to do.
var messages = map[string]message{
	"unknown-field":         {diag.CodeUnknownField, "no contact field is named %q in the workspace: use one of its fields%s", "aucun champ de contact ne s'appelle %q dans l'espace de travail : utilisez un de ses champs%s"},
	"unknown-stage":         {diag.CodeUnknownStage, "no lifecycle stage is named %q in the workspace: use one of its stages%s", "aucune étape du cycle de vie ne s'appelle %q dans l'espace de travail : utilisez une de ses étapes%s"},
	"unknown-closing-note":  {diag.CodeUnknownClosingNote, "no closing note is named %q in the workspace: use one of its notes%s", "aucune note de clôture ne s'appelle %q dans l'espace de travail : utilisez une de ses notes%s"},
	"unknown-tag":           {diag.CodeUnknownTag, "no tag is named %q in the workspace: use one of its tags%s", "aucun tag ne s'appelle %q dans l'espace de travail : utilisez un de ses tags%s"},
	"unknown-workflow":      {diag.CodeUnknownWorkflow, "no workflow or custom action is named %q in the workspace: use one of them%s", "aucun workflow ni action personnalisée ne s'appelle %q dans l'espace de travail : utilisez-en un%s"},
	"unpublished-workflow":  {diag.CodeUnknownWorkflow, "workflow %q is not published, so the agent cannot trigger it: publish it (published: true) or remove this step", "le workflow %q n'est pas publié, l'agent ne peut donc pas le déclencher : publiez-le (published: true) ou retirez cette étape"},
	"unknown-assignee":      {diag.CodeUnknownAssignee, "no team, user or AI agent is named %q in the workspace: assign to one of them%s", "aucune équipe, aucun utilisateur ni agent IA ne s'appelle %q dans l'espace de travail : assignez à l'un d'eux%s"},
	"ambiguous-assignee":    {diag.CodeAmbiguousAssignee, "%q is both a team and %s in the workspace, so the agent cannot tell which: rename one of them in the workspace", "%q est à la fois une équipe et %s dans l'espace de travail, l'agent ne peut pas savoir lequel : renommez l'un des deux"},
	"missing-note":          {diag.CodeMissingName, "say which closing note: write it in quotes after \"closing note\"%s", "précisez quelle note de clôture : écrivez-la entre guillemets après « note de clôture »%s"},
	"missing-stage":         {diag.CodeMissingName, "say which lifecycle stage: \"update the lifecycle stage to <stage>\"%s", "précisez quelle étape du cycle de vie : « mets à jour l'étape du cycle de vie à <étape> »%s"},
	"missing-field":         {diag.CodeMissingName, "say which contact field: \"save it as the <field> field\"%s", "précisez quel champ de contact : « enregistre-le comme champ <champ> »%s"},
	"missing-assignee":      {diag.CodeMissingName, "say who to assign to: \"assign to @<team or user>\"%s", "précisez à qui assigner : « assigne à @<équipe ou utilisateur> »%s"},
	"missing-workflow":      {diag.CodeMissingName, "say which workflow or action: \"trigger !<name>\"%s", "précisez quel workflow ou quelle action : « déclenche !<nom> »%s"},
	"missing-tag":           {diag.CodeMissingName, "say which tag: \"add %%<tag>\"%s", "précisez quel tag : « ajoute %%<tag> »%s"},
	"invalid-value":         {diag.CodeInvalidValue, "%q does not fit field %q: %s", "« %s » ne convient pas au champ %q : %s"},
	"chain-too-long":        {diag.CodeChainTooLong, "this scenario has %d actions, more than 3: split it into scenarios of at most 3 actions, since long chains run unpredictably", "ce scénario a %d actions, plus de 3 : découpez-le en scénarios d'au plus 3 actions, les longues chaînes s'exécutent de façon imprévisible"},
	"assign-and-unassign":   {diag.CodeConflictingActions, "this chain both assigns and unassigns the conversation, which leaves it undefined: keep one of them", "cette chaîne assigne et désassigne la conversation, ce qui la laisse indéfinie : gardez l'une des deux actions"},
	"two-assignments":       {diag.CodeConflictingActions, "this chain assigns the conversation twice (%s, then %s): keep one assignment", "cette chaîne assigne la conversation deux fois (%s, puis %s) : gardez une seule assignation"},
	"two-stages":            {diag.CodeConflictingActions, "this chain sets the lifecycle stage twice (%s, then %s): keep one", "cette chaîne change l'étape du cycle de vie deux fois (%s, puis %s) : gardez-en une"},
	"field-twice":           {diag.CodeConflictingActions, "this chain sets field %q twice: keep one update", "cette chaîne modifie le champ %q deux fois : gardez une seule mise à jour"},
	"tag-add-remove":        {diag.CodeConflictingActions, "this chain adds and removes tag %q: keep one", "cette chaîne ajoute et retire le tag %q : gardez l'une des deux actions"},
	"reply-after-unassign":  {diag.CodeReplyAfterUnassign, "this reply comes after unassign, and the agent sends no reply once the conversation is unassigned: drop the reply, or keep the conversation assigned (drop the unassign)", "cette réponse vient après la désassignation, et l'agent n'envoie plus de réponse une fois la conversation désassignée : retirez la réponse, ou gardez la conversation assignée (retirez la désassignation)"},
	"reply-before-unassign": {diag.CodeReplyAfterUnassign, "this reply would never be sent: the agent replies after every action of the chain, and sends no reply once the conversation is unassigned; drop the reply, or keep the conversation assigned (drop the unassign)", "cette réponse ne partirait jamais : l'agent répond après toutes les actions de la chaîne, et n'envoie plus de réponse une fois la conversation désassignée ; retirez la réponse, ou gardez la conversation assignée (retirez la désassignation)"},
	"scheduled-action":      {diag.CodeScheduledAction, "the agent acts only when a message arrives and cannot do things %q: drop the timing, or use a workspace workflow for scheduled work", "l'agent n'agit qu'à l'arrivée d'un message et ne peut rien faire « %s » : retirez l'échéance, ou utilisez un workflow de l'espace de travail"},
	"scheduled-step":        {diag.CodeScheduledAction, "the agent acts only when a message arrives and cannot wait, follow up or remind at a later time (%q): remove this step, or use a workspace workflow for follow-ups", "l'agent n'agit qu'à l'arrivée d'un message et ne peut pas attendre, relancer ni rappeler plus tard (« %s ») : retirez cette étape, ou utilisez un workflow de l'espace de travail pour les relances"},
	"round-robin-teams":     {diag.CodeRoundRobinScope, "round robin works within one team, not across %d: assign to a single @team by round robin", "le round robin fonctionne au sein d'une seule équipe, pas de %d : assignez à une seule @équipe par round robin"},
	"round-robin-user":      {diag.CodeRoundRobinScope, "round robin needs a team, but %q is %s: assign to them directly, or to their team by round robin", "le round robin demande une équipe, mais %q est %s : assignez directement, ou à son équipe par round robin"},
	"scheduled-condition":   {diag.CodeScheduledAction, "the agent cannot check the time of day or week (%q), only business hours: write \"outside business hours\" or \"within business hours\", or drop the timing", "l'agent ne peut pas vérifier l'heure ni le jour (« %s »), seulement les heures d'ouverture : écrivez « en dehors des heures d'ouverture » ou « pendant les heures d'ouverture », ou retirez l'échéance"},
	"presence-condition":    {diag.CodePresenceUnsupported, "the agent cannot see who is online or available (%q), so this condition can never be checked: drop it, and assign to a team by round robin or least open", "l'agent ne voit pas qui est en ligne ou disponible (« %s »), cette condition ne peut donc jamais être vérifiée : retirez-la, et assignez à une équipe par round robin ou au moins chargé"},
	"presence-unsupported":  {diag.CodePresenceUnsupported, "the agent cannot see who is online or available (%q): assign to a team by round robin or least open instead", "l'agent ne voit pas qui est en ligne ou disponible (« %s ») : assignez plutôt à une équipe par round robin ou au moins chargé"},
	"reopen":                {diag.CodeUnsupportedAction, "the agent cannot reopen a conversation (a new message from the contact reopens it): remove this step", "l'agent ne peut pas rouvrir une conversation (un nouveau message du contact la rouvre) : retirez cette étape"},
	"create":                {diag.CodeUnsupportedAction, "the agent cannot create %s: add them to the workspace, then use their names here", "l'agent ne peut pas créer %s : ajoutez-les à l'espace de travail, puis utilisez leurs noms ici"},
	"delete":                {diag.CodeUnsupportedAction, "the agent cannot delete %s: remove this step", "l'agent ne peut pas supprimer %s : retirez cette étape"},
	"tag-condition":         {diag.CodeUnsupportedAction, "the agent cannot read the contact's existing tags, so this condition can never be checked: use a contact field or lifecycle stage instead", "l'agent ne peut pas lire les tags existants du contact, cette condition ne peut donc pas être vérifiée : utilisez plutôt un champ de contact ou une étape du cycle de vie"},
	"mention-team":          {diag.CodeUnsupportedAction, "comments can mention users, not teams (%q): mention a user%s", "les commentaires peuvent mentionner des utilisateurs, pas des équipes (%q) : mentionnez un utilisateur%s"},
	"unsupported-step":      {diag.CodeUnsupportedAction, "the agent has no action for %q: remove it, or trigger a workspace workflow that does it (\"trigger !name\")", "l'agent n'a aucune action pour « %s » : retirez-la, ou déclenchez un workflow de l'espace de travail qui le fait (« déclenche !nom »)"},
	"unsupported-words":     {diag.CodeUnsupportedAction, "the agent cannot %s (in %q): remove these words, or trigger a workspace workflow that does it (\"trigger !name\")", "l'agent ne peut pas « %s » (dans « %s ») : retirez ces mots, ou déclenchez un workflow de l'espace de travail qui le fait (« déclenche !nom »)"},
	"unread-words":          {diag.CodeUnreadWords, "the agent will not act on %q: nothing in the step reads these words; make them a step of their own (\"…, then add %%Tag\"), reply guidance (\"reply with …\") or remove them", "l'agent n'agira pas sur « %s » : rien dans l'étape ne lit ces mots ; faites-en une étape (« …, puis ajoute %%Tag »), une consigne de réponse (« réponds avec … ») ou retirez-les"},
	"unread-topic":          {diag.CodeUnreadWords, "the agent cannot tell from inside the step which conversations %q means, so it would act on every message: write it as the condition, e.g. \"%s → assign to @Team\" or \"If the contact asks about …, …\"", "l'agent ne peut pas savoir, depuis l'étape, quelles conversations « %s » désigne, il agirait donc à chaque message : écrivez-le comme condition, par exemple « %s → assigne à @Équipe » ou « Si le contact demande …, … »"},
	"unread-lead":           {diag.CodeUnreadWords, "the agent will not act on %q: these words open no condition, so the steps after them would run on every message; write the condition as \"If …, \" or \"For … requests, \"", "l'agent n'agira pas sur « %s » : ces mots n'ouvrent aucune condition, les étapes qui suivent s'exécuteraient à chaque message ; écrivez la condition « Si …, » ou « Pour toute demande de …, »"},
	"unread-sentence":       {diag.CodeUnreadWords, "the agent will not act on %q: it names something to act on but has no step; write it as \"If <condition>, <action>\", e.g. \"If the contact asks for a refund, add %%Refund\"", "l'agent n'agira pas sur « %s » : la phrase nomme de quoi agir mais n'a aucune étape ; écrivez-la « Si <condition>, <action> », par exemple « Si le contact demande un remboursement, ajoute %%Remboursement »"},
	"comment-too-long":      {diag.CodeTooLong, "this comment has %d characters; comments are limited to 2,000: shorten it", "ce commentaire fait %d caractères ; la limite est de 2 000 : raccourcissez-le"},
	"file-too-long":         {diag.CodeTooLong, "this file passes 10,000 characters here (%d in all), the hosted agents' limit: split it or shorten the guidance", "ce fichier dépasse ici 10 000 caractères (%d en tout), la limite des agents hébergés : découpez-le ou raccourcissez les consignes"},
	"vague-instruction":     {diag.CodeVagueInstruction, "%q makes this instruction vague, and the agent may or may not act: say exactly when and what to do", "« %s » rend cette instruction vague, et l'agent agira ou non : dites exactement quand et quoi faire"},
	"assign-before-collect": {diag.CodeAssignBeforeCollect, "this chain assigns the conversation before it %s: collect and save first, then assign", "cette chaîne assigne la conversation avant de %s : collectez et enregistrez d'abord, puis assignez"},
	"conflicting-scenarios": {diag.CodeConflictingScenarios, "this scenario has the same condition as the one on line %d but %s: merge them or make the conditions distinct", "ce scénario a la même condition que celui de la ligne %d mais %s : fusionnez-les ou distinguez les conditions"},
	"workflow-conflict":     {diag.CodeWorkflowConflict, "workflow %q %s; this scenario %s: change one of them so they agree", "le workflow %q %s ; ce scénario %s : modifiez l'un des deux pour qu'ils concordent"},
	"unconditional-action":  {diag.CodeUnconditionalAction, "this action has no condition, so it would run on every message: add a condition (\"If …, \")", "cette action n'a pas de condition, elle s'exécuterait à chaque message : ajoutez une condition (« Si …, »)"},
	"no-workspace":          {diag.CodeWorkspace, "no workspace file: add `workspace: path.yaml` to the front matter or pass --workspace, so that names can be checked", "aucun fichier d'espace de travail : ajoutez `workspace: chemin.yaml` à l'en-tête ou passez --workspace, pour que les noms soient vérifiés"},
	"workspace-unreadable":  {diag.CodeWorkspace, "cannot read workspace %q: %s", "impossible de lire l'espace de travail %q : %s"},
}

// text renders message id in lang with args.
func text(lang, id string, args ...any) (string, string) {
	m, ok := messages[id]
	if !ok {
		return diag.CodeSyntax, id
	}
	f := m.en
	if lang == "fr" {
		f = m.fr
	}
	return m.code, fmt.Sprintf(f, args...)
}

// phrase returns the English or French variant.
func phrase(lang, en, fr string) string {
	if lang == "fr" {
		return fr
	}
	return en
}
