package stdlib

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/instrc/instrc/ir"
	"github.com/stretchr/testify/assert"
)

func ok(a ir.Action) ActionResult     { return ActionResult{Action: a, OK: true} }
func failed(a ir.Action) ActionResult { return ActionResult{Action: a, OK: false} }

func fields(fs ...ir.FieldUpdate) ir.Action {
	return ir.Action{Kind: ir.KindUpdateFields, Fields: fs}
}

var (
	closeAction = ir.Action{Kind: ir.KindClose, ClosingNote: "Issue Resolved"}
	toAlice     = ir.Action{Kind: ir.KindAssign, Target: &ir.Target{Type: ir.TargetUser, Name: "alice"}}
	toBot       = ir.Action{Kind: ir.KindAssign, Target: &ir.Target{Type: ir.TargetAIAgent, Name: "Billing Bot"}}
	tagAction   = ir.Action{Kind: ir.KindUpdateTags, Add: []string{"Pricing"}}
	stage       = ir.Action{Kind: ir.KindUpdateLifecycle, Stage: "Qualified"}
	workflow    = ir.Action{Kind: ir.KindTriggerWorkflow, Workflow: "refund_processing"}
	call        = ir.Action{Kind: ir.KindCall, ActionName: "order_status"}
	unassign    = ir.Action{Kind: ir.KindUnassign}
	phone       = ir.FieldUpdate{Name: "phone", Type: TypePhone}
)

func TestStockReply(t *testing.T) {
	tests := []struct {
		name    string
		lang    string
		results []ActionResult
		want    string
	}{
		{"none en", "en", nil, "Thanks for your message. How can I help you?"},
		{"none fr", "fr", nil, "Merci pour votre message. Comment puis-je vous aider ?"},
		{"unknown language is English", "de", nil, "Thanks for your message. How can I help you?"},
		{"assign team", "en", []ActionResult{ok(assignTeam("Sales Team"))},
			"I've passed you to our Sales Team; someone will be with you shortly."},
		{"assign team fr", "fr", []ActionResult{ok(assignTeam("Sales Team"))},
			"Je vous ai transféré à l'équipe Sales Team ; quelqu'un va vous répondre très rapidement."},
		{"assign to a service fr contracts à le", "fr", []ActionResult{ok(assignTeam("Service Après-Vente"))},
			"Je vous ai transféré au service Après-Vente ; quelqu'un va vous répondre très rapidement."},
		{"assign user", "en", []ActionResult{ok(toAlice)}, "I've passed you to alice, who will be with you shortly."},
		{"assign agent fr", "fr", []ActionResult{ok(toBot)}, "Je vous ai transféré à Billing Bot, qui prend le relais."},
		{"assign without target", "en", []ActionResult{ok(ir.Action{Kind: ir.KindAssign})},
			"I've passed you to a member of our team; someone will be with you shortly."},
		{"close", "en", []ActionResult{ok(closeAction)},
			"I'm closing this conversation now. Thanks for reaching out, and write to us again anytime if you need anything else."},
		{"close fr", "fr", []ActionResult{ok(closeAction)},
			"Je clôture cette conversation. Merci de nous avoir contactés, et n'hésitez pas à nous réécrire si besoin."},
		{"save phone", "en", []ActionResult{ok(fields(phone))}, "Thanks, I've saved your phone number."},
		{"save phone fr", "fr", []ActionResult{ok(fields(phone))}, "Merci, j'ai bien enregistré votre numéro de téléphone."},
		{"save several", "en", []ActionResult{ok(fields(ir.FieldUpdate{Name: "Budget"}, phone, ir.FieldUpdate{Name: "countryCode"}))},
			"Thanks, I've saved your budget, phone number and country code."},
		{"save several fr", "fr", []ActionResult{ok(fields(ir.FieldUpdate{Name: "Budget"}, ir.FieldUpdate{Name: "email", Type: TypeEmail}))},
			"Merci, j'ai bien enregistré votre budget et votre adresse e-mail."},
		{"save by id and type", "en", []ActionResult{ok(fields(ir.FieldUpdate{Name: "Mobile 2", Type: TypePhone}, ir.FieldUpdate{Name: "Budget (€)", ID: "budget"}))},
			"Thanks, I've saved your phone number and budget."},
		{"save unknown field fr keeps its name", "fr", []ActionResult{ok(fields(ir.FieldUpdate{Name: "Plan"}))},
			"Merci, j'ai bien enregistré votre plan."},
		{"save a field with a name of several words fr", "fr", []ActionResult{ok(fields(ir.FieldUpdate{Name: "Motif de Retour"}))},
			"Merci, j'ai bien enregistré votre motif de retour."},
		{"an acronym keeps its capitals", "en", []ActionResult{ok(fields(ir.FieldUpdate{Name: "NHS Number"}))},
			"Thanks, I've saved your NHS number."},
		{"un sigle garde ses capitales", "fr", []ActionResult{ok(fields(ir.FieldUpdate{Name: "Numéro SIRET"}))},
			"Merci, j'ai bien enregistré votre numéro SIRET."},
		{"save then assign", "en", []ActionResult{ok(fields(phone)), ok(assignTeam("Sales Team"))},
			"Thanks, I've saved your phone number. I've passed you to our Sales Team; someone will be with you shortly."},
		{"internal actions only", "en", []ActionResult{ok(tagAction), ok(stage), ok(workflow)}, "Thanks, I've noted that."},
		{"internal actions only fr", "fr", []ActionResult{ok(tagAction)}, "Merci, c'est noté."},
		{"internal then assign", "en", []ActionResult{ok(tagAction), ok(assignTeam("Support"))},
			"I've passed you to our Support; someone will be with you shortly."},
		{"call", "en", []ActionResult{ok(call)}, "I've looked that up for you."},
		{"unassign means no reply", "en", []ActionResult{ok(tagAction), ok(unassign)}, ""},
		{"failed assign", "en", []ActionResult{failed(assignTeam("Sales Team"))},
			"I'm sorry, I couldn't pass you to our Sales Team just now. Please try again in a moment."},
		{"failed assign fr", "fr", []ActionResult{failed(assignTeam("Sales Team"))},
			"Désolé, je n'ai pas pu vous transférer à l'équipe Sales Team pour le moment. Merci de réessayer dans un instant."},
		{"failed assign user", "en", []ActionResult{failed(toAlice)},
			"I'm sorry, I couldn't pass you to alice just now. Please try again in a moment."},
		{"failed save", "en", []ActionResult{failed(fields(phone))},
			"I'm sorry, I couldn't save your phone number. Could you check it and send it again?"},
		{"failed save fr", "fr", []ActionResult{failed(fields(phone))},
			"Désolé, je n'ai pas pu enregistrer votre numéro de téléphone. Pouvez-vous vérifier et me le renvoyer ?"},
		{"save ok then assign fails, close never ran", "en",
			[]ActionResult{ok(fields(phone)), failed(assignTeam("Sales Team")), failed(closeAction)},
			"Thanks, I've saved your phone number. I'm sorry, I couldn't pass you to our Sales Team just now. Please try again in a moment."},
		{"failed close", "en", []ActionResult{failed(closeAction)},
			"I'm sorry, I couldn't close this conversation just now. Is there anything else I can help with, or would you like to talk to a member of our team?"},
		{"failed call", "en", []ActionResult{failed(call)},
			"I'm sorry, I couldn't look that up just now. Would you like me to pass you to a member of our team?"},
		{"failed workflow fr", "fr", []ActionResult{failed(workflow)},
			"Désolé, je n'ai pas pu faire cela pour le moment. Souhaitez-vous que je vous mette en relation avec un membre de notre équipe ?"},
		{"failed unassign still replies", "en", []ActionResult{failed(unassign)},
			"I'm sorry, I couldn't complete that just now. Would you like me to pass you to a member of our team?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, StockReply(tt.lang, tt.results, ""))
			// Guidance does not change the stock reply, and the reply is stable.
			assert.Equal(t, tt.want, StockReply(tt.lang, tt.results, "be brief and friendly"))
		})
	}
}

// A failed action is never reported as done.
func TestStockReplyNeverClaimsFailures(t *testing.T) {
	claims := map[string][]string{
		"en": {"I've passed", "I'm closing", "I've saved", "I've looked", "I've noted"},
		"fr": {"Je vous ai transféré", "Je clôture", "j'ai bien enregistré", "J'ai vérifié", "c'est noté"},
	}
	for _, lang := range Languages {
		for _, a := range []ir.Action{assignTeam("Sales"), toAlice, toBot, closeAction, fields(phone), call, tagAction, stage, workflow, unassign} {
			reply := StockReply(lang, []ActionResult{failed(a)}, "")
			assert.NotEmpty(t, reply)
			for _, c := range claims[lang] {
				assert.NotContains(t, reply, c, "%s %s", lang, a.Kind)
			}
		}
	}
}

func TestHumanize(t *testing.T) {
	for in, want := range map[string]string{
		"countryCode": "country code", "booking_date": "booking date", "Budget": "budget",
		"  first-name ": "first name", "HTTPProxy": "httpproxy", "": "", "a__b": "a b", "phone2Home": "phone2 home",
	} {
		assert.Equal(t, want, humanize(in), in)
	}
}

func TestTeamName(t *testing.T) {
	for _, tt := range []struct{ lang, name, want string }{
		{"en", "Billing", "our Billing team"},
		{"en", "Sales Team", "our Sales Team"},
		{"en", "Account Executives", "our Account Executives"},
		{"en", "Tier 1 Support", "our Tier 1 Support"},
		{"fr", "Planification", "l'équipe Planification"},
		{"fr", "Équipe de Planification", "l'équipe de Planification"},
		{"fr", "Service Client", "le service Client"},
	} {
		if d := cmp.Diff(tt.want, teamName(tt.lang, tt.name)); d != "" {
			t.Errorf("teamName(%s, %q) (-want +got):\n%s", tt.lang, tt.name, d)
		}
	}
}
