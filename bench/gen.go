// Package bench compares the speed of instrc's front end with the Gherkin
// parser's on files of the same size. The generators are deterministic so
// that every run measures the same input.
package bench

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
)

// Instructions returns an English instruction file of n scenarios that
// compiles without errors against examples/sales/workspace.yaml: list items
// under headings, some prose, leading and trailing conditions, chains of one
// to three steps (assign, save, stage, tags, close with notes, templates).
// It is the same generator as the compiler package's benchmarks use.
func Instructions(n int) []byte { return genEN.generate(n) }

// genSpec is what a generated instruction file is made of: front matter,
// headings, prose, and scenario templates whose names come from one example
// workspace. Every template compiles without errors against that workspace.
type genSpec struct {
	front    string
	heading  string // printf pattern with the section number
	prose    []string
	leading  []string // printf patterns with one %s: the topic
	trailing []string // same, written after the actions
	topics   []string
	details  []string // printf patterns with one %d, appended to a topic
	chains   [][]string
}

// genEN uses the sales example's workspace names.
var genEN = genSpec{
	front:   "---\nworkspace: ../examples/sales/workspace.yaml\nlanguage: en\n---\n# Kestrel Analytics: generated sales assistant\n\nYou answer people who message Kestrel Analytics about buying it. Be friendly and direct, one question per message.\n",
	heading: "## Topic group %d",
	prose: []string{
		"Keep each message to two or three short sentences and address the contact by their first name.",
		"Never promise discounts, custom features or delivery dates, and never share another customer's data.",
		"Starter is $49 per month, Growth is $299 per month, and Enterprise is priced per contract.",
	},
	leading: []string{
		"If the contact asks about %s",
		"When the contact mentions %s",
		"Once the contact shares %s",
		"If the contact wants to know about %s",
		"Whenever the contact brings up %s",
	},
	trailing: []string{
		"if the contact asks about %s",
		"when the contact mentions %s",
	},
	topics: []string{
		"pricing for the Growth plan", "annual billing", "the Enterprise plan", "single sign-on", "an uptime guarantee",
		"funnel reports", "retention cohorts", "mobile event tracking", "a data export", "the warehouse sync",
		"a security review", "GDPR compliance", "a migration from Mixpanel", "a migration from Amplitude", "custom dashboards",
		"a discount for startups", "the free education program", "an agency partnership", "a reseller agreement", "volume pricing",
		"the API rate limits", "session replay", "a product tour", "onboarding help", "a proof of concept",
	},
	details: []string{
		"for a team of %d people", "for %d tracked users", "with a budget of %d dollars", "for project number %d", "before day %d of the trial",
	},
	chains: [][]string{
		{"add %Pricing", "reply with a short overview of the three plans and a link to the pricing page"},
		{"save it as the Budget field", "move them to the Engaged stage"},
		{"save it as Company Size", "add %Interested", "assign the conversation to @Account Executives by round robin"},
		{"save their work email as the Work Email field", "call !lookup_account"},
		{"add %Demo Request", "trigger !book_demo"},
		{"update the lifecycle stage to \"Demo Booked\"", "reply to the contact: \"You're all set, {{$contact.firstname}}! The invite for $contact.demo_date is on its way.\""},
		{"move the contact to the Qualified stage", "add %Hot Lead", "assign the conversation to @Account Executives by round robin"},
		{"add %Enterprise", "hand the conversation over to @Enterprise Sales using least open conversations"},
		{"add an internal comment summarizing what they are looking for and mention @Priya Shah", "transfer the chat to @Sales Development"},
		{"tag them with %Partner", "assign to @Hannah Okafor"},
		{"add %Existing Customer", "hand over to @Support Assistant"},
		{"escalate the chat to @Customer Success", "reply that someone from our success team will pick it up in this conversation"},
		{"move them to the \"Disqualified\" stage", "trigger !nurture_sequence", "close the conversation with closing note \"Not a Fit\""},
		{"set the Marketing Opt-in field to false", "add %Not Interested"},
		{"close the conversation with closing note \"Spam\" and do not generate a summary"},
		{"close the conversation with closing note \"Question Answered\"", "reply to the contact: \"Thanks, {{$contact.firstname}}! Message us here anytime.\""},
		{"add %Student", "set the Plan Interest field to Starter", "reply with a link to the free education program"},
		{"save the tool's name as Current Tool", "add %Competitor Switch"},
		{"trigger !send_pricing_sheet", "remove %Interested"},
		{"set the Plan Interest field to Growth", "add %Pricing"},
	},
}

// generate writes a deterministic instruction file of n scenarios: list
// items under a heading every 25 scenarios, a paragraph of prose every 100,
// conditions leading or trailing, chains of one to three steps.
func (g genSpec) generate(n int) []byte {
	r := rand.New(rand.NewPCG(1, uint64(n)))
	var b bytes.Buffer
	b.WriteString(g.front)
	for i := range n {
		if i%25 == 0 {
			fmt.Fprintf(&b, "\n"+g.heading+"\n\n", i/25+1)
			if i%100 == 0 {
				b.WriteString(g.prose[r.IntN(len(g.prose))])
				b.WriteString("\n\n")
			}
		}
		// Topic and detail make every condition different, as they are in a
		// real file: no two scenarios are about the same thing.
		topic := g.topics[i%len(g.topics)] + " " + fmt.Sprintf(g.details[(i/len(g.topics))%len(g.details)], i+1)
		chain := strings.Join(g.chain(r), ", ")
		b.WriteString("- ")
		if r.IntN(5) == 0 {
			s := fmt.Sprintf(g.trailing[r.IntN(len(g.trailing))], topic)
			b.WriteString(strings.ToUpper(chain[:1]) + chain[1:] + " " + s)
		} else {
			b.WriteString(fmt.Sprintf(g.leading[r.IntN(len(g.leading))], topic) + ", " + chain)
		}
		b.WriteString(".\n")
	}
	return b.Bytes()
}

// chain picks a chain of steps, joined with the connectors authors use.
func (g genSpec) chain(r *rand.Rand) []string {
	c := g.chains[r.IntN(len(g.chains))]
	out := append([]string(nil), c...)
	if len(out) > 1 {
		last := len(out) - 1
		if strings.HasPrefix(g.front, "---\nworkspace: ../examples/boutique") {
			out[last] = []string{"puis ", "et ", "et ensuite "}[r.IntN(3)] + out[last]
		} else {
			out[last] = []string{"then ", "and ", "and then "}[r.IntN(3)] + out[last]
		}
	}
	return out
}

// gherkinTopics and friends give the feature file the same variety as the
// instruction file.
var (
	gherkinActors  = []string{"a visitor", "a contact", "a trial user", "a prospect", "a customer"}
	gherkinActions = []string{
		"asks about %s", "mentions %s", "shares %s", "wants %s", "brings up %s",
	}
	gherkinOutcomes = [][]string{
		{"it is tagged \"Pricing\"", "the agent replies"},
		{"the Budget is saved"},
		{"it goes to \"Account Executives\""},
		{"the demo workflow runs"},
		{"it is closed as \"Not a Fit\""},
	}
)

// Feature returns a Gherkin feature file of n scenarios with Given, When,
// Then and And steps, about as many bytes per scenario as Instructions.
func Feature(n int) []byte {
	r := rand.New(rand.NewPCG(2, uint64(n)))
	var b bytes.Buffer
	b.WriteString("Feature: Generated sales assistant\n  People who message Kestrel Analytics about buying it are qualified and routed.\n\n")
	b.WriteString("  Background:\n    Given the sales workspace is loaded\n\n")
	for i := range n {
		if i%100 == 0 {
			fmt.Fprintf(&b, "  # Topic group %d\n", i/100+1)
		}
		topic := genEN.topics[i%len(genEN.topics)] + " " + fmt.Sprintf(genEN.details[(i/len(genEN.topics))%len(genEN.details)], i+1)
		fmt.Fprintf(&b, "  Scenario: %s %d\n", genEN.topics[i%len(genEN.topics)], i+1)
		fmt.Fprintf(&b, "    Given %s\n", gherkinActors[r.IntN(len(gherkinActors))])
		fmt.Fprintf(&b, "    When they %s\n", fmt.Sprintf(gherkinActions[r.IntN(len(gherkinActions))], topic))
		for j, o := range gherkinOutcomes[r.IntN(len(gherkinOutcomes))] {
			kw := "Then"
			if j > 0 {
				kw = "And"
			}
			fmt.Fprintf(&b, "    %s %s\n", kw, o)
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

// SalesWorkspace is the workspace Instructions is written against, relative
// to this directory.
const SalesWorkspace = "../examples/sales/workspace.yaml"
