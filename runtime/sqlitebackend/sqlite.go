// Package sqlitebackend is a runtime.Backend stored in SQLite through the
// pure-Go modernc.org/sqlite driver, so that it builds without cgo. It is the
// CLI's embedded default and the backend of examples/chatbackend.
//
// Every operation runs in one transaction on a single connection: SQLite
// serialises writers anyway, and one connection makes the atomic operations
// (claiming a message id, advancing a round-robin cursor) simple and safe
// across goroutines.
package sqlitebackend

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

// Backend is a SQLite-backed runtime.Backend.
type Backend struct {
	db *sql.DB
}

var (
	_ runtime.Backend  = (*Backend)(nil)
	_ runtime.Seeder   = (*Backend)(nil)
	_ runtime.Recorder = (*Backend)(nil)
)

const schema = `
CREATE TABLE IF NOT EXISTS conversations (
	id TEXT PRIMARY KEY,
	contact_id TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'open',
	assignee_type TEXT NOT NULL DEFAULT '',
	assignee_name TEXT NOT NULL DEFAULT '',
	assignee_team TEXT NOT NULL DEFAULT '',
	closing_note TEXT NOT NULL DEFAULT '',
	summary TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS contacts (
	id TEXT PRIMARY KEY,
	lifecycle TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS contact_fields (
	contact_id TEXT NOT NULL,
	name TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (contact_id, name)
);
CREATE TABLE IF NOT EXISTS contact_tags (
	contact_id TEXT NOT NULL,
	tag TEXT NOT NULL,
	PRIMARY KEY (contact_id, tag)
);
CREATE TABLE IF NOT EXISTS team_members (
	team TEXT NOT NULL,
	position INTEGER NOT NULL,
	member TEXT NOT NULL,
	PRIMARY KEY (team, member)
);
CREATE TABLE IF NOT EXISTS rr_cursors (
	team TEXT PRIMARY KEY,
	next INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS base_load (
	member TEXT PRIMARY KEY,
	open INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS comments (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	conversation_id TEXT NOT NULL,
	text TEXT NOT NULL,
	mentions TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS workflow_events (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	conversation_id TEXT NOT NULL,
	contact_id TEXT NOT NULL,
	workflow TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS processed_messages (
	conversation_id TEXT NOT NULL,
	message_id TEXT NOT NULL,
	PRIMARY KEY (conversation_id, message_id)
);
CREATE INDEX IF NOT EXISTS conversations_assignee ON conversations (status, assignee_type, assignee_name);
`

// Open opens (creating if needed) the database at path; "" or ":memory:"
// opens a private in-memory database.
func Open(path string) (*Backend, error) {
	dsn := "file:" + path
	if path == "" || path == ":memory:" {
		dsn = "file::memory:"
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	dsn += sep + "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("creating the schema in %s: %w", path, err)
	}
	return &Backend{db: db}, nil
}

// Close closes the database.
func (b *Backend) Close() error { return b.db.Close() }

// DB returns the underlying database, for hosts that read it directly.
func (b *Backend) DB() *sql.DB { return b.db }

// tx runs f in a transaction, committing when it returns nil.
func (b *Backend) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func ensureConv(ctx context.Context, tx *sql.Tx, id string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO conversations (id) VALUES (?) ON CONFLICT (id) DO NOTHING`, id)
	return err
}

func readConv(ctx context.Context, q querier, id string) (runtime.Conversation, error) {
	c := runtime.Conversation{ID: id, Status: runtime.StatusOpen}
	var at, an, team string
	err := q.QueryRowContext(ctx, `SELECT contact_id, status, assignee_type, assignee_name, assignee_team, closing_note, summary FROM conversations WHERE id = ?`, id).
		Scan(&c.ContactID, &c.Status, &at, &an, &team, &c.ClosingNote, &c.Summary)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	if at != "" {
		c.Assignee = &runtime.Assignee{Type: at, Name: an, Team: team}
	}
	return c, nil
}

// BeginTurn implements runtime.Backend.
func (b *Backend) BeginTurn(ctx context.Context, in runtime.Inbound) (conv runtime.Conversation, first bool, err error) {
	err = b.tx(ctx, func(tx *sql.Tx) error {
		if err := ensureConv(ctx, tx, in.ConversationID); err != nil {
			return err
		}
		if in.ContactID != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE conversations SET contact_id = ? WHERE id = ?`, in.ContactID, in.ConversationID); err != nil {
				return err
			}
		}
		first = true
		if in.MessageID != "" {
			r, err := tx.ExecContext(ctx, `INSERT INTO processed_messages (conversation_id, message_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, in.ConversationID, in.MessageID)
			if err != nil {
				return err
			}
			n, err := r.RowsAffected()
			if err != nil {
				return err
			}
			first = n == 1
		}
		if first {
			if _, err := tx.ExecContext(ctx, `UPDATE conversations SET status = 'open', closing_note = '', summary = '' WHERE id = ? AND status = 'closed'`, in.ConversationID); err != nil {
				return err
			}
		}
		conv, err = readConv(ctx, tx, in.ConversationID)
		return err
	})
	return conv, first, err
}

// Conversation implements runtime.Backend.
func (b *Backend) Conversation(ctx context.Context, id string) (runtime.Conversation, error) {
	return readConv(ctx, b.db, id)
}

func (b *Backend) setAssignee(ctx context.Context, tx *sql.Tx, id string, a runtime.Assignee) error {
	if err := ensureConv(ctx, tx, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE conversations SET assignee_type = ?, assignee_name = ?, assignee_team = ? WHERE id = ?`, a.Type, a.Name, a.Team, id)
	return err
}

// Assign implements runtime.Backend.
func (b *Backend) Assign(ctx context.Context, id string, a runtime.Assignee) error {
	return b.tx(ctx, func(tx *sql.Tx) error { return b.setAssignee(ctx, tx, id, a) })
}

// AssignMember implements runtime.Backend.
func (b *Backend) AssignMember(ctx context.Context, id, team, method string) (string, error) {
	var member string
	err := b.tx(ctx, func(tx *sql.Tx) error {
		members, err := teamMembers(ctx, tx, team)
		if err != nil {
			return err
		}
		var ok bool
		switch method {
		case ir.MethodLeastOpen:
			open, err := openCounts(ctx, tx, members)
			if err != nil {
				return err
			}
			member, ok = runtime.PickLeastOpen(members, open)
		case ir.MethodRoundRobin, "":
			var cursor int
			err := tx.QueryRowContext(ctx, `SELECT next FROM rr_cursors WHERE team = ?`, team).Scan(&cursor)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			var next int
			member, next, ok = runtime.PickRoundRobin(members, cursor)
			if ok {
				if _, err := tx.ExecContext(ctx, `INSERT INTO rr_cursors (team, next) VALUES (?, ?) ON CONFLICT (team) DO UPDATE SET next = excluded.next`, team, next); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("unknown assignment method %q", method)
		}
		if !ok {
			return runtime.ErrNoMembers
		}
		return b.setAssignee(ctx, tx, id, runtime.Assignee{Type: ir.TargetUser, Name: member, Team: team})
	})
	if err != nil {
		return "", err
	}
	return member, nil
}

// Unassign implements runtime.Backend.
func (b *Backend) Unassign(ctx context.Context, id string) error {
	return b.tx(ctx, func(tx *sql.Tx) error { return b.setAssignee(ctx, tx, id, runtime.Assignee{}) })
}

// CloseConversation implements runtime.Backend.
func (b *Backend) CloseConversation(ctx context.Context, id string, c runtime.Closing) error {
	return b.tx(ctx, func(tx *sql.Tx) error {
		if err := ensureConv(ctx, tx, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE conversations SET status = 'closed', closing_note = ?, summary = ? WHERE id = ?`, c.Note, c.Summary, id)
		return err
	})
}

// AddComment implements runtime.Backend.
func (b *Backend) AddComment(ctx context.Context, c runtime.Comment) error {
	mentions, err := json.Marshal(c.Mentions)
	if err != nil {
		return err
	}
	_, err = b.db.ExecContext(ctx, `INSERT INTO comments (conversation_id, text, mentions) VALUES (?, ?, ?)`, c.ConversationID, c.Text, string(mentions))
	return err
}

// TriggerWorkflow implements runtime.Backend.
func (b *Backend) TriggerWorkflow(ctx context.Context, e runtime.WorkflowEvent) error {
	_, err := b.db.ExecContext(ctx, `INSERT INTO workflow_events (conversation_id, contact_id, workflow) VALUES (?, ?, ?)`, e.ConversationID, e.ContactID, e.Workflow)
	return err
}

// Contact implements runtime.Backend.
func (b *Backend) Contact(ctx context.Context, id string) (runtime.Contact, error) {
	c := runtime.Contact{ID: id, Fields: map[string]string{}}
	err := b.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT lifecycle FROM contacts WHERE id = ?`, id).Scan(&c.Lifecycle)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT name, value FROM contact_fields WHERE contact_id = ?`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return err
			}
			c.Fields[k] = v
		}
		if err := rows.Close(); err != nil {
			return err
		}
		c.Tags, err = strings1(ctx, tx, `SELECT tag FROM contact_tags WHERE contact_id = ? ORDER BY tag`, id)
		return err
	})
	return c, err
}

// strings1 reads a one-column string query.
func strings1(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func ensureContact(ctx context.Context, tx *sql.Tx, id string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO contacts (id) VALUES (?) ON CONFLICT (id) DO NOTHING`, id)
	return err
}

// SetFields implements runtime.Backend.
func (b *Backend) SetFields(ctx context.Context, id string, values map[string]string) error {
	return b.tx(ctx, func(tx *sql.Tx) error {
		if err := ensureContact(ctx, tx, id); err != nil {
			return err
		}
		for _, k := range slices.Sorted(maps.Keys(values)) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO contact_fields (contact_id, name, value) VALUES (?, ?, ?) ON CONFLICT (contact_id, name) DO UPDATE SET value = excluded.value`, id, k, values[k]); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetLifecycle implements runtime.Backend.
func (b *Backend) SetLifecycle(ctx context.Context, id, stage string) error {
	_, err := b.db.ExecContext(ctx, `INSERT INTO contacts (id, lifecycle) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET lifecycle = excluded.lifecycle`, id, stage)
	return err
}

// UpdateTags implements runtime.Backend.
func (b *Backend) UpdateTags(ctx context.Context, id string, add, remove []string) error {
	return b.tx(ctx, func(tx *sql.Tx) error {
		if err := ensureContact(ctx, tx, id); err != nil {
			return err
		}
		for _, t := range add {
			if _, err := tx.ExecContext(ctx, `INSERT INTO contact_tags (contact_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, t); err != nil {
				return err
			}
		}
		for _, t := range remove {
			if _, err := tx.ExecContext(ctx, `DELETE FROM contact_tags WHERE contact_id = ? AND tag = ?`, id, t); err != nil {
				return err
			}
		}
		return nil
	})
}

func teamMembers(ctx context.Context, q querier, team string) ([]string, error) {
	return strings1(ctx, q, `SELECT member FROM team_members WHERE team = ? ORDER BY position`, team)
}

// TeamMembers implements runtime.Backend.
func (b *Backend) TeamMembers(ctx context.Context, team string) ([]string, error) {
	return teamMembers(ctx, b.db, team)
}

func openCounts(ctx context.Context, q querier, members []string) (map[string]int, error) {
	out := make(map[string]int, len(members))
	for _, m := range members {
		var base, open int
		err := q.QueryRowContext(ctx, `SELECT COALESCE((SELECT open FROM base_load WHERE member = ?), 0),
			(SELECT COUNT(*) FROM conversations WHERE status = 'open' AND assignee_type = ? AND assignee_name = ?)`, m, ir.TargetUser, m).Scan(&base, &open)
		if err != nil {
			return nil, err
		}
		out[m] = base + open
	}
	return out, nil
}

// OpenCounts implements runtime.Backend.
func (b *Backend) OpenCounts(ctx context.Context, members []string) (map[string]int, error) {
	return openCounts(ctx, b.db, members)
}

// SetTeam implements runtime.Seeder.
func (b *Backend) SetTeam(ctx context.Context, team string, members []string) error {
	return b.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM team_members WHERE team = ?`, team); err != nil {
			return err
		}
		for i, m := range members {
			if _, err := tx.ExecContext(ctx, `INSERT INTO team_members (team, position, member) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, team, i, m); err != nil {
				return err
			}
		}
		return nil
	})
}

// PutContact implements runtime.Seeder: it replaces the contact's state.
func (b *Backend) PutContact(ctx context.Context, c runtime.Contact) error {
	return b.tx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{`DELETE FROM contact_fields WHERE contact_id = ?`, `DELETE FROM contact_tags WHERE contact_id = ?`} {
			if _, err := tx.ExecContext(ctx, q, c.ID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO contacts (id, lifecycle) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET lifecycle = excluded.lifecycle`, c.ID, c.Lifecycle); err != nil {
			return err
		}
		for k, v := range c.Fields {
			if _, err := tx.ExecContext(ctx, `INSERT INTO contact_fields (contact_id, name, value) VALUES (?, ?, ?)`, c.ID, k, v); err != nil {
				return err
			}
		}
		for _, t := range c.Tags {
			if _, err := tx.ExecContext(ctx, `INSERT INTO contact_tags (contact_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING`, c.ID, t); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetBaseLoad implements runtime.Seeder.
func (b *Backend) SetBaseLoad(ctx context.Context, member string, open int) error {
	_, err := b.db.ExecContext(ctx, `INSERT INTO base_load (member, open) VALUES (?, ?) ON CONFLICT (member) DO UPDATE SET open = excluded.open`, member, open)
	return err
}

// Comments implements runtime.Recorder.
func (b *Backend) Comments(ctx context.Context, id string) ([]runtime.Comment, error) {
	rows, err := b.db.QueryContext(ctx, `SELECT text, mentions FROM comments WHERE conversation_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []runtime.Comment
	for rows.Next() {
		c := runtime.Comment{ConversationID: id}
		var mentions string
		if err := rows.Scan(&c.Text, &mentions); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(mentions), &c.Mentions); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// WorkflowEvents implements runtime.Recorder.
func (b *Backend) WorkflowEvents(ctx context.Context, id string) ([]runtime.WorkflowEvent, error) {
	rows, err := b.db.QueryContext(ctx, `SELECT contact_id, workflow FROM workflow_events WHERE conversation_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []runtime.WorkflowEvent
	for rows.Next() {
		e := runtime.WorkflowEvent{ConversationID: id}
		if err := rows.Scan(&e.ContactID, &e.Workflow); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
