package crashtest_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/instrc/instrc/internal/pgtest"
	"github.com/instrc/instrc/runtime"
)

// BenchmarkTurnStore measures a turn (round-robin assignment, a comment,
// the stock reply) with each step recorded with its effect and its outbox
// event, on each store: sequential turns, then turns from 8 goroutines on
// 64 conversations.
//
//	go test -run '^$' -bench TurnStore -benchtime 2s ./runtime/crashtest/
func BenchmarkTurnStore(b *testing.B) {
	stores := []struct {
		name string
		dsn  func(b *testing.B) (kind, dsn string)
	}{
		{"memory", func(*testing.B) (string, string) { return "memory", "" }},
		{"sqlite", func(b *testing.B) (string, string) { return "sqlite", filepath.Join(b.TempDir(), "instrc.db") }},
		{"postgres", func(b *testing.B) (string, string) { return "postgres", pgtest.Database(b) }},
	}
	for _, s := range stores {
		for _, parallel := range []bool{false, true} {
			name := s.name + "/sequential"
			if parallel {
				name = s.name + "/8-goroutines"
			}
			b.Run(name, func(b *testing.B) {
				kind, dsn := s.dsn(b)
				var back runtime.Backend
				var seeder runtime.Seeder
				if kind == "memory" {
					m := runtime.NewMemoryBackend()
					back, seeder = m, m
				} else {
					db, err := open(kind, dsn)
					if err != nil {
						b.Fatal(err)
					}
					defer db.Close()
					back, seeder = db, db
				}
				ctx := context.Background()
				if err := runtime.SeedWorkspace(ctx, seeder, loadPlan().Workspace); err != nil {
					b.Fatal(err)
				}
				e, err := runtime.New(loadPlan(), runtime.Options{Backend: back})
				if err != nil {
					b.Fatal(err)
				}
				var n atomic.Int64
				var wait atomic.Int64
				turn := func() {
					i := n.Add(1)
					conv := fmt.Sprintf("c%d", i%64)
					r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: conv, ContactID: "p-" + conv, MessageID: fmt.Sprintf("m%d", i), Text: "sales please"})
					if err != nil {
						b.Error(err)
						return
					}
					wait.Add(int64(r.LockWait))
				}
				b.ResetTimer()
				if parallel {
					b.SetParallelism(4) // 2 cores x 4 = 8 goroutines
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							turn()
						}
					})
				} else {
					for b.Loop() {
						turn()
					}
				}
				b.ReportMetric(float64(time.Duration(wait.Load())/time.Duration(max(n.Load(), 1)))/1e3, "µs-lockwait/op")
			})
		}
	}
}
