package runtime_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tmc/langchaingo/llms"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

// benchTurn measures one offline turn on the in-memory backend; every
// iteration is a new message id, so that actions really run.
func benchTurn(b *testing.B, p *ir.Plan, text string) {
	e, _ := newEngine(b, p, runtime.Options{})
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		conv := "c" + fmt.Sprint(i%1024)
		if _, err := e.Turn(ctx, runtime.TurnInput{ConversationID: conv, MessageID: fmt.Sprint(i), Text: text}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
}

func supportPlan(b testing.TB) *ir.Plan {
	f, err := os.Open("../examples/chatbackend/plan.json")
	require.NoError(b, err)
	defer f.Close()
	p, err := ir.Read(f)
	require.NoError(b, err)
	return p
}

func BenchmarkTurnOffline(b *testing.B) {
	b.Run("acme/refund-3-actions", func(b *testing.B) { benchTurn(b, acmePlan(b), "I want a refund") })
	b.Run("acme/no-match", func(b *testing.B) { benchTurn(b, acmePlan(b), "The weather is lovely in Lyon today") })
	b.Run("support-19-scenarios/cancel-3-actions", func(b *testing.B) {
		benchTurn(b, supportPlan(b), "I want to cancel my contract, the price went up again")
	})
}

type benchConversation struct {
	ID       string            `json:"id"`
	Messages []runtime.Message `json:"messages"`
}

func readBenchConversations(b testing.TB) []benchConversation {
	f, err := os.Open("testdata/support.conversations.jsonl")
	require.NoError(b, err)
	defer f.Close()
	var out []benchConversation
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c benchConversation
		require.NoError(b, json.Unmarshal(sc.Bytes(), &c))
		out = append(out, c)
	}
	return out
}

// naiveTools is one tool per action kind, as a hosted agent exposes them.
func naiveTools() []llms.Tool {
	str := map[string]any{"type": "string"}
	tool := func(name, desc string, props map[string]any) llms.Tool {
		return llms.Tool{Type: "function", Function: &llms.FunctionDefinition{Name: name, Description: desc,
			Parameters: map[string]any{"type": "object", "properties": props}}}
	}
	return []llms.Tool{
		tool("close_conversation", "Close the conversation with a closing note and a summary.", map[string]any{"closing_note": str, "summary": str}),
		tool("assign_conversation", "Assign the conversation to a team, user or AI agent.", map[string]any{"assignee": str, "method": str}),
		tool("unassign_conversation", "Unassign the conversation.", map[string]any{}),
		tool("update_contact_fields", "Update contact fields.", map[string]any{"fields": map[string]any{"type": "object"}}),
		tool("update_lifecycle", "Set the contact's lifecycle stage.", map[string]any{"stage": str}),
		tool("update_tags", "Add or remove contact tags.", map[string]any{"add": map[string]any{"type": "array", "items": str}, "remove": map[string]any{"type": "array", "items": str}}),
		tool("add_comment", "Add an internal comment.", map[string]any{"text": str}),
		tool("trigger_workflow", "Trigger a workflow.", map[string]any{"workflow": str}),
		tool("call_action", "Call a custom HTTP action.", map[string]any{"action": str, "inputs": map[string]any{"type": "object"}}),
	}
}
