package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/runtime"
)

func post(t *testing.T, url, body string) (int, outbound) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	var out outbound
	if resp.StatusCode == http.StatusOK {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	}
	return resp.StatusCode, out
}

// TestEndToEnd talks to the backend over HTTP: a cancellation is routed to
// the Retention team, the redelivered message does nothing, and a new
// conversation goes to the next member.
func TestEndToEnd(t *testing.T) {
	t.Setenv("INSTRC_MODEL", "")
	s, err := open("plan.json", ":memory:")
	require.NoError(t, err)
	ts := httptest.NewServer(s)
	defer ts.Close()

	code, out := post(t, ts.URL+"/conversations/c1/messages", `{"messageId": "m1", "contactId": "p1", "text": "I want to cancel my contract"}`)
	require.Equal(t, http.StatusOK, code)
	assert.NotEmpty(t, out.Scenario)
	require.Len(t, out.Actions, 3)
	for _, a := range out.Actions {
		assert.Equal(t, runtime.OK, a.Status)
	}
	assert.True(t, out.ReplySent)
	assert.NotEmpty(t, out.Reply)

	code, again := post(t, ts.URL+"/conversations/c1/messages", `{"messageId": "m1", "contactId": "p1", "text": "I want to cancel my contract"}`)
	require.Equal(t, http.StatusOK, code)
	assert.True(t, again.Duplicate)
	assert.Empty(t, again.Actions)
	assert.False(t, again.ReplySent)

	resp, err := http.Get(ts.URL + "/conversations/c1")
	require.NoError(t, err)
	var conv runtime.Conversation
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&conv))
	resp.Body.Close()
	require.NotNil(t, conv.Assignee)
	assert.Equal(t, "Retention", conv.Assignee.Team)
	first := conv.Assignee.Name

	_, out = post(t, ts.URL+"/conversations/c2/messages", `{"messageId": "m1", "contactId": "p2", "text": "I want to cancel my contract"}`)
	require.Len(t, out.Actions, 3)
	resp, err = http.Get(ts.URL + "/conversations/c2")
	require.NoError(t, err)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&conv))
	resp.Body.Close()
	assert.NotEqual(t, first, conv.Assignee.Name, "round robin moves to the next member")

	code, _ = post(t, ts.URL+"/conversations/c1/messages", `not json`)
	assert.Equal(t, http.StatusBadRequest, code)
}

// TestConcurrentConversations sends many conversations at once through
// HTTP and SQLite: every turn completes and the team's load stays even.
func TestConcurrentConversations(t *testing.T) {
	t.Setenv("INSTRC_MODEL", "")
	s, err := open("plan.json", ":memory:")
	require.NoError(t, err)
	ts := httptest.NewServer(s)
	defer ts.Close()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			resp, err := http.Post(ts.URL+"/conversations/c"+string(rune('a'+i))+"/messages", "application/json",
				strings.NewReader(`{"messageId": "m1", "text": "I want to cancel my contract"}`))
			if assert.NoError(t, err) {
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	counts := map[string]int{}
	for i := range 20 {
		c, err := s.engine.Backend().Conversation(t.Context(), "c"+string(rune('a'+i)))
		require.NoError(t, err)
		require.NotNil(t, c.Assignee)
		counts[c.Assignee.Name]++
	}
	assert.Equal(t, map[string]int{"Nadia Rahman": 10, "Ivy Chen": 10}, counts)
}
