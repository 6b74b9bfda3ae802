package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/simreport"
)

// reportTurns flattens a replay for the report.
func reportTurns(out simOutput) []simreport.Turn {
	var turns []simreport.Turn
	for _, c := range out.Conversations {
		for _, t := range c.Turns {
			rt := simreport.Turn{Conversation: c.ID, Message: t.Message, Actions: t.Actions, ReplySent: t.ReplySent}
			if t.Scenario != nil {
				rt.Scenario = *t.Scenario
			}
			turns = append(turns, rt)
		}
	}
	return turns
}

func writeHTMLReport(path string, rep simreport.Report, title string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	werr := rep.WriteHTML(f, title)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	return werr
}

// csvRoles maps the sender roles helpdesk exports use to the contract's.
var csvRoles = map[string]string{
	"contact": runtime.RoleContact, "customer": runtime.RoleContact, "user": runtime.RoleContact, "client": runtime.RoleContact, "end-user": runtime.RoleContact,
	"agent": runtime.RoleAgent, "bot": runtime.RoleAgent, "assistant": runtime.RoleAgent, "operator": runtime.RoleAgent, "staff": runtime.RoleAgent,
}

// parseCSVConversations reads one message per row:
// conversation_id,timestamp,role,text (a header row with these names is
// optional). Messages are ordered by timestamp within a conversation, rows
// with equal timestamps keep the file's order; conversations keep the
// order they first appear in. Contacts start empty.
func parseCSVConversations(name string, r io.Reader) ([]simConversation, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	type msg struct {
		at   time.Time
		role string
		text string
	}
	byID := map[string][]msg{}
	var order []string
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s:%d: %v", name, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("%s:%d: %v", name, row, err)
		}
		line, _ := cr.FieldPos(0)
		if row == 1 && len(rec) >= 1 && strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(rec[0], "\ufeff")), "conversation_id") {
			continue
		}
		if len(rec) != 4 {
			return nil, fmt.Errorf("%s:%d: %d columns: want conversation_id,timestamp,role,text", name, line, len(rec))
		}
		id := strings.TrimSpace(rec[0])
		if id == "" {
			return nil, fmt.Errorf("%s:%d: the conversation id is empty", name, line)
		}
		at, err := parseTimestamp(strings.TrimSpace(rec[1]))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: timestamp %q: use RFC 3339 (2025-03-05T10:00:00Z), \"2025-03-05 10:00:00\" or Unix seconds", name, line, rec[1])
		}
		role, ok := csvRoles[strings.ToLower(strings.TrimSpace(rec[2]))]
		if !ok {
			return nil, fmt.Errorf("%s:%d: role %q: use contact or agent", name, line, rec[2])
		}
		if _, seen := byID[id]; !seen {
			order = append(order, id)
		}
		byID[id] = append(byID[id], msg{at: at, role: role, text: rec[3]})
	}
	out := make([]simConversation, 0, len(order))
	for _, id := range order {
		ms := byID[id]
		slices.SortStableFunc(ms, func(a, b msg) int { return a.at.Compare(b.at) })
		c := simConversation{ID: id}
		for _, m := range ms {
			c.Messages = append(c.Messages, simMessage{Role: m.role, Text: m.text})
		}
		out = append(out, c)
	}
	return out, nil
}

func parseTimestamp(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	var sec int64
	if _, err := fmt.Sscanf(s, "%d", &sec); err == nil && fmt.Sprint(sec) == s {
		return time.Unix(sec, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("bad timestamp")
}
