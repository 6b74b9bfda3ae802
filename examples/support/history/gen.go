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
	Role string `json:"role"`
	Text string `json:"text"`
}

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
			switch {
			case containsVerb(text, "%s"):
				text = fmt.Sprintf(text, lower(name))
			case containsVerb(text, "%03d"):
				text = fmt.Sprintf(text, r.IntN(1000))
			}
			c.Messages = append(c.Messages, message{Role: role, Text: text})
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
