package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/ir"
)

// ExplainCmd shows the plan as a person reads it.
type ExplainCmd struct {
	Workspace string `short:"w" help:"Workspace file (overrides the file's front matter)."`
	Messages  string `enum:"en,fr," default:"" help:"Language of the messages (en or fr)."`
	File      string `arg:"" help:"Instruction file (.instr); - reads standard input (see --stdin-filename)."`
}

// Run prints each scenario, its condition and its numbered actions.
func (e *ExplainCmd) Run(g *Globals) error {
	name, text, err := g.readInput(e.File)
	if err != nil {
		return cannot("%v", err)
	}
	res := compiler.Run(compiler.Source{Filename: name, Text: text}, compiler.Options{WorkspacePath: e.Workspace, Messages: e.Messages})
	Explain(g.Stdout, diag.Printable(name), res.Plan)
	if len(res.Diagnostics) > 0 {
		fmt.Fprintln(g.Stdout)
		if err := printDiagnostics(g, "text", res.Diagnostics, res.Sources); err != nil {
			return cannot("%v", err)
		}
	}
	if res.Diagnostics.HasErrors() {
		return failed
	}
	return nil
}

// Explain writes a plan in plain words.
func Explain(w io.Writer, file string, p *ir.Plan) {
	fr := p.Language == "fr"
	say := func(en, f string) string {
		if fr {
			return f
		}
		return en
	}
	fmt.Fprintf(w, "%s: %d %s, %s %s\n", file, len(p.Scenarios), say("scenarios", "scénarios"), say("language", "langue"), p.Language)
	for _, s := range p.Scenarios {
		fmt.Fprintf(w, "\n%s (%s %d)\n", s.ID, say("line", "ligne"), s.Line)
		switch {
		case s.Condition.Always:
			fmt.Fprintf(w, "  %s: %s\n", say("when", "quand"), say("every message", "à chaque message"))
		case s.Condition.Fallback:
			fmt.Fprintf(w, "  %s: %s (%s)\n", say("when", "quand"), s.Condition.Text, say("fallback: only when no other scenario applies", "repli : seulement quand aucun autre scénario ne s'applique"))
		default:
			fmt.Fprintf(w, "  %s: %s\n", say("when", "quand"), s.Condition.Text)
		}
		if len(s.Condition.Intents) > 0 {
			fmt.Fprintf(w, "  %s: %s\n", say("intents", "intentions"), strings.Join(s.Condition.Intents, ", "))
		}
		for _, st := range s.Condition.State {
			fmt.Fprintf(w, "  %s: %s\n", say("only if", "seulement si"), describeState(st, fr))
		}
		for _, c := range s.Collect {
			fmt.Fprintf(w, "  %s: %s\n", say("ask for", "demander"), c)
		}
		for i, a := range s.Actions {
			fmt.Fprintf(w, "  %d. %s\n", i+1, describeAction(a, fr))
		}
		if len(s.Actions) == 0 {
			fmt.Fprintf(w, "  %s\n", say("(no action)", "(aucune action)"))
		}
		switch {
		case s.Reply == nil:
			fmt.Fprintf(w, "  %s\n", say("then reply from the guidance", "puis répondre selon les consignes"))
		case s.Reply.None:
			fmt.Fprintf(w, "  %s\n", say("then send no reply", "puis ne pas répondre"))
		case s.Reply.Template != "":
			fmt.Fprintf(w, "  %s: %q\n", say("then reply exactly", "puis répondre exactement"), s.Reply.Template)
		default:
			fmt.Fprintf(w, "  %s: %s\n", say("then reply", "puis répondre"), s.Reply.Guidance)
		}
	}
}

func describeState(st ir.StateCheck, fr bool) string {
	not := ""
	if st.Negate {
		not = map[bool]string{false: "not ", true: "pas "}[fr]
	}
	switch st.Kind {
	case ir.StateFieldEmpty:
		return fmt.Sprintf("%q %sempty", st.Field, not)
	case ir.StateFieldSet:
		return fmt.Sprintf("%q %sset", st.Field, not)
	case ir.StateFieldEquals:
		return fmt.Sprintf("%q %s= %q", st.Field, not, st.Value)
	case ir.StateLifecycleIs:
		return fmt.Sprintf("lifecycle %s= %q", not, st.Value)
	case ir.StateBusinessHours:
		if st.Negate {
			return "outside business hours"
		}
		return "within business hours"
	}
	return st.Kind
}

func describeAction(a ir.Action, fr bool) string {
	say := func(en, f string) string {
		if fr {
			return f
		}
		return en
	}
	switch a.Kind {
	case ir.KindClose:
		s := say("close the conversation", "fermer la conversation")
		if a.ClosingNote != "" {
			s += fmt.Sprintf(say(" with closing note %q", " avec la note de clôture %q"), a.ClosingNote)
		}
		if !a.WantsSummary() {
			s += say(", no summary", ", sans résumé")
		} else if a.SummaryGuidance != "" {
			s += fmt.Sprintf(say(", summary of %s", ", résumé : %s"), a.SummaryGuidance)
		} else {
			s += say(", with a summary of the last 20 messages", ", avec un résumé des 20 derniers messages")
		}
		return s
	case ir.KindAssign:
		s := fmt.Sprintf(say("assign to %s %q", "assigner à %s %q"), targetWord(a.Target.Type, fr), a.Target.Name)
		switch a.Method {
		case ir.MethodRoundRobin:
			s += say(" by round robin", " par round robin")
		case ir.MethodLeastOpen:
			s += say(", member with the fewest open conversations", ", au membre le moins chargé")
		}
		return s
	case ir.KindUnassign:
		return say("unassign the conversation", "désassigner la conversation")
	case ir.KindUpdateFields:
		var parts []string
		for _, f := range a.Fields {
			p := fmt.Sprintf("%q (%s)", f.Name, f.Type)
			if f.Value != "" {
				p += " = " + fmt.Sprintf("%q", f.Value)
			} else if f.From != "" {
				p += say(" from ", " depuis ") + f.From
			}
			parts = append(parts, p)
		}
		return say("save contact field ", "enregistrer le champ ") + strings.Join(parts, ", ")
	case ir.KindUpdateLifecycle:
		return fmt.Sprintf(say("set the lifecycle stage to %q", "mettre l'étape du cycle de vie à %q"), a.Stage)
	case ir.KindUpdateTags:
		var parts []string
		for _, t := range a.Add {
			parts = append(parts, say("add tag ", "ajouter le tag ")+fmt.Sprintf("%q", t))
		}
		for _, t := range a.Remove {
			parts = append(parts, say("remove tag ", "retirer le tag ")+fmt.Sprintf("%q", t))
		}
		return strings.Join(parts, ", ")
	case ir.KindAddComment:
		s := say("add an internal comment", "ajouter un commentaire interne")
		if a.Text != "" {
			s += ": " + a.Text
		}
		if len(a.Mentions) > 0 {
			s += say(", mentioning ", ", en mentionnant ") + strings.Join(a.Mentions, ", ")
		}
		return s
	case ir.KindTriggerWorkflow:
		return fmt.Sprintf(say("trigger workflow %q", "déclencher le workflow %q"), a.Workflow)
	case ir.KindCall:
		return fmt.Sprintf(say("call custom action %q", "appeler l'action personnalisée %q"), a.ActionName)
	}
	return a.Kind
}

func targetWord(t string, fr bool) string {
	switch t {
	case ir.TargetTeam:
		return map[bool]string{false: "team", true: "l'équipe"}[fr]
	case ir.TargetUser:
		return map[bool]string{false: "user", true: "l'utilisateur"}[fr]
	}
	return map[bool]string{false: "AI agent", true: "l'agent IA"}[fr]
}
