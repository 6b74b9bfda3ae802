package pgbackend_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/internal/pgtest"
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
	require.Equal(t, int64(1), v)
}

func TestOpenFailsWithAReason(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := pgbackend.Open(ctx, "postgres://instrc:secret@127.0.0.1:1/nowhere?sslmode=disable&connect_timeout=2", pgbackend.Options{})
	require.Error(t, err)
	require.Contains(t, err.Error(), "connecting to postgres://instrc@127.0.0.1:1/nowhere")
	require.NotContains(t, err.Error(), "secret")
}
