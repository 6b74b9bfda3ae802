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
	"time"

	"github.com/stretchr/testify/require"
	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/openai"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

// labelledConversation is a conversation of examples/support/history: each
// contact message says which scenario it should run ("none": nothing).
type labelledConversation struct {
	ID      string `json:"id"`
	Contact struct {
		Fields    map[string]any `json:"fields"`
		Lifecycle string         `json:"lifecycle"`
		Tags      []string       `json:"tags"`
	} `json:"contact"`
	Messages []struct {
		Role   string `json:"role"`
		Text   string `json:"text"`
		Expect string `json:"expect"`
	} `json:"messages"`
}

func readLabelled(b testing.TB, path string) []labelledConversation {
	f, err := os.Open(path)
	require.NoError(b, err)
	defer f.Close()
	var out []labelledConversation
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var c labelledConversation
		require.NoError(b, json.Unmarshal(sc.Bytes(), &c))
		out = append(out, c)
	}
	require.NoError(b, sc.Err())
	return out
}

// oracleKey is what tells two turns apart for the scripted model: the new
// message and the agent's message before it.
func oracleKey(prevAgent, msg string) string { return prevAgent + "\x00" + msg }

// BenchmarkModelFigures measures, in one run, the figures of BENCHMARKS.md
// ("A turn with a model"): on the 300 labelled conversations of
// examples/support/history (536 contact turns) against the support plan,
// through the real langchaingo OpenAI client and a local chat-completions
// server that answers every call after a fixed latency, as a model that
// knows the labels would (the scenario the message's label names, or
// null). Three setups:
//
//   - engine: the defaults (the model chooses only when the offline
//     matcher is unsure, writes only when there is something to write);
//   - ask-every-turn: the model chooses on every turn;
//   - naive: the whole agent.instr as the system prompt, the history and
//     the message, one call per turn with 9 action tools.
//
// Tokens are counted with the runtime's tokenizer (o200k_base) for every
// setup: the engine's requests as ModelCall.InputTokens, the naive ones
// the same way (3 tokens per message and 3 to prime the answer) plus the
// tools' JSON. Accuracy is the share of turns whose scenario is the
// label's (none when the label is none).
func BenchmarkModelFigures(b *testing.B) {
	const latency = 10 * time.Millisecond
	f, err := os.Open("../examples/support/plan.json")
	require.NoError(b, err)
	plan, err := ir.Read(f)
	f.Close()
	require.NoError(b, err)
	instr, err := os.ReadFile("../examples/support/agent.instr")
	require.NoError(b, err)
	convs := readLabelled(b, "../examples/support/history/conversations.jsonl")

	// The scripted model's answers: the label of each (agent message,
	// contact message), the most frequent when a pair repeats.
	votes := map[string]map[string]int{}
	for _, c := range convs {
		prev := ""
		for _, m := range c.Messages {
			if m.Role == runtime.RoleAgent {
				prev = m.Text
				continue
			}
			k := oracleKey(prev, m.Text)
			if votes[k] == nil {
				votes[k] = map[string]int{}
			}
			votes[k][m.Expect]++
		}
	}
	label := map[string]string{}
	for k, v := range votes {
		best, n := "", -1
		for id, c := range v {
			if c > n || (c == n && id < best) {
				best, n = id, c
			}
		}
		label[k] = best
	}
	srv := newOpenAIServer(b, func(r chatRequest) fakeAnswer {
		a := fakeAnswer{Delay: latency, Content: "Thanks, a teammate will follow up shortly."}
		if !r.isChoose() {
			return a
		}
		user := r.Messages[len(r.Messages)-1].Content
		msg := user[strings.LastIndex(user, "<<<\n")+4 : strings.LastIndex(user, "\n>>>")]
		prev := ""
		hist := user[:strings.LastIndex(user, "New message from the contact")]
		if i := strings.LastIndex(hist, "\nagent: "); i >= 0 {
			prev = strings.TrimSpace(strings.SplitN(hist[i+len("\nagent: "):], "\n", 2)[0])
		} else if strings.HasPrefix(hist, "agent: ") {
			prev = strings.TrimSpace(strings.SplitN(hist[len("agent: "):], "\n", 2)[0])
		}
		if id := label[oracleKey(prev, msg)]; id != "" && id != "none" {
			a.Content = `{"scenario": "` + id + `"}`
		} else {
			a.Content = `{"scenario": null}`
		}
		return a
	})

	type figures struct {
		calls         []int
		input, prefix int
		right, turns  int
		latency       []time.Duration
		wrong         map[string]int
	}
	report := func(b *testing.B, f figures) {
		slices.Sort(f.calls)
		slices.Sort(f.latency)
		total := 0
		for _, c := range f.calls {
			total += c
		}
		var lat time.Duration
		for _, l := range f.latency {
			lat += l
		}
		b.ReportMetric(float64(total)/float64(f.turns), "calls/turn")
		b.ReportMetric(float64(f.calls[len(f.calls)/2]), "median-calls/turn")
		b.ReportMetric(float64(f.input)/float64(f.turns), "input-tokens/turn")
		b.ReportMetric(float64(f.prefix)/float64(f.turns), "prefix-tokens/turn")
		if f.right >= 0 {
			b.ReportMetric(100*float64(f.right)/float64(f.turns), "accuracy-%")
		}
		b.ReportMetric(float64(lat.Microseconds())/float64(f.turns)/1000, "ms/turn")
		b.ReportMetric(float64(f.latency[len(f.latency)/2].Microseconds())/1000, "p50-ms/turn")
		b.ReportMetric(float64(len(f.latency)), "turns")
	}
	engine := func(b *testing.B, opts runtime.Options) {
		var fig figures
		for b.Loop() {
			fig = figures{wrong: map[string]int{}}
			opts.Model = srv.model(b)
			e, be := newEngine(b, plan, opts)
			ctx := context.Background()
			for _, c := range convs {
				ct := runtime.Contact{ID: c.ID, Fields: map[string]string{}, Lifecycle: c.Contact.Lifecycle, Tags: c.Contact.Tags}
				for k, v := range c.Contact.Fields {
					ct.Fields[plan.Workspace.FieldName(k)] = fmt.Sprint(v)
				}
				require.NoError(b, be.PutContact(ctx, ct))
				var history []runtime.Message
				for i, m := range c.Messages {
					if m.Role != runtime.RoleContact {
						history = append(history, runtime.Message{Role: m.Role, Text: m.Text})
						continue
					}
					start := time.Now()
					r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: c.ID, ContactID: c.ID, MessageID: fmt.Sprint(i), Text: m.Text, History: history})
					fig.latency = append(fig.latency, time.Since(start))
					require.NoError(b, err)
					history = append(history, runtime.Message{Role: m.Role, Text: m.Text})
					fig.turns++
					fig.calls = append(fig.calls, len(r.ModelCalls))
					for _, mc := range r.ModelCalls {
						require.Empty(b, mc.Error)
						fig.input += mc.InputTokens
						fig.prefix += mc.PrefixTokens
					}
					got := r.Scenario
					if got == "" {
						got = "none"
					}
					if got == m.Expect {
						fig.right++
					} else {
						fig.wrong[fmt.Sprintf("%q: want %s, got %s (%s)", m.Text, m.Expect, got, r.Why)]++
					}
				}
			}
		}
		report(b, fig)
		for w, n := range fig.wrong {
			b.Logf("%d× %s", n, w)
		}
	}
	b.Run("engine", func(b *testing.B) {
		engine(b, runtime.Options{ModelSureMatch: runtime.DefaultModelSureMatch, ModelSureNone: runtime.DefaultModelSureNone})
	})
	b.Run("ask-every-turn", func(b *testing.B) { engine(b, runtime.Options{ModelSureMatch: 2, ModelSureNone: -1}) })
	b.Run("naive", func(b *testing.B) {
		llm, err := openai.New(openai.WithBaseURL(srv.URL+"/v1"), openai.WithToken("x"), openai.WithModel("m"), openai.WithHTTPClient(srv.Client()))
		require.NoError(b, err)
		tools := naiveTools()
		tj, _ := json.Marshal(tools)
		toolTokens := runtime.CountTokens(string(tj))
		system := runtime.CountTokens(string(instr)) + 3
		var fig figures
		for b.Loop() {
			fig = figures{right: -1}
			for _, c := range convs {
				var msgs []llms.MessageContent
				msgs = append(msgs, llms.TextParts(llms.ChatMessageTypeSystem, string(instr)))
				for _, m := range c.Messages {
					role := llms.ChatMessageTypeHuman
					if m.Role == runtime.RoleAgent {
						role = llms.ChatMessageTypeAI
					}
					msgs = append(msgs, llms.TextParts(role, m.Text))
					if m.Role != runtime.RoleContact {
						continue
					}
					start := time.Now()
					_, err := llm.GenerateContent(context.Background(), msgs, llms.WithTools(tools))
					fig.latency = append(fig.latency, time.Since(start))
					require.NoError(b, err)
					in := system + toolTokens + 3
					for _, h := range msgs[1:] {
						in += runtime.CountTokens(h.Parts[0].(llms.TextContent).Text) + 3
					}
					fig.turns++
					fig.calls = append(fig.calls, 1)
					fig.input += in
					fig.prefix += system + toolTokens
				}
			}
		}
		report(b, fig)
	})
}
