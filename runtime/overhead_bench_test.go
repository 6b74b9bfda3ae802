package runtime_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/fakemodel"
)

// BenchmarkOverhead measures the framework's own time per turn with a model
// of fixed latency, 64 conversations at once on the support example's
// conversations: the turn's elapsed time less the time spent in model
// calls, p50 and p99. The model is asked on every turn, so that every turn
// pays for prompts, parsing and checks.
func BenchmarkOverhead(b *testing.B) {
	const latency = 20 * time.Millisecond
	const conversations = 64
	plan := supportPlan(b)
	convs := readBenchConversations(b)
	m := fakemodel.New()
	m.Default = func(ctx context.Context, req runtime.ModelRequest) (string, error) {
		time.Sleep(latency)
		if req.JSON {
			return `{"scenario": null}`, nil
		}
		return "Thanks, someone will follow up.", nil
	}
	for b.Loop() {
		e, _ := newEngine(b, plan, runtime.Options{Model: m, ModelSureMatch: 2, ModelSureNone: -1})
		var mu sync.Mutex
		var overhead []time.Duration
		var wg sync.WaitGroup
		for w := range conversations {
			wg.Go(func() {
				c := convs[w%len(convs)]
				for i, msg := range c.Messages {
					if msg.Role != runtime.RoleContact {
						continue
					}
					start := time.Now()
					r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: fmt.Sprint(c.ID, "-", w), MessageID: fmt.Sprint(i), Text: msg.Text, History: c.Messages[:i]})
					total := time.Since(start)
					require.NoError(b, err)
					for _, mc := range r.ModelCalls {
						total -= mc.Latency
					}
					mu.Lock()
					overhead = append(overhead, total)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		slices.Sort(overhead)
		b.ReportMetric(float64(overhead[len(overhead)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(overhead[len(overhead)*99/100].Microseconds()), "p99-µs")
		b.ReportMetric(float64(len(overhead)), "turns")
	}
}
