package pgbackend_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/internal/pgtest"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/backendtest"
	"github.com/instrc/instrc/runtime/pgbackend"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func open(t *testing.T) *pgbackend.Backend {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b, err := pgbackend.Open(ctx, pgtest.Database(t), pgbackend.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { b.Close() })
	return b
}

func TestConformance(t *testing.T) {
	backendtest.Run(t, func(t *testing.T) backendtest.Backend { return open(t) })
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Database(t)
	// Replicas starting together migrate once.
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			b, err := pgbackend.Open(ctx, url, pgbackend.Options{})
			if err == nil {
				b.Close()
			}
			errs <- err
		}()
	}
	for range 3 {
		require.NoError(t, <-errs)
	}
	b, err := pgbackend.Open(ctx, url, pgbackend.Options{})
	require.NoError(t, err)
	defer b.Close()
	v, err := b.Version(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(2), v)
}

func TestOpenFailsWithAReason(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := pgbackend.Open(ctx, "postgres://instrc:secret@127.0.0.1:1/nowhere?sslmode=disable&connect_timeout=2", pgbackend.Options{})
	require.Error(t, err)
	require.Contains(t, err.Error(), "connecting to postgres://instrc@127.0.0.1:1/nowhere")
	require.NotContains(t, err.Error(), "secret")
}

// TestTakeoverFromADeadReplica checks that when a replica dies (its
// connections close), another one takes its conversation over without
// waiting for the lease: both the dead replica's turn lock and its claim on
// the message before.
func TestTakeoverFromADeadReplica(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Database(t)
	a, err := pgbackend.Open(ctx, url, pgbackend.Options{})
	require.NoError(t, err)
	b := open2(t, url)
	tx, err := a.BeginTurn(ctx, runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: "m1"})
	require.NoError(t, err)
	require.False(t, tx.Duplicate())
	require.NoError(t, a.Enqueue(ctx, runtime.Inbound{ConversationID: "c2", ContactID: "p2", MessageID: "m1"}))
	// The replica dies holding c1's lock and c2's first message.
	require.NoError(t, a.Close())
	for _, conv := range []string{"c1", "c2"} {
		start := time.Now()
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second) // the lease is 15 s
		tx2, err := b.BeginTurn(wctx, runtime.Inbound{ConversationID: conv, ContactID: "p", MessageID: "m2"})
		cancel()
		require.NoError(t, err, conv)
		require.False(t, tx2.Duplicate())
		require.NoError(t, tx2.Commit(ctx, runtime.TurnRecord{}))
		t.Logf("%s taken over after %s", conv, time.Since(start).Round(time.Millisecond))
	}
}

// TestHolderAliveKeepsItsLock checks that a live replica's lock is not
// taken over: another replica waits.
func TestHolderAliveKeepsItsLock(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Database(t)
	a, b := open2(t, url), open2(t, url)
	tx, err := a.BeginTurn(ctx, runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: "m1"})
	require.NoError(t, err)
	wctx, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
	defer cancel()
	_, err = b.BeginTurn(wctx, runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: "m2"})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.NoError(t, tx.Commit(ctx, runtime.TurnRecord{}))
}

func open2(t *testing.T, url string) *pgbackend.Backend {
	t.Helper()
	b, err := pgbackend.Open(context.Background(), url, pgbackend.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { b.Close() })
	return b
}
