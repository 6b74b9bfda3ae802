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
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
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
}

// Options tune a Backend.
type Options struct {
	// Lease is how long a conversation's turn lock lasts without renewal
	// (a live turn renews it every Lease/3): after a replica dies, another
	// one takes its conversations over once it ends. Default 15s.
	Lease time.Duration
	// MaxConns bounds the connection pool. Default 20.
	MaxConns int
}

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
	db.SetMaxOpenConns(opts.MaxConns)
	db.SetMaxIdleConns(opts.MaxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connecting to %s: %w", redact(url), err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrating the schema of %s: %w", redact(url), err)
	}
	return &Backend{Store: sqlstore.New(db, sqlstore.Dialect{Postgres: true, Retryable: Retryable}, sqlstore.Options{Lease: opts.Lease})}, nil
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
