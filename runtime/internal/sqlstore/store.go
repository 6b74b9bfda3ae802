// Package sqlstore is the SQL implementation shared by the SQLite and
// PostgreSQL backends: the turn lock with its fencing token, the arrival
// queue of each conversation, the step records, the outbox, and the state
// the actions write. The backends bring the database, its migrations and the
// dialect's few differences.
package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
)

// Dialect is what differs between the databases.
type Dialect struct {
	// Postgres numbers placeholders ($1) and locks rows it reads for update.
	Postgres bool
	// Retryable reports an error after which the whole transaction may be
	// run again: a busy database, a serialization failure, a deadlock.
	Retryable func(error) bool
}

// Options tune a Store.
type Options struct {
	// Lease is how long a turn lock or a waiting message stays claimed
	// without renewal; a live turn renews it every Lease/3. Default 15s.
	Lease time.Duration
	// Poll is the longest pause between two looks at a busy conversation.
	// Default 50ms.
	Poll time.Duration
	// OrderWindow is how long after its arrival a message waits before
	// its turn may start, so that a message of the same conversation that
	// arrived before it, on another replica, but took longer to reach the
	// queue (a busy machine, a connection to wait for) still runs first.
	// Default DefaultOrderWindow; negative: none.
	OrderWindow time.Duration
	// RetryFor bounds how long a transaction is retried on a busy database.
	// Default 30s.
	RetryFor time.Duration
	// Holder names this store's process in the claims and locks it takes,
	// so that another process can tell that it died: a
	// PostgreSQL session ("pg:PID:START", checked in pg_stat_activity) or
	// a process of this machine ("proc:HOST:PID:START", checked in /proc).
	// Empty: only the lease ends a claim.
	Holder string
	// QueueDB, when set, is a pool of its own for Enqueue, so that a
	// message that arrives gets its place in the queue at once, not after
	// the turns and waiting messages that hold the main pool's
	// connections.
	QueueDB *sql.DB
}

// DefaultOrderWindow is Options.OrderWindow's default.
const DefaultOrderWindow = 50 * time.Millisecond

// Store is a runtime.Backend, Seeder, Recorder and Outbox over database/sql.
type Store struct {
	db   *sql.DB
	d    Dialect
	opts Options
	// KeepClosed keeps a closed conversation closed on a new message.
	keepClosed bool
	queries    sync.Map // query → query with the dialect's placeholders
	stats      Stats
	statsMu    sync.Mutex
	holder     atomic.Pointer[string]
	// alive caches what is known of other holders: a dead one stays dead,
	// a live one is checked again after a second.
	aliveMu sync.Mutex
	alive   map[string]aliveSeen
	// wakeMu guards wake: conversation → channel closed when a turn of
	// it ends (here, or on another replica that notified it), so that the
	// messages waiting for it look again at once instead of polling.
	wakeMu sync.Mutex
	wake   map[string]chan struct{}
	// notified is set while other replicas' turn ends reach Wake
	// (PostgreSQL's LISTEN): waiting messages then poll rarely.
	notified atomic.Bool
}

type aliveSeen struct {
	alive bool
	at    time.Time
}

// Stats counts what a Store waited for.
type Stats struct {
	// Retries is the number of transactions run again after a busy
	// database or a serialization failure.
	Retries int64
}

var (
	_ runtime.Backend  = (*Store)(nil)
	_ runtime.Seeder   = (*Store)(nil)
	_ runtime.Recorder = (*Store)(nil)
	_ runtime.Outbox   = (*Store)(nil)
)

// New returns a Store on a migrated database.
func New(db *sql.DB, d Dialect, opts Options) *Store {
	if opts.Lease <= 0 {
		opts.Lease = 15 * time.Second
	}
	if opts.Poll <= 0 {
		opts.Poll = 50 * time.Millisecond
	}
	if opts.RetryFor <= 0 {
		opts.RetryFor = 30 * time.Second
	}
	if opts.OrderWindow == 0 {
		opts.OrderWindow = DefaultOrderWindow
	}
	opts.OrderWindow = max(opts.OrderWindow, 0)
	if d.Retryable == nil {
		d.Retryable = func(error) bool { return false }
	}
	st := &Store{db: db, d: d, opts: opts, alive: map[string]aliveSeen{}, wake: map[string]chan struct{}{}}
	st.SetHolder(opts.Holder)
	return st
}

// SetHolder changes the name this store's process gives its claims and
// locks (a PostgreSQL backend whose session was replaced).
func (s *Store) SetHolder(h string) { s.holder.Store(&h) }

func (s *Store) holderName() string { return *s.holder.Load() }

// DB returns the underlying database, for hosts that read it directly.
func (s *Store) DB() *sql.DB { return s.db }

// Ping checks that the database answers (serve's /readyz).
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Close closes the database.
func (s *Store) Close() error {
	if s.opts.QueueDB != nil {
		s.opts.QueueDB.Close()
	}
	return s.db.Close()
}

// KeepClosed makes the store keep a closed conversation closed when a new
// message comes in; by default a new message reopens it.
func (s *Store) KeepClosed(keep bool) { s.keepClosed = keep }

// Stats returns what the store waited for so far.
func (s *Store) Stats() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	return s.stats
}

// q rewrites ? placeholders for the dialect.
func (s *Store) q(query string) string {
	if !s.d.Postgres {
		return query
	}
	if v, ok := s.queries.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	out := b.String()
	s.queries.Store(query, out)
	return out
}

// tx is a transaction with the dialect's placeholders.
type tx struct {
	s   *Store
	tx  *sql.Tx
	ctx context.Context
}

func (t *tx) exec(query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(t.ctx, t.s.q(query), args...)
}

func (t *tx) row(query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(t.ctx, t.s.q(query), args...)
}

func (t *tx) rows(query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(t.ctx, t.s.q(query), args...)
}

// inTx runs f in a transaction, committing when it returns nil, and runs it
// again while the database answers busy (SQLite) or a serialization failure
// (PostgreSQL), for at most RetryFor.
func (s *Store) inTx(ctx context.Context, f func(*tx) error) error { return s.inTxOn(ctx, s.db, f) }

func (s *Store) inTxOn(ctx context.Context, db *sql.DB, f func(*tx) error) error {
	deadline := time.Now().Add(s.opts.RetryFor)
	pause := time.Millisecond
	for {
		err := s.once(ctx, db, f)
		if err == nil || !s.d.Retryable(err) || time.Now().After(deadline) || ctx.Err() != nil {
			return err
		}
		s.statsMu.Lock()
		s.stats.Retries++
		s.statsMu.Unlock()
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
		pause = min(pause*2, 100*time.Millisecond)
	}
}

func (s *Store) once(ctx context.Context, db *sql.DB, f func(*tx) error) error {
	t, err := db.BeginTx(ctx, nil)
	if err != nil {
		return withContext(ctx, err)
	}
	if err := f(&tx{s: s, tx: t, ctx: ctx}); err != nil {
		_ = t.Rollback()
		return withContext(ctx, err)
	}
	return withContext(ctx, t.Commit())
}

// withContext names the context's end as the cause of err when the context
// ended: database/sql rolls a transaction back when its context ends, and
// the next statement or the commit then fails with "transaction has already
// been committed or rolled back", which hides why.
func withContext(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil || errors.Is(err, ctx.Err()) {
		return err
	}
	return fmt.Errorf("%w: %v", ctx.Err(), err)
}

func millis(t time.Time) int64 { return t.UnixMilli() }

// errWait says that the message must wait for its turn.
var errWait = errors.New("wait")

// Enqueue gives a message its place in its conversation's queue, in its
// own transaction: the conversation's next number, taken under the
// conversation's arrivals row (locked until the transaction commits in
// PostgreSQL, the whole database in SQLite), so that a message counted
// after another always comes after it, on every replica. A message already
// queued keeps its place. BeginTurn enqueues the message itself; a server
// calls Enqueue first, as soon as a message arrives, so that its place does
// not depend on how long it then waits for a connection or the lock.
func (s *Store) Enqueue(ctx context.Context, in runtime.Inbound) error {
	if !s.d.Postgres {
		return s.inTxOn(ctx, s.queueDB(), func(x *tx) error { return s.enqueue(x, in) })
	}
	// One statement, so one round trip to the server: the time between a
	// message's arrival and its place in the queue is what the order
	// window must cover.
	deadline := time.Now().Add(s.opts.RetryFor)
	for {
		_, err := s.queueDB().ExecContext(ctx, pgEnqueue, in.ConversationID, in.MessageID, arrivedAt(in).UnixMicro(),
			millis(time.Now().Add(s.opts.Lease)), s.holderName())
		if err == nil || !s.d.Retryable(err) || time.Now().After(deadline) || ctx.Err() != nil {
			return err
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// pgEnqueue is enqueue in one statement, for PostgreSQL: the arrivals
// row stays locked until the statement ends, so that numbers are given in
// the order the messages become visible.
const pgEnqueue = `WITH n AS (
	INSERT INTO arrivals (conversation_id, next) VALUES ($1, 1) ON CONFLICT (conversation_id) DO UPDATE SET next = arrivals.next + 1 RETURNING next)
INSERT INTO messages (conversation_id, message_id, seq, arrived_at, status, active_until, holder) SELECT $1, $2, n.next, $3, 'pending', $4, $5 FROM n
ON CONFLICT (conversation_id, message_id) DO UPDATE SET active_until = excluded.active_until, holder = excluded.holder WHERE messages.status = 'pending'`

func arrivedAt(in runtime.Inbound) time.Time {
	if in.ArrivedAt.IsZero() {
		return time.Now()
	}
	return in.ArrivedAt
}

func (s *Store) queueDB() *sql.DB {
	if s.opts.QueueDB != nil {
		return s.opts.QueueDB
	}
	return s.db
}

func (s *Store) enqueue(x *tx, in runtime.Inbound) error {
	until := millis(time.Now().Add(s.opts.Lease))
	r, err := x.exec(`UPDATE messages SET active_until = ?, holder = ? WHERE conversation_id = ? AND message_id = ? AND status = 'pending'`,
		until, s.holderName(), in.ConversationID, in.MessageID)
	if err != nil {
		return err
	}
	if n, err := r.RowsAffected(); err != nil || n > 0 {
		return err
	}
	var found int
	if err := x.row(`SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND message_id = ?`, in.ConversationID, in.MessageID).Scan(&found); err != nil || found > 0 {
		return err // done already: a duplicate
	}
	var seq int64
	if err := x.row(`INSERT INTO arrivals (conversation_id, next) VALUES (?, 1) ON CONFLICT (conversation_id) DO UPDATE SET next = arrivals.next + 1 RETURNING next`,
		in.ConversationID).Scan(&seq); err != nil {
		return err
	}
	arrived := arrivedAt(in)
	_, err = x.exec(`INSERT INTO messages (conversation_id, message_id, seq, arrived_at, status, active_until, holder) VALUES (?, ?, ?, ?, 'pending', ?, ?)
		ON CONFLICT (conversation_id, message_id) DO NOTHING`, in.ConversationID, in.MessageID, seq, arrived.UnixMicro(), until, s.holderName())
	return err
}

// TurnsEnded is the PostgreSQL channel on which a turn's end is announced
// (the payload is its conversation id), for Wake.
const TurnsEnded = "instrc_turns_ended"

// Wake wakes the messages of this process waiting for conversation conv:
// a turn of it ended. Turns of this process wake them themselves; a
// backend that hears of other replicas' turns (PostgreSQL's LISTEN) calls
// it too, after SetNotified.
func (s *Store) Wake(conv string) {
	s.wakeMu.Lock()
	defer s.wakeMu.Unlock()
	if ch, ok := s.wake[conv]; ok {
		close(ch)
		delete(s.wake, conv)
	}
}

// SetNotified says whether other replicas' turn ends reach Wake: while
// they do, a waiting message looks at the database only every second (for
// leases that end and holders that died) besides when it is woken.
func (s *Store) SetNotified(on bool) { s.notified.Store(on) }

func (s *Store) wakeup(conv string) <-chan struct{} {
	s.wakeMu.Lock()
	defer s.wakeMu.Unlock()
	ch, ok := s.wake[conv]
	if !ok {
		ch = make(chan struct{})
		s.wake[conv] = ch
	}
	return ch
}

// ended announces that a turn of conv ended (committed, aborted, or its
// message left the queue), in the transaction that ends it.
func (s *Store) ended(x *tx, conv string) error {
	if !s.d.Postgres {
		return nil
	}
	_, err := x.exec(`SELECT pg_notify('`+TurnsEnded+`', ?)`, conv)
	return err
}

// BeginTurn implements runtime.Backend.
func (s *Store) BeginTurn(ctx context.Context, in runtime.Inbound) (runtime.TurnTx, error) {
	t := &turn{s: s, in: in}
	if err := s.Enqueue(ctx, in); err != nil {
		return nil, err
	}
	pause := time.Millisecond
	for {
		woken := s.wakeup(in.ConversationID)
		err := s.inTx(ctx, func(x *tx) error { return s.tryBegin(x, t) })
		if err == nil {
			if !t.dup {
				t.startRenewal()
			} else if t.token != 0 {
				s.Wake(in.ConversationID)
			}
			return t, nil
		}
		if !errors.Is(err, errWait) {
			_ = s.release(in, 0)
			return nil, err
		}
		longest := s.opts.Poll
		if s.notified.Load() {
			longest = max(longest, time.Second)
		}
		wait := pause
		if !t.notBefore.IsZero() {
			wait = max(time.Until(t.notBefore), time.Millisecond)
			t.notBefore = time.Time{}
		}
		select {
		case <-ctx.Done():
			s.release(in, 0)
			return nil, fmt.Errorf("waiting for the conversation's turn: %w", ctx.Err())
		case <-woken:
			pause = time.Millisecond
			continue
		case <-time.After(wait):
		}
		if s.notified.Load() {
			// Woken when a turn of the conversation ends: look again
			// only for leases that end and holders that die.
			pause = longest
		}
		pause = min(pause*2, longest)
	}
}

// tryBegin claims the queued message again, and takes the conversation's
// lock when no earlier message is still claimed and no live turn holds it.
// A claim or a lock whose holder is known dead counts as ended.
func (s *Store) tryBegin(x *tx, t *turn) error {
	in := t.in
	now := time.Now()
	var seq, arrived int64
	var status string
	read := func() error {
		return x.row(`SELECT seq, arrived_at, status FROM messages WHERE conversation_id = ? AND message_id = ?`, in.ConversationID, in.MessageID).Scan(&seq, &arrived, &status)
	}
	err := read()
	if errors.Is(err, sql.ErrNoRows) {
		// Queued, then deleted: queue it again.
		if err := s.enqueue(x, in); err != nil {
			return err
		}
		err = read()
	}
	if err != nil {
		return err
	}
	if status == "done" {
		t.dup = true
		return nil
	}
	until := millis(now.Add(s.opts.Lease))
	if _, err := x.exec(`UPDATE messages SET active_until = ?, holder = ? WHERE conversation_id = ? AND message_id = ?`, until, s.holderName(), in.ConversationID, in.MessageID); err != nil {
		return err
	}
	if start := time.UnixMicro(arrived).Add(s.opts.OrderWindow); now.Before(start) {
		// A message that arrived before this one may still be on its
		// way to the queue.
		t.notBefore = start
		return x.commitWait()
	}
	holders, err := strings1(x, `SELECT holder FROM messages WHERE conversation_id = ? AND status = 'pending' AND active_until > ?
		AND (arrived_at < ? OR (arrived_at = ? AND seq < ?))`, in.ConversationID, millis(now), arrived, arrived, seq)
	if err != nil {
		return err
	}
	if len(holders) > 0 {
		for _, h := range holders {
			dead, err := s.dead(x, h)
			if err != nil {
				return err
			}
			if !dead {
				return x.commitWait()
			}
		}
		// Every earlier claim is a dead process's: they end now.
		if _, err := x.exec(`UPDATE messages SET active_until = 0 WHERE conversation_id = ? AND status = 'pending' AND (arrived_at < ? OR (arrived_at = ? AND seq < ?))`,
			in.ConversationID, arrived, arrived, seq); err != nil {
			return err
		}
	}
	var lockHolder string
	var expires int64
	err = x.row(`SELECT holder, expires_at FROM turn_locks WHERE conversation_id = ?`, in.ConversationID).Scan(&lockHolder, &expires)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if err == nil && expires > millis(now) {
		dead, err := s.dead(x, lockHolder)
		if err != nil {
			return err
		}
		if !dead {
			return x.commitWait()
		}
		if _, err := x.exec(`UPDATE turn_locks SET expires_at = 0 WHERE conversation_id = ? AND holder = ?`, in.ConversationID, lockHolder); err != nil {
			return err
		}
	}
	var token int64
	err = x.row(`INSERT INTO turn_locks (conversation_id, token, message_id, expires_at, holder) VALUES (?, 1, ?, ?, ?)
		ON CONFLICT (conversation_id) DO UPDATE SET token = turn_locks.token + 1, message_id = excluded.message_id, expires_at = excluded.expires_at, holder = excluded.holder
		WHERE turn_locks.expires_at <= ?
		RETURNING token`, in.ConversationID, in.MessageID, until, s.holderName(), millis(now)).Scan(&token)
	if errors.Is(err, sql.ErrNoRows) {
		return x.commitWait()
	}
	if err != nil {
		return err
	}
	t.token = token
	// The turn that held the lock may have committed this very message
	// while this transaction waited for the lock's row (PostgreSQL reads
	// each statement's own snapshot): read the status again, under the lock.
	if err := x.row(`SELECT status FROM messages WHERE conversation_id = ? AND message_id = ?`, in.ConversationID, in.MessageID).Scan(&status); err != nil {
		return err
	}
	if status == "done" {
		t.dup = true
		if _, err := x.exec(`UPDATE turn_locks SET expires_at = 0 WHERE conversation_id = ? AND token = ?`, in.ConversationID, token); err != nil {
			return err
		}
		return s.ended(x, in.ConversationID)
	}
	if err := ensureConv(x, in.ConversationID); err != nil {
		return err
	}
	if in.ContactID != "" {
		if _, err := x.exec(`UPDATE conversations SET contact_id = ? WHERE id = ?`, in.ContactID, in.ConversationID); err != nil {
			return err
		}
	}
	recs, err := readSteps(x, in)
	if err != nil {
		return err
	}
	t.recorded = recs
	if len(recs) == 0 && !s.keepClosed {
		if _, err := x.exec(`UPDATE conversations SET status = 'open', closing_note = '', summary = '' WHERE id = ? AND status = 'closed'`, in.ConversationID); err != nil {
			return err
		}
	}
	if err := t.snapshot(x); err != nil {
		return err
	}
	t.conv, err = readConv(x, in.ConversationID)
	return err
}

// snapshot sets the contact as of the turn's message: read now and kept
// with the message when no earlier attempt recorded a step, else the one
// the first attempt kept (later messages may have changed the contact
// since, when this message's claim lapsed with a dead process).
func (t *turn) snapshot(x *tx) error {
	in := t.in
	if len(t.recorded) > 0 {
		var raw string
		if err := x.row(`SELECT snapshot FROM messages WHERE conversation_id = ? AND message_id = ?`, in.ConversationID, in.MessageID).Scan(&raw); err != nil {
			return err
		}
		if raw != "" {
			return json.Unmarshal([]byte(raw), &t.contact)
		}
	}
	c, err := readContact(x, in.ContactID)
	if err != nil {
		return err
	}
	t.contact = c
	if len(t.recorded) > 0 {
		return nil
	}
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = x.exec(`UPDATE messages SET snapshot = ? WHERE conversation_id = ? AND message_id = ?`, string(b), in.ConversationID, in.MessageID)
	return err
}

// commitWait keeps what the transaction wrote (the message in the queue,
// alive) and says to wait: it is returned from inside inTx's function, so
// the transaction is committed here first.
func (x *tx) commitWait() error {
	if err := x.tx.Commit(); err != nil {
		return err
	}
	return errWait
}

func readSteps(x *tx, in runtime.Inbound) ([]runtime.StepRecord, error) {
	rows, err := x.rows(`SELECT record FROM steps WHERE conversation_id = ? AND message_id = ? ORDER BY idx`, in.ConversationID, in.MessageID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []runtime.StepRecord
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		var r runtime.StepRecord
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			return nil, fmt.Errorf("reading a step record: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// release gives up a message's claim: its lock when token is not 0, and its
// place among the waiting messages, so that later messages go on.
func (s *Store) release(in runtime.Inbound, token int64) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	defer s.Wake(in.ConversationID)
	return s.inTx(ctx, func(x *tx) error {
		if _, err := x.exec(`UPDATE messages SET active_until = 0 WHERE conversation_id = ? AND message_id = ? AND status = 'pending'`, in.ConversationID, in.MessageID); err != nil {
			return err
		}
		if token != 0 {
			if _, err := x.exec(`UPDATE turn_locks SET expires_at = 0 WHERE conversation_id = ? AND token = ?`, in.ConversationID, token); err != nil {
				return err
			}
		}
		return s.ended(x, in.ConversationID)
	})
}

// ExpireTurnLocks takes every conversation's lock away from the turn holding
// it, as when a turn's lease ends and another turn takes the lock: the old
// turn can no longer record steps or commit. For tests of fencing.
func (s *Store) ExpireTurnLocks(ctx context.Context) error {
	return s.inTx(ctx, func(x *tx) error {
		if _, err := x.exec(`UPDATE messages SET active_until = 0 WHERE status = 'pending'`); err != nil {
			return err
		}
		_, err := x.exec(`UPDATE turn_locks SET token = token + 1, expires_at = 0`)
		return err
	})
}

// turn is a turn of a Store.
type turn struct {
	s        *Store
	in       runtime.Inbound
	token    int64
	dup      bool
	conv     runtime.Conversation
	contact  runtime.Contact
	recorded []runtime.StepRecord
	// notBefore is when the message's order window ends (tryBegin).
	notBefore time.Time
	stop      chan struct{}
	stopped   sync.WaitGroup
	ended     bool
}

func (t *turn) Conversation() runtime.Conversation { return t.conv }
func (t *turn) Duplicate() bool                    { return t.dup }
func (t *turn) Contact() runtime.Contact           { return cloneContact(t.contact) }
func (t *turn) Recorded() []runtime.StepRecord     { return slices.Clone(t.recorded) }

// startRenewal renews the lock and the message's claim every Lease/3 until
// the turn ends. A renewal that finds the lock taken stops: the turn's next
// write fails with ErrLockLost.
func (t *turn) startRenewal() {
	t.stop = make(chan struct{})
	t.stopped.Add(1)
	go func() {
		defer t.stopped.Done()
		tick := time.NewTicker(t.s.opts.Lease / 3)
		defer tick.Stop()
		for {
			select {
			case <-t.stop:
				return
			case <-tick.C:
			}
			ctx, cancel := context.WithTimeout(context.Background(), t.s.opts.Lease/3)
			var held bool
			err := t.s.inTx(ctx, func(x *tx) error {
				var err error
				held, err = t.fence(x)
				return err
			})
			cancel()
			if err == nil && !held {
				return
			}
		}
	}()
}

func (t *turn) end() {
	if t.stop != nil && !t.ended {
		close(t.stop)
		t.stopped.Wait()
	}
	t.ended = true
}

// fence extends the lock and the message's claim if the turn still holds
// the lock; in PostgreSQL it also locks the lock's row until the
// transaction ends, so that no other turn takes it meanwhile.
func (t *turn) fence(x *tx) (bool, error) {
	// Every transaction locks the message's row before the lock's row, so
	// that PostgreSQL never sees two of them wait for each other.
	until := millis(time.Now().Add(t.s.opts.Lease))
	if _, err := x.exec(`UPDATE messages SET active_until = ? WHERE conversation_id = ? AND message_id = ?`, until, t.in.ConversationID, t.in.MessageID); err != nil {
		return false, err
	}
	r, err := x.exec(`UPDATE turn_locks SET expires_at = ? WHERE conversation_id = ? AND token = ?`, until, t.in.ConversationID, t.token)
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return err == nil && n == 1, err
}

// Apply implements runtime.TurnTx.
func (t *turn) Apply(ctx context.Context, st runtime.Step) (runtime.StepRecord, error) {
	if t.dup {
		return runtime.StepRecord{}, errors.New("a duplicate message records no step")
	}
	if t.ended {
		return runtime.StepRecord{}, runtime.ErrLockLost
	}
	var rec runtime.StepRecord
	err := t.s.inTx(ctx, func(x *tx) error {
		held, err := t.fence(x)
		if err != nil {
			return err
		}
		if !held {
			return runtime.ErrLockLost
		}
		var raw string
		err = x.row(`SELECT record FROM steps WHERE conversation_id = ? AND message_id = ? AND idx = ?`, t.in.ConversationID, t.in.MessageID, st.Index).Scan(&raw)
		if err == nil {
			return json.Unmarshal([]byte(raw), &rec)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		rec = st.Record
		rec.Index = st.Index
		as, err := applyEffect(x, t.in, st.Effect)
		if err != nil {
			return err
		}
		if as != nil {
			rec.Assignee = as
		}
		b, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		if _, err := x.exec(`INSERT INTO steps (conversation_id, message_id, idx, record) VALUES (?, ?, ?, ?)`, t.in.ConversationID, t.in.MessageID, st.Index, string(b)); err != nil {
			return err
		}
		ev, err := runtime.NewActionEvent(t.in, st, rec, time.Now())
		if err != nil {
			return err
		}
		_, err = x.exec(`INSERT INTO outbox (id, conversation_id, type, payload, created_at, attempts, due_at, acked_at, last_error) VALUES (?, ?, ?, ?, ?, 0, ?, 0, '')
			ON CONFLICT (id) DO NOTHING`, ev.ID, ev.ConversationID, ev.Type, string(ev.Payload), millis(ev.CreatedAt), millis(ev.CreatedAt))
		return err
	})
	return rec, err
}

// Commit implements runtime.TurnTx.
func (t *turn) Commit(ctx context.Context, r runtime.TurnRecord) error {
	if t.dup {
		return nil
	}
	if t.ended {
		return runtime.ErrLockLost
	}
	t.end()
	err := t.s.inTx(ctx, func(x *tx) error {
		sent := 0
		if r.ReplySent {
			sent = 1
		}
		if _, err := x.exec(`UPDATE messages SET status = 'done', active_until = 0, scenario = ?, reply = ?, reply_sent = ?, plan_hash = ?, committed_at = ?
			WHERE conversation_id = ? AND message_id = ?`, r.Scenario, r.Reply, sent, r.PlanHash, millis(time.Now()), t.in.ConversationID, t.in.MessageID); err != nil {
			return err
		}
		res, err := x.exec(`UPDATE turn_locks SET expires_at = 0 WHERE conversation_id = ? AND token = ?`, t.in.ConversationID, t.token)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = runtime.ErrLockLost
			}
			return err
		}
		return t.s.ended(x, t.in.ConversationID)
	})
	if err == nil {
		t.s.Wake(t.in.ConversationID)
	}
	if err != nil && !errors.Is(err, runtime.ErrLockLost) {
		_ = t.s.release(t.in, t.token)
	}
	return err
}

// Abort implements runtime.TurnTx.
func (t *turn) Abort(context.Context) error {
	if t.dup || t.ended {
		return nil
	}
	t.end()
	return t.s.release(t.in, t.token)
}

func ensureConv(x *tx, id string) error {
	_, err := x.exec(`INSERT INTO conversations (id) VALUES (?) ON CONFLICT (id) DO NOTHING`, id)
	return err
}

func ensureContact(x *tx, id string) error {
	_, err := x.exec(`INSERT INTO contacts (id) VALUES (?) ON CONFLICT (id) DO NOTHING`, id)
	return err
}

func setAssignee(x *tx, id string, a runtime.Assignee) error {
	if err := ensureConv(x, id); err != nil {
		return err
	}
	_, err := x.exec(`UPDATE conversations SET assignee_type = ?, assignee_name = ?, assignee_team = ? WHERE id = ?`, a.Type, a.Name, a.Team, id)
	return err
}

// applyEffect writes a step's effect; it returns the assignee of an
// assignment through a team.
func applyEffect(x *tx, in runtime.Inbound, e runtime.Effect) (*runtime.Assignee, error) {
	conv, contact := in.ConversationID, in.ContactID
	switch e.Kind {
	case "", ir.KindCall:
	case ir.KindClose:
		if err := ensureConv(x, conv); err != nil {
			return nil, err
		}
		_, err := x.exec(`UPDATE conversations SET status = 'closed', closing_note = ?, summary = ? WHERE id = ?`, e.Closing.Note, e.Closing.Summary, conv)
		return nil, err
	case ir.KindAssign:
		if e.Team == "" {
			if e.Assignee == nil {
				return nil, errors.New("an assignment without an assignee")
			}
			return nil, setAssignee(x, conv, *e.Assignee)
		}
		member, err := pickMember(x, e.Team, e.Method)
		if err != nil {
			return nil, err
		}
		a := runtime.Assignee{Type: ir.TargetUser, Name: member, Team: e.Team}
		return &a, setAssignee(x, conv, a)
	case ir.KindUnassign:
		return nil, setAssignee(x, conv, runtime.Assignee{})
	case ir.KindUpdateFields:
		if err := ensureContact(x, contact); err != nil {
			return nil, err
		}
		for _, k := range slices.Sorted(maps.Keys(e.Fields)) {
			if _, err := x.exec(`INSERT INTO contact_fields (contact_id, name, value) VALUES (?, ?, ?) ON CONFLICT (contact_id, name) DO UPDATE SET value = excluded.value`, contact, k, e.Fields[k]); err != nil {
				return nil, err
			}
		}
	case ir.KindUpdateLifecycle:
		_, err := x.exec(`INSERT INTO contacts (id, lifecycle) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET lifecycle = excluded.lifecycle`, contact, e.Stage)
		return nil, err
	case ir.KindUpdateTags:
		if err := ensureContact(x, contact); err != nil {
			return nil, err
		}
		for _, tag := range e.AddTags {
			if _, err := x.exec(`INSERT INTO contact_tags (contact_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING`, contact, tag); err != nil {
				return nil, err
			}
		}
		for _, tag := range e.RemoveTags {
			if _, err := x.exec(`DELETE FROM contact_tags WHERE contact_id = ? AND tag = ?`, contact, tag); err != nil {
				return nil, err
			}
		}
	case ir.KindAddComment:
		if e.Comment == nil {
			return nil, errors.New("a comment step without a comment")
		}
		mentions, err := json.Marshal(e.Comment.Mentions)
		if err != nil {
			return nil, err
		}
		_, err = x.exec(`INSERT INTO comments (conversation_id, text, mentions) VALUES (?, ?, ?)`, e.Comment.ConversationID, e.Comment.Text, string(mentions))
		return nil, err
	case ir.KindTriggerWorkflow:
		if e.Workflow == nil {
			return nil, errors.New("a workflow step without a workflow")
		}
		_, err := x.exec(`INSERT INTO workflow_events (conversation_id, contact_id, workflow) VALUES (?, ?, ?)`, e.Workflow.ConversationID, e.Workflow.ContactID, e.Workflow.Workflow)
		return nil, err
	default:
		return nil, fmt.Errorf("effect %q is not supported", e.Kind)
	}
	return nil, nil
}

// pickMember picks a member of team. The team's cursor row is written
// first, which in PostgreSQL locks it until the transaction ends: picks on
// one team are serialised across replicas, so round robin stays fair.
func pickMember(x *tx, team, method string) (string, error) {
	members, err := strings1(x, `SELECT member FROM team_members WHERE team = ? ORDER BY position`, team)
	if err != nil {
		return "", err
	}
	if len(members) == 0 {
		return "", runtime.ErrNoMembers
	}
	switch method {
	case ir.MethodLeastOpen:
		var next int
		if err := x.row(`INSERT INTO rr_cursors (team, next) VALUES (?, 0) ON CONFLICT (team) DO UPDATE SET next = rr_cursors.next RETURNING next`, team).Scan(&next); err != nil {
			return "", err
		}
		open, err := openCounts(x, members)
		if err != nil {
			return "", err
		}
		m, _ := runtime.PickLeastOpen(members, open)
		return m, nil
	case ir.MethodRoundRobin, "":
		var next int
		if err := x.row(`INSERT INTO rr_cursors (team, next) VALUES (?, 1) ON CONFLICT (team) DO UPDATE SET next = rr_cursors.next + 1 RETURNING next`, team).Scan(&next); err != nil {
			return "", err
		}
		m, _, _ := runtime.PickRoundRobin(members, next-1)
		return m, nil
	}
	return "", fmt.Errorf("unknown assignment method %q", method)
}

type querier interface {
	row(query string, args ...any) *sql.Row
	rows(query string, args ...any) (*sql.Rows, error)
}

// strings1 reads a one-column string query.
func strings1(q querier, query string, args ...any) ([]string, error) {
	rows, err := q.rows(query, args...)
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

func readConv(q querier, id string) (runtime.Conversation, error) {
	c := runtime.Conversation{ID: id, Status: runtime.StatusOpen}
	var at, an, team string
	err := q.row(`SELECT contact_id, status, assignee_type, assignee_name, assignee_team, closing_note, summary FROM conversations WHERE id = ?`, id).
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

func openCounts(q querier, members []string) (map[string]int, error) {
	out := make(map[string]int, len(members))
	for _, m := range members {
		var base, open int
		err := q.row(`SELECT COALESCE((SELECT open FROM base_load WHERE member = ?), 0),
			(SELECT COUNT(*) FROM conversations WHERE status = 'open' AND assignee_type = ? AND assignee_name = ?)`, m, ir.TargetUser, m).Scan(&base, &open)
		if err != nil {
			return nil, err
		}
		out[m] = base + open
	}
	return out, nil
}

// read runs a read-only function in a transaction.
func (s *Store) read(ctx context.Context, f func(*tx) error) error { return s.inTx(ctx, f) }

// Conversation implements runtime.Backend.
func (s *Store) Conversation(ctx context.Context, id string) (c runtime.Conversation, err error) {
	err = s.read(ctx, func(x *tx) error {
		c, err = readConv(x, id)
		return err
	})
	return c, err
}

// Contact implements runtime.Backend.
func (s *Store) Contact(ctx context.Context, id string) (runtime.Contact, error) {
	var c runtime.Contact
	err := s.read(ctx, func(x *tx) error {
		var err error
		c, err = readContact(x, id)
		return err
	})
	return c, err
}

func readContact(q querier, id string) (runtime.Contact, error) {
	c := runtime.Contact{ID: id, Fields: map[string]string{}}
	err := q.row(`SELECT lifecycle FROM contacts WHERE id = ?`, id).Scan(&c.Lifecycle)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return c, err
	}
	rows, err := q.rows(`SELECT name, value FROM contact_fields WHERE contact_id = ?`, id)
	if err != nil {
		return c, err
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			rows.Close()
			return c, err
		}
		c.Fields[k] = v
	}
	if err := rows.Close(); err != nil {
		return c, err
	}
	c.Tags, err = strings1(q, `SELECT tag FROM contact_tags WHERE contact_id = ? ORDER BY tag`, id)
	return c, err
}

func cloneContact(c runtime.Contact) runtime.Contact {
	c.Fields = maps.Clone(c.Fields)
	if c.Fields == nil {
		c.Fields = map[string]string{}
	}
	c.Tags = slices.Clone(c.Tags)
	return c
}

// TeamMembers implements runtime.Recorder.
func (s *Store) TeamMembers(ctx context.Context, team string) (out []string, err error) {
	err = s.read(ctx, func(x *tx) error {
		out, err = strings1(x, `SELECT member FROM team_members WHERE team = ? ORDER BY position`, team)
		return err
	})
	return out, err
}

// OpenCounts implements runtime.Recorder.
func (s *Store) OpenCounts(ctx context.Context, members []string) (out map[string]int, err error) {
	err = s.read(ctx, func(x *tx) error {
		out, err = openCounts(x, members)
		return err
	})
	return out, err
}

// SetTeam implements runtime.Seeder.
func (s *Store) SetTeam(ctx context.Context, team string, members []string) error {
	return s.inTx(ctx, func(x *tx) error {
		if _, err := x.exec(`DELETE FROM team_members WHERE team = ?`, team); err != nil {
			return err
		}
		for i, m := range members {
			if _, err := x.exec(`INSERT INTO team_members (team, position, member) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, team, i, m); err != nil {
				return err
			}
		}
		return nil
	})
}

// PutContact implements runtime.Seeder: it replaces the contact's state.
func (s *Store) PutContact(ctx context.Context, c runtime.Contact) error {
	return s.inTx(ctx, func(x *tx) error {
		for _, q := range []string{`DELETE FROM contact_fields WHERE contact_id = ?`, `DELETE FROM contact_tags WHERE contact_id = ?`} {
			if _, err := x.exec(q, c.ID); err != nil {
				return err
			}
		}
		if _, err := x.exec(`INSERT INTO contacts (id, lifecycle) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET lifecycle = excluded.lifecycle`, c.ID, c.Lifecycle); err != nil {
			return err
		}
		for _, k := range slices.Sorted(maps.Keys(c.Fields)) {
			if _, err := x.exec(`INSERT INTO contact_fields (contact_id, name, value) VALUES (?, ?, ?)`, c.ID, k, c.Fields[k]); err != nil {
				return err
			}
		}
		for _, t := range c.Tags {
			if _, err := x.exec(`INSERT INTO contact_tags (contact_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING`, c.ID, t); err != nil {
				return err
			}
		}
		return nil
	})
}

// PutConversation implements runtime.Seeder: it replaces the conversation's
// state.
func (s *Store) PutConversation(ctx context.Context, c runtime.Conversation) error {
	if c.Status == "" {
		c.Status = runtime.StatusOpen
	}
	a := runtime.Assignee{}
	if c.Assignee != nil {
		a = *c.Assignee
	}
	return s.inTx(ctx, func(x *tx) error {
		_, err := x.exec(`INSERT INTO conversations (id, contact_id, status, assignee_type, assignee_name, assignee_team, closing_note, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET contact_id = excluded.contact_id, status = excluded.status, assignee_type = excluded.assignee_type,
			assignee_name = excluded.assignee_name, assignee_team = excluded.assignee_team, closing_note = excluded.closing_note, summary = excluded.summary`,
			c.ID, c.ContactID, c.Status, a.Type, a.Name, a.Team, c.ClosingNote, c.Summary)
		return err
	})
}

// SetBaseLoad implements runtime.Seeder.
func (s *Store) SetBaseLoad(ctx context.Context, member string, open int) error {
	return s.inTx(ctx, func(x *tx) error {
		_, err := x.exec(`INSERT INTO base_load (member, open) VALUES (?, ?) ON CONFLICT (member) DO UPDATE SET open = excluded.open`, member, open)
		return err
	})
}

// Comments implements runtime.Recorder.
func (s *Store) Comments(ctx context.Context, id string) ([]runtime.Comment, error) {
	var out []runtime.Comment
	err := s.read(ctx, func(x *tx) error {
		out = nil
		rows, err := x.rows(`SELECT text, mentions FROM comments WHERE conversation_id = ? ORDER BY seq`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c := runtime.Comment{ConversationID: id}
			var mentions string
			if err := rows.Scan(&c.Text, &mentions); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(mentions), &c.Mentions); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// WorkflowEvents implements runtime.Recorder.
func (s *Store) WorkflowEvents(ctx context.Context, id string) ([]runtime.WorkflowEvent, error) {
	var out []runtime.WorkflowEvent
	err := s.read(ctx, func(x *tx) error {
		out = nil
		rows, err := x.rows(`SELECT contact_id, workflow FROM workflow_events WHERE conversation_id = ? ORDER BY seq`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e := runtime.WorkflowEvent{ConversationID: id}
			if err := rows.Scan(&e.ContactID, &e.Workflow); err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// ClaimEvents implements runtime.Outbox. In PostgreSQL the due rows are
// locked with SKIP LOCKED, so that workers on several replicas claim
// different events.
func (s *Store) ClaimEvents(ctx context.Context, max int, lease time.Duration) ([]runtime.Event, error) {
	var out []runtime.Event
	err := s.inTx(ctx, func(x *tx) error {
		out = nil
		now := time.Now()
		lock := ""
		if s.d.Postgres {
			lock = " FOR UPDATE SKIP LOCKED"
		}
		rows, err := x.rows(`SELECT id, conversation_id, type, payload, created_at, attempts FROM outbox
			WHERE acked_at = 0 AND due_at <= ? ORDER BY created_at, id LIMIT ?`+lock, millis(now), max)
		if err != nil {
			return err
		}
		for rows.Next() {
			var e runtime.Event
			var payload string
			var created int64
			if err := rows.Scan(&e.ID, &e.ConversationID, &e.Type, &payload, &created, &e.Attempts); err != nil {
				rows.Close()
				return err
			}
			e.Payload, e.CreatedAt, e.Attempts = json.RawMessage(payload), time.UnixMilli(created), e.Attempts+1
			out = append(out, e)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, e := range out {
			if _, err := x.exec(`UPDATE outbox SET attempts = attempts + 1, due_at = ? WHERE id = ?`, millis(now.Add(lease)), e.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

func (s *Store) updateEvent(ctx context.Context, id, query string, args ...any) error {
	return s.inTx(ctx, func(x *tx) error {
		r, err := x.exec(query, args...)
		if err != nil {
			return err
		}
		if n, err := r.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = fmt.Errorf("no event %s in the outbox", id)
			}
			return err
		}
		return nil
	})
}

// AckEvent implements runtime.Outbox.
func (s *Store) AckEvent(ctx context.Context, id string) error {
	return s.updateEvent(ctx, id, `UPDATE outbox SET acked_at = ? WHERE id = ?`, millis(time.Now()), id)
}

// RetryEvent implements runtime.Outbox.
func (s *Store) RetryEvent(ctx context.Context, id string, at time.Time, lastErr string) error {
	return s.updateEvent(ctx, id, `UPDATE outbox SET due_at = ?, last_error = ? WHERE id = ?`, millis(at), lastErr, id)
}
