package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/runtime"
)

// BenchmarkSimulate10k replays 10,000 generated support conversations (three
// contact messages each) with the offline matcher and the in-memory backend.
func BenchmarkSimulate10k(b *testing.B) {
	res, err := compiler.CompileFile("../../examples/support/agent.instr", compiler.Options{})
	require.NoError(b, err)
	msgs := []string{"my internet is down", "I was charged twice on my bill", "I want to cancel my contract",
		"do you have parental controls?", "my new email is ann@example.org", "ok that's all, thanks", "I am moving house"}
	convs := make([]simConversation, 10000)
	for i := range convs {
		c := simConversation{ID: fmt.Sprintf("c%d", i)}
		for j := range 3 {
			c.Messages = append(c.Messages, simMessage{Role: runtime.RoleContact, Text: msgs[(i+j*3)%len(msgs)]},
				simMessage{Role: runtime.RoleAgent, Text: "Thanks."})
		}
		convs[i] = c
	}
	now := time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC)
	for b.Loop() {
		back := runtime.NewMemoryBackend()
		require.NoError(b, runtime.SeedWorkspace(context.Background(), back, res.Plan.Workspace))
		e, err := runtime.New(res.Plan, runtime.Options{Backend: back, Clock: func() time.Time { return now }})
		require.NoError(b, err)
		out, err := simulate(context.Background(), e, back, res.Plan, convs, nil)
		require.NoError(b, err)
		if out.Summary.Turns != 30000 {
			b.Fatalf("%d turns", out.Summary.Turns)
		}
	}
}
