package sqlitebackend_test

import (
	"context"
	"database/sql"
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
	tx, err := b.BeginTurn(ctx, runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: "m1"})
	require.NoError(t, err)
	r, err := tx.Apply(ctx, runtime.Step{Index: 0, Action: ir.Action{Kind: ir.KindAssign}, Effect: runtime.Effect{Kind: ir.KindAssign, Team: "Sales Team", Method: ir.MethodRoundRobin}, Record: runtime.StepRecord{Status: runtime.OK}})
	require.NoError(t, err)
	require.Equal(t, "alice", r.Assignee.Name)
	_, err = tx.Apply(ctx, runtime.Step{Index: 1, Action: ir.Action{Kind: ir.KindUpdateFields}, Effect: runtime.Effect{Kind: ir.KindUpdateFields, Fields: map[string]string{"Budget": "5000"}}, Record: runtime.StepRecord{Status: runtime.OK}})
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx, runtime.TurnRecord{}))
	require.NoError(t, b.Close())

	b, err = sqlitebackend.Open(path)
	require.NoError(t, err)
	defer b.Close()
	tx, err = b.BeginTurn(ctx, runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: "m1"})
	require.NoError(t, err)
	require.True(t, tx.Duplicate(), "the processed message id survives a restart")
	tx, err = b.BeginTurn(ctx, runtime.Inbound{ConversationID: "c2", ContactID: "p2", MessageID: "m1"})
	require.NoError(t, err)
	r, err = tx.Apply(ctx, runtime.Step{Index: 0, Action: ir.Action{Kind: ir.KindAssign}, Effect: runtime.Effect{Kind: ir.KindAssign, Team: "Sales Team", Method: ir.MethodRoundRobin}, Record: runtime.StepRecord{Status: runtime.OK}})
	require.NoError(t, err)
	require.Equal(t, "bob", r.Assignee.Name, "the round-robin cursor survives a restart")
	require.NoError(t, tx.Commit(ctx, runtime.TurnRecord{}))
	c, err := b.Contact(ctx, "p1")
	require.NoError(t, err)
	require.Equal(t, "5000", c.Fields["Budget"])
}

// TestMigratesUnversionedDatabase opens a database made before versioned
// migrations (one CREATE TABLE block, message ids marked processed when
// their turn began) and checks that it is migrated with its state kept.
func TestMigratesUnversionedDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+path)
	require.NoError(t, err)
	_, err = db.Exec(`
CREATE TABLE conversations (id TEXT PRIMARY KEY, contact_id TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'open',
	assignee_type TEXT NOT NULL DEFAULT '', assignee_name TEXT NOT NULL DEFAULT '', assignee_team TEXT NOT NULL DEFAULT '',
	closing_note TEXT NOT NULL DEFAULT '', summary TEXT NOT NULL DEFAULT '');
CREATE TABLE contacts (id TEXT PRIMARY KEY, lifecycle TEXT NOT NULL DEFAULT '');
CREATE TABLE contact_fields (contact_id TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (contact_id, name));
CREATE TABLE contact_tags (contact_id TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (contact_id, tag));
CREATE TABLE team_members (team TEXT NOT NULL, position INTEGER NOT NULL, member TEXT NOT NULL, PRIMARY KEY (team, member));
CREATE TABLE rr_cursors (team TEXT PRIMARY KEY, next INTEGER NOT NULL);
CREATE TABLE base_load (member TEXT PRIMARY KEY, open INTEGER NOT NULL);
CREATE TABLE comments (seq INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL, text TEXT NOT NULL, mentions TEXT NOT NULL);
CREATE TABLE workflow_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL, contact_id TEXT NOT NULL, workflow TEXT NOT NULL);
CREATE TABLE processed_messages (conversation_id TEXT NOT NULL, message_id TEXT NOT NULL, PRIMARY KEY (conversation_id, message_id));
CREATE INDEX conversations_assignee ON conversations (status, assignee_type, assignee_name);
INSERT INTO conversations (id, contact_id, status) VALUES ('c1', 'p1', 'closed');
INSERT INTO contacts (id, lifecycle) VALUES ('p1', 'Customer');
INSERT INTO team_members VALUES ('Sales Team', 0, 'alice'), ('Sales Team', 1, 'bob');
INSERT INTO rr_cursors VALUES ('Sales Team', 1);
INSERT INTO processed_messages VALUES ('c1', 'm1'), ('c1', 'm2');`)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	b, err := sqlitebackend.Open(path)
	require.NoError(t, err)
	defer b.Close()
	v, err := b.Version(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(3), v)
	for _, m := range []string{"m1", "m2"} {
		tx, err := b.BeginTurn(ctx, runtime.Inbound{ConversationID: "c1", ContactID: "p1", MessageID: m})
		require.NoError(t, err)
		require.True(t, tx.Duplicate(), "message %s was processed before the migration", m)
	}
	c, err := b.Contact(ctx, "p1")
	require.NoError(t, err)
	require.Equal(t, "Customer", c.Lifecycle)
	tx, err := b.BeginTurn(ctx, runtime.Inbound{ConversationID: "c9", ContactID: "p9", MessageID: "m1"})
	require.NoError(t, err)
	r, err := tx.Apply(ctx, runtime.Step{Index: 0, Action: ir.Action{Kind: ir.KindAssign}, Effect: runtime.Effect{Kind: ir.KindAssign, Team: "Sales Team", Method: ir.MethodRoundRobin}, Record: runtime.StepRecord{Status: runtime.OK}})
	require.NoError(t, err)
	require.Equal(t, "bob", r.Assignee.Name, "the round-robin cursor is kept")
	require.NoError(t, tx.Commit(ctx, runtime.TurnRecord{}))

	// Opening again finds nothing to migrate.
	b2, err := sqlitebackend.Open(path)
	require.NoError(t, err)
	require.NoError(t, b2.Close())
}

func TestOpenFailsOnBadPath(t *testing.T) {
	_, err := sqlitebackend.Open(filepath.Join(t.TempDir(), "missing-dir", "sub", "x.db"))
	require.Error(t, err)
}
