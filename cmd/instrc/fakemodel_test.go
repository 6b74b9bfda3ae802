package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/fakemodel"
)

// modelScript is the file the `fakemodel` script command serves:
//
//	choose:                    # JSON-mode calls: which scenario applies
//	  - when: Pro plan         # the contact's new message contains this (any case)
//	    answers:               # given in turn, then again from the first
//	      - '{"scenario": "s5"}'
//	      - {status: 503}      # an HTTP error instead of an answer
//	reply:                     # reply calls
//	  - answers: [Thanks!]     # no `when`: any message
//
// The first rule whose `when` matches answers; a call no rule answers is a
// 500, so a script that misses a message shows up as a failing run.
type modelScript struct {
	Choose []modelRule `yaml:"choose"`
	Reply  []modelRule `yaml:"reply"`
}

type modelRule struct {
	When    string `yaml:"when"`
	Answers []any  `yaml:"answers"`
	next    int
}

// answer returns the rule's next answer, cycling.
func (r *modelRule) answer() (string, error) {
	if len(r.Answers) == 0 {
		return "", fmt.Errorf("rule %q has no answers", r.When)
	}
	a := r.Answers[r.next%len(r.Answers)]
	r.next++
	switch a := a.(type) {
	case string:
		return a, nil
	case map[string]any:
		if st, ok := a["status"].(uint64); ok {
			return "", &fakemodel.StatusError{Status: int(st)}
		}
	}
	return "", fmt.Errorf("answer %v: want a string or {status: N}", a)
}

// cmdFakeModel starts an OpenAI-compatible server answering from a script
// file and points OPENAI_BASE_URL at it, so that `exec instrc … --model
// openai:<any>` talks to it over HTTP through the real client. Every call is
// appended to fakemodel.log as "<purpose>: <new message>".
func cmdFakeModel(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: fakemodel script.yaml")
	}
	var script modelScript
	if err := yaml.Unmarshal([]byte(ts.ReadFile(args[0])), &script); err != nil {
		ts.Fatalf("%s: %v", args[0], err)
	}
	logPath := ts.MkAbs("fakemodel.log")
	var mu sync.Mutex
	m := fakemodel.New()
	m.Default = func(_ context.Context, req runtime.ModelRequest) (string, error) {
		msg := fakemodel.NewMessage(req)
		mu.Lock()
		defer mu.Unlock()
		if f, err := os.OpenFile(logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintf(f, "%s: %s\n", req.Purpose, msg)
			f.Close()
		}
		rules := script.Reply
		if req.Purpose == runtime.PurposeChoose {
			rules = script.Choose
		}
		for i := range rules {
			if strings.Contains(strings.ToLower(msg), strings.ToLower(rules[i].When)) {
				return rules[i].answer()
			}
		}
		return "", fmt.Errorf("no %s rule for %q", req.Purpose, msg)
	}
	srv := httptest.NewServer(fakemodel.Handler(m))
	ts.Defer(srv.Close)
	ts.Setenv("OPENAI_BASE_URL", srv.URL+"/v1")
	ts.Setenv("OPENAI_API_KEY", "test-key")
}
