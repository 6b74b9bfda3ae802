//go:build ignore

// gen writes conversations.jsonl and conversations.csv: a few hundred
// conversations such as Clearline Broadband's chat receives, for
// `instrc simulate`. The seed is fixed, so the files are reproducible:
//
//	go run gen.go
package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"time"
)

type message struct {
	Role   string `json:"role"`
	Text   string `json:"text"`
	Expect string `json:"expect,omitempty"`
}

// expect is the scenario each contact message should run in
// examples/support/agent.instr, by the line of its instruction ("none":
// nothing should run). Replies of the agent have none. `instrc simulate`
// scores the offline matcher against these.
var expect = map[string]int{
	"my internet is down": 19, "Internet not working since this morning": 19, "no internet at all, the router light is red": 19, "internet is down again!!": 19,
	"it's M4 6BX": 19, "SW1A 1AA": 19, "postcode is LS6 2QT": 19, "BS3 4HG": 19,
	"ok that's all, thanks": 49, "thanks, it's working again": 49, "great, no more questions": 49,
	"my connection is really slow in the evenings": 22, "the wifi keeps dropping every few minutes": 22, "speeds are terrible, I pay for 500 and get 20": 22, "connection keeps dropping during video calls": 22,
	"Clearline Hub 3": 22, "the Hub 2 I think": 22, "I use my own router": 22,
	"I was charged twice this month": 29, "there is a charge on my bill I don't recognise": 28, "question about my invoice": 28, "why did my payment go up?": 28, "I need a copy of my last invoice": 28,
	"ok thanks": 0, "thank you": 0,
	"I want to cancel my contract": 35, "how do I cancel my broadband": 35, "I'd like to cancel, it's too expensive": 35, "please cancel my contract, moving abroad": 35,
	"I am moving house next month": 34, "we're moving home in June, can I take my broadband?": 34, "I'm moving house, what do I need to do?": 34,
	"12 Park Road, Leeds LS6 2QT": 34, "Flat 3, 40 High Street, Bristol BS1 2AW": 34,
	"my new email is %s@example.org": 45, "please update my email to %s@mail.co.uk": 45, "my new phone number is 07700 900%03d": 45,
	"no more questions": 49, "that's all": 49,
	"this is ridiculous, third outage this week, I'll complain to Ofcom": 39, "worst service ever, I am furious": 39, "I'm very upset, nobody calls me back": 39,
	"how do I upgrade to Fiber 1000?": 30, "can I upgrade my plan?": 30, "what does Fiber 500 cost?": 30,
	"great thanks, no more questions":         49,
	"can I speak to a human about my router?": 41, "I want to talk to a real person, the troubleshooting didn't help": 41,
	"do you have parental controls?": 0, "how do I set up parental controls on the hub": 0, "can I block websites for my kids": 0,
	"what's the wifi password on the router sticker?": 0, "I forgot my wifi password": 0, "how do I change my wifi password": 0,
	"do you offer TV packages?": 0, "is there a TV bundle with the broadband": 0, "can I add TV to my plan": 0,
	"when will fibre be available on my street": 0, "is full fibre coming to my area": 0,
	"BUY CHEAP FOLLOWERS NOW www.spam.example": 48, "Congratulations you won a prize click here": 48,
}

// planIDs maps the lines of agent.instr to the plan's scenario ids.
var planIDs = map[int]string{19: "s1", 20: "s2", 21: "s3", 22: "s4", 23: "s5", 24: "s6", 28: "s7", 29: "s8", 30: "s9",
	34: "s10", 35: "s11", 39: "s12", 40: "s13", 41: "s14", 45: "s15", 46: "s16", 47: "s17", 48: "s18", 49: "s19"}

type contact struct {
	Fields    map[string]string `json:"fields"`
	Lifecycle string            `json:"lifecycle"`
	Tags      []string          `json:"tags"`
}

type conversation struct {
	ID       string    `json:"id"`
	Contact  contact   `json:"contact"`
	Messages []message `json:"messages"`
}

// A story is how a kind of conversation goes: contact and agent messages
// alternate, each picked among variants.
type story struct {
	weight int
	turns  [][]string // even index: contact variants; odd index: agent variants
}

var names = []string{"Ann", "Raj", "Chloe", "Tom", "Fatima", "Liam", "Mei", "Oskar", "Priya", "Dan", "Sara", "Kwame", "Ewa", "Jon", "Aisha"}

var stories = []story{
	{30, [][]string{
		{"my internet is down", "Internet not working since this morning", "no internet at all, the router light is red", "internet is down again!!"},
		{"Sorry to hear that. What is your postcode?"},
		{"it's M4 6BX", "SW1A 1AA", "postcode is LS6 2QT", "BS3 4HG"},
		{"Thanks, I'm checking the line now."},
		{"ok that's all, thanks", "thanks, it's working again", "great, no more questions"},
	}},
	{20, [][]string{
		{"my connection is really slow in the evenings", "the wifi keeps dropping every few minutes", "speeds are terrible, I pay for 500 and get 20", "connection keeps dropping during video calls"},
		{"Which router do you have?"},
		{"Clearline Hub 3", "the Hub 2 I think", "I use my own router"},
	}},
	{25, [][]string{
		{"I was charged twice this month", "there is a charge on my bill I don't recognise", "question about my invoice", "why did my payment go up?", "I need a copy of my last invoice"},
		{"I'll pass you to our billing assistant."},
		{"ok thanks", "thank you"},
	}},
	{15, [][]string{
		{"I want to cancel my contract", "how do I cancel my broadband", "I'd like to cancel, it's too expensive", "please cancel my contract, moving abroad"},
	}},
	{15, [][]string{
		{"I am moving house next month", "we're moving home in June, can I take my broadband?", "I'm moving house, what do I need to do?"},
		{"Congratulations! What's your new address?"},
		{"12 Park Road, Leeds LS6 2QT", "Flat 3, 40 High Street, Bristol BS1 2AW"},
	}},
	{12, [][]string{
		{"my new email is %s@example.org", "please update my email to %s@mail.co.uk", "my new phone number is 07700 900%03d"},
		{"Thanks, updated."},
		{"no more questions", "that's all"},
	}},
	{10, [][]string{
		{"this is ridiculous, third outage this week, I'll complain to Ofcom", "worst service ever, I am furious", "I'm very upset, nobody calls me back"},
	}},
	{10, [][]string{
		{"how do I upgrade to Fiber 1000?", "can I upgrade my plan?", "what does Fiber 500 cost?"},
		{"Fiber 150, 500 and 1000 cost £28, £35 and £45 a month; upgrade in the Clearline app."},
		{"great thanks, no more questions"},
	}},
	{10, [][]string{
		{"can I speak to a human about my router?", "I want to talk to a real person, the troubleshooting didn't help"},
	}},
	// What the instructions do not cover yet.
	{8, [][]string{
		{"do you have parental controls?", "how do I set up parental controls on the hub", "can I block websites for my kids"},
	}},
	{8, [][]string{
		{"what's the wifi password on the router sticker?", "I forgot my wifi password", "how do I change my wifi password"},
	}},
	{6, [][]string{
		{"do you offer TV packages?", "is there a TV bundle with the broadband", "can I add TV to my plan"},
	}},
	{6, [][]string{
		{"when will fibre be available on my street", "is full fibre coming to my area"},
	}},
	{5, [][]string{
		{"BUY CHEAP FOLLOWERS NOW www.spam.example", "Congratulations you won a prize click here"},
	}},
}

func main() {
	r := rand.New(rand.NewPCG(2025, 3))
	total := 0
	for _, s := range stories {
		total += s.weight
	}
	start := time.Date(2025, 2, 3, 8, 0, 0, 0, time.UTC)
	jf, err := os.Create("conversations.jsonl")
	check(err)
	defer jf.Close()
	cf, err := os.Create("conversations.csv")
	check(err)
	defer cf.Close()
	cw := csv.NewWriter(cf)
	check(cw.Write([]string{"conversation_id", "timestamp", "role", "text"}))
	enc := json.NewEncoder(jf)
	enc.SetEscapeHTML(false)
	for i := 1; i <= 300; i++ {
		n := r.IntN(total)
		var s story
		for _, st := range stories {
			if n < st.weight {
				s = st
				break
			}
			n -= st.weight
		}
		name := names[r.IntN(len(names))]
		c := conversation{ID: fmt.Sprintf("conv-%04d", i), Contact: contact{Fields: map[string]string{"First Name": name}, Lifecycle: "Active Customer", Tags: []string{}}}
		at := start.Add(time.Duration(r.IntN(28*24*60)) * time.Minute)
		for t, variants := range s.turns {
			role := "contact"
			if t%2 == 1 {
				role = "agent"
			}
			text := variants[r.IntN(len(variants))]
			want := ""
			if role == "contact" {
				line, ok := expect[text]
				if !ok {
					check(fmt.Errorf("no expected scenario for %q", text))
				}
				want = "none"
				if line > 0 {
					want = planIDs[line]
				}
			}
			switch {
			case containsVerb(text, "%s"):
				text = fmt.Sprintf(text, lower(name))
			case containsVerb(text, "%03d"):
				text = fmt.Sprintf(text, r.IntN(1000))
			}
			c.Messages = append(c.Messages, message{Role: role, Text: text, Expect: want})
			check(cw.Write([]string{c.ID, at.Format(time.RFC3339), role, text}))
			at = at.Add(time.Duration(20+r.IntN(300)) * time.Second)
		}
		check(enc.Encode(c))
	}
	cw.Flush()
	check(cw.Error())
}

func containsVerb(s, verb string) bool {
	for i := 0; i+len(verb) <= len(s); i++ {
		if s[i:i+len(verb)] == verb {
			return true
		}
	}
	return false
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
