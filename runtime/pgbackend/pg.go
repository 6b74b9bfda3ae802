// Package pgbackend is a runtime.Backend stored in PostgreSQL through pgx
// v5, for several replicas sharing one database. It keeps the same
// guarantees as the SQLite backend across replicas: one turn at a time per
// conversation (a lock row with a fencing token, renewed while the turn
// runs), messages in arrival order, every action's outcome recorded with its
// effect, round-robin cursors updated under a row lock, and an outbox whose
// events are claimed with SKIP LOCKED.
//
// The schema is versioned (goose migrations embedded in the binary, run by
// Open under a PostgreSQL advisory lock, so that replicas starting together
// migrate once).
package pgbackend

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // and registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/instrc/instrc/runtime/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Backend is a PostgreSQL-backed runtime.Backend, Seeder, Recorder and
// Outbox.
type Backend struct {
	*sqlstore.Store
	// session is a connection kept open for the backend's life: its
	// PostgreSQL session names this process in the claims and locks it
	// takes, so that when the process dies (its connections close) other
	// replicas take its conversations over at once, without waiting for
	// the lease.
	session   *sql.Conn
	ctx       context.Context
	cancel    context.CancelFunc
	done      chan struct{}
	closeOnce sync.Once
}

// Options tune a Backend.
type Options struct {
	// Lease is how long a conversation's turn lock lasts without renewal
	// (a live turn renews it every Lease/3): after a replica dies, another
	// one takes its conversations over once it ends. Default 15s.
	Lease time.Duration
	// OrderWindow is how long after its arrival a message waits before
	// its turn may start, so that an earlier message of its conversation
	// that reached another replica first but the database later still
	// runs first. Default sqlstore.DefaultOrderWindow; negative: none.
	OrderWindow time.Duration
	// MaxConns bounds the connection pool. Default 20.
	MaxConns int
}

// queueConns is the size of the pool that queues arriving messages.
const queueConns = 4

// Open connects to the database at url (postgres://...), migrates its
// schema to the newest version, and returns the backend.
func Open(ctx context.Context, url string, opts Options) (*Backend, error) {
	if opts.MaxConns <= 0 {
		opts.MaxConns = 20
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", redact(url), err)
	}
	db.SetMaxOpenConns(opts.MaxConns + 1) // and the session
	db.SetMaxIdleConns(opts.MaxConns + 1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connecting to %s: %w", redact(url), err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrating the schema of %s: %w", redact(url), err)
	}
	// Messages that arrive get their place in the queue through a pool of
	// their own (sqlstore.Options.QueueDB).
	queue, err := sql.Open("pgx", url)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("opening %s: %w", redact(url), err)
	}
	queue.SetMaxOpenConns(queueConns)
	queue.SetMaxIdleConns(queueConns)
	// Opened now, not when the first messages arrive: a message waiting
	// for a new connection reaches the queue late.
	var conns []*sql.Conn
	for range queueConns {
		if c, err := queue.Conn(ctx); err == nil {
			conns = append(conns, c)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	b := &Backend{Store: sqlstore.New(db, sqlstore.Dialect{Postgres: true, Retryable: Retryable}, sqlstore.Options{Lease: opts.Lease, OrderWindow: opts.OrderWindow, QueueDB: queue}),
		done: make(chan struct{})}
	b.ctx, b.cancel = context.WithCancel(context.Background())
	if err := b.newSession(ctx); err != nil {
		b.Store.Close()
		return nil, fmt.Errorf("connecting to %s: %w", redact(url), err)
	}
	go b.listen()
	return b, nil
}

// newSession opens the session that names this process.
func (b *Backend) newSession(ctx context.Context) error {
	c, err := b.DB().Conn(ctx)
	if err != nil {
		return err
	}
	var pid, start int64
	if err := c.QueryRowContext(ctx, `SELECT pid, `+sqlstore.PGStartExpr+` FROM pg_stat_activity WHERE pid = pg_backend_pid()`).Scan(&pid, &start); err != nil {
		c.Close()
		return err
	}
	if b.session != nil {
		b.session.Close()
	}
	b.session = c
	b.SetHolder(fmt.Sprintf("pg:%d:%d", pid, start))
	return nil
}

// listen listens on the session for the ends of other replicas' turns
// (sqlstore.TurnsEnded) and wakes the messages waiting for them. When the
// session fails, it opens another one (a new holder: the turns this
// process holds may then be taken over, and their fencing token keeps them
// from writing after that).
func (b *Backend) listen() {
	defer close(b.done)
	for {
		err := b.session.Raw(func(dc any) error {
			sc, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("the driver's connection is a %T, not pgx's", dc)
			}
			c := sc.Conn()
			if _, err := c.Exec(b.ctx, "LISTEN "+sqlstore.TurnsEnded); err != nil {
				return err
			}
			b.SetNotified(true)
			for {
				n, err := c.WaitForNotification(b.ctx)
				if err != nil {
					return err
				}
				b.Wake(n.Payload)
			}
		})
		b.SetNotified(false)
		for {
			if b.ctx.Err() != nil {
				return
			}
			select {
			case <-b.ctx.Done():
				return
			case <-time.After(time.Second):
			}
			ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
			err = b.newSession(ctx)
			cancel()
			if err == nil {
				break
			}
		}
	}
}

// Close closes the session and the database.
func (b *Backend) Close() error {
	b.closeOnce.Do(func() {
		b.cancel()
		<-b.done
		b.session.Close()
	})
	return b.Store.Close()
}

func provider(db *sql.DB) (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, db, sub, goose.WithSessionLocker(locker))
}

func migrate(ctx context.Context, db *sql.DB) error {
	p, err := provider(db)
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}

// Version returns the schema version of the database.
func (b *Backend) Version(ctx context.Context) (int64, error) {
	p, err := provider(b.DB())
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

// Retryable reports a PostgreSQL error after which a transaction may be run
// again: a serialization failure or a deadlock.
func Retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "40001", "40P01":
			return true
		}
	}
	return false
}

// redact hides the password of a URL in messages.
func redact(url string) string {
	cfg, err := pgconn.ParseConfig(url)
	if err != nil {
		return "the database"
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}
