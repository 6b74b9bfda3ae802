package runtime_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/openai"

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

// BenchmarkModelTokens counts model calls and prompt tokens per turn on the
// support example's conversations, through the real langchaingo client and
// a chat-completions server that reports words as tokens. "engine" is this
// runtime (a choose call, then a reply call unless a template answers);
// "naive" is the usual setup: the whole instruction file as the system
// prompt and one call with a tool per action kind.
func BenchmarkModelTokens(b *testing.B) {
	plan := supportPlan(b)
	convs := readBenchConversations(b)
	instr, err := os.ReadFile("../examples/support/agent.instr")
	require.NoError(b, err)

	// The fake model chooses what the offline matcher chooses, so that the
	// replies see realistic outcomes.
	offline, _ := newEngine(b, plan, runtime.Options{})
	choice := map[string]string{}
	for _, c := range convs {
		for i, m := range c.Messages {
			if m.Role == runtime.RoleContact {
				r, err := offline.Turn(context.Background(), runtime.TurnInput{ConversationID: "probe-" + c.ID, MessageID: fmt.Sprint(i), Text: m.Text})
				require.NoError(b, err)
				choice[m.Text] = r.Scenario
			}
		}
	}
	srv := newOpenAIServer(b, func(r chatRequest) fakeAnswer {
		if !r.isChoose() {
			return fakeAnswer{Content: "Thanks, I have passed this on to the right team."}
		}
		user := r.Messages[len(r.Messages)-1].Content
		msg := user[strings.LastIndex(user, "<<<\n")+4 : strings.LastIndex(user, "\n>>>")]
		if id := choice[msg]; id != "" {
			return fakeAnswer{Content: `{"scenario": "` + id + `"}`}
		}
		return fakeAnswer{Content: `{"scenario": null}`}
	})

	engine := func(b *testing.B, opts runtime.Options) {
		var calls, prompt, turns int
		var perTurn []int
		for b.Loop() {
			calls, prompt, turns, perTurn = 0, 0, 0, nil
			opts.Model = srv.model(b)
			e, _ := newEngine(b, plan, opts)
			for _, c := range convs {
				for i, m := range c.Messages {
					if m.Role != runtime.RoleContact {
						continue
					}
					r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: c.ID, MessageID: fmt.Sprint(i), Text: m.Text, History: c.Messages[:i]})
					require.NoError(b, err)
					require.Empty(b, r.Fallback)
					turns++
					perTurn = append(perTurn, len(r.ModelCalls))
					for _, mc := range r.ModelCalls {
						calls++
						prompt += mc.PromptTokens
					}
				}
			}
		}
		slices.Sort(perTurn)
		b.ReportMetric(float64(calls)/float64(turns), "calls/turn")
		b.ReportMetric(float64(perTurn[len(perTurn)/2]), "median-calls/turn")
		b.ReportMetric(float64(prompt)/float64(turns), "prompt-tokens/turn")
	}
	// engine: the defaults (the model is asked only when the matcher is
	// unsure, and writes only when there is something to write);
	// ask-every-turn: the model chooses on every turn.
	b.Run("engine", func(b *testing.B) {
		engine(b, runtime.Options{ModelSureMatch: runtime.DefaultModelSureMatch})
	})
	b.Run("ask-every-turn", func(b *testing.B) {
		engine(b, runtime.Options{ModelSureMatch: 2, ModelSureNone: -1})
	})

	b.Run("naive", func(b *testing.B) {
		llm, err := openai.New(openai.WithBaseURL(srv.URL+"/v1"), openai.WithToken("x"), openai.WithModel("m"), openai.WithHTTPClient(srv.Client()))
		require.NoError(b, err)
		tools := naiveTools()
		toolWords := 0
		for _, t := range tools {
			j, _ := json.Marshal(t)
			toolWords += len(strings.Fields(strings.NewReplacer(`"`, " ", ",", " ", ":", " ", "{", " ", "}", " ").Replace(string(j))))
		}
		var calls, prompt, turns int
		for b.Loop() {
			calls, prompt, turns = 0, 0, 0
			for _, c := range convs {
				for i, m := range c.Messages {
					if m.Role != runtime.RoleContact {
						continue
					}
					msgs := []llms.MessageContent{llms.TextParts(llms.ChatMessageTypeSystem, string(instr))}
					for _, h := range c.Messages[:i+1] {
						role := llms.ChatMessageTypeHuman
						if h.Role == runtime.RoleAgent {
							role = llms.ChatMessageTypeAI
						}
						msgs = append(msgs, llms.TextParts(role, h.Text))
					}
					resp, err := llm.GenerateContent(context.Background(), msgs, llms.WithTools(tools))
					require.NoError(b, err)
					turns++
					calls++
					prompt += resp.Choices[0].GenerationInfo["PromptTokens"].(int) + toolWords
				}
			}
		}
		b.ReportMetric(float64(calls)/float64(turns), "calls/turn")
		b.ReportMetric(float64(prompt)/float64(turns), "prompt-tokens/turn")
	})
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
