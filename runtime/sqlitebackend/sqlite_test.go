package sqlitebackend_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/backendtest"
	"github.com/instrc/instrc/runtime/sqlitebackend"
)

func TestConformanceInMemory(t *testing.T) {
	backendtest.Run(t, func(t *testing.T) backendtest.Backend {
		b, err := sqlitebackend.Open(":memory:")
		require.NoError(t, err)
		t.Cleanup(func() { b.Close() })
		return b
	})
}

func TestConformanceOnDisk(t *testing.T) {
	backendtest.Run(t, func(t *testing.T) backendtest.Backend {
		b, err := sqlitebackend.Open(filepath.Join(t.TempDir(), "instrc.db"))
		require.NoError(t, err)
		t.Cleanup(func() { b.Close() })
		return b
	})
}

// TestStatePersists checks that a reopened database keeps conversations,
// contacts, cursors and processed message ids.
func TestStatePersists(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "instrc.db")
	b, err := sqlitebackend.Open(path)
	require.NoError(t, err)
	require.NoError(t, b.SetTeam(ctx, "Sales Team", []string{"alice", "bob"}))
	_, first, err := b.BeginTurn(ctx, runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: "m1"})
	require.NoError(t, err)
	require.True(t, first)
	m, err := b.AssignMember(ctx, "c1", "Sales Team", ir.MethodRoundRobin)
	require.NoError(t, err)
	require.Equal(t, "alice", m)
	require.NoError(t, b.SetFields(ctx, "p1", map[string]string{"Budget": "5000"}))
	require.NoError(t, b.Close())

	b, err = sqlitebackend.Open(path)
	require.NoError(t, err)
	defer b.Close()
	_, first, err = b.BeginTurn(ctx, runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: "m1"})
	require.NoError(t, err)
	require.False(t, first, "the processed message id survives a restart")
	m, err = b.AssignMember(ctx, "c2", "Sales Team", ir.MethodRoundRobin)
	require.NoError(t, err)
	require.Equal(t, "bob", m, "the round-robin cursor survives a restart")
	c, err := b.Contact(ctx, "p1")
	require.NoError(t, err)
	require.Equal(t, "5000", c.Fields["Budget"])
}

func TestOpenFailsOnBadPath(t *testing.T) {
	_, err := sqlitebackend.Open(filepath.Join(t.TempDir(), "missing-dir", "sub", "x.db"))
	require.Error(t, err)
}
