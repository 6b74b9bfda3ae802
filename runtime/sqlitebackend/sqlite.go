// Package sqlitebackend is a runtime.Backend stored in SQLite through the
// pure-Go modernc.org/sqlite driver, so that it builds without cgo. It is the
// CLI's embedded default and the backend of examples/chatbackend.
//
// The schema is versioned (goose migrations embedded in the binary, run by
// Open). The database runs in WAL mode; every transaction begins IMMEDIATE
// with a busy timeout, and one that still finds the file busy is run again,
// so that several processes can share one file without "database is
// locked" errors. Within a process, one connection serialises writers.
package sqlitebackend

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/instrc/instrc/runtime/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Backend is a SQLite-backed runtime.Backend, Seeder, Recorder and Outbox.
type Backend struct {
	*sqlstore.Store
}

// Options tune a Backend.
type Options struct {
	// Lease is how long a conversation's turn lock lasts without renewal
	// (a live turn renews it every Lease/3); after a crash another process
	// takes the conversation over once it ends. Default 15s.
	Lease time.Duration
	// OrderWindow is how long after its arrival a message waits before
	// its turn may start, so that an earlier message of its conversation
	// that reached another replica first but the database later still
	// runs first. Default sqlstore.DefaultOrderWindow; negative: none.
	OrderWindow time.Duration
	// BusyTimeout is how long SQLite itself waits for another process's
	// write before answering busy. Default 5s; a busy answer is retried.
	BusyTimeout time.Duration
}

// Open opens (creating and migrating if needed) the database at path; "" or
// ":memory:" opens a private in-memory database.
func Open(path string) (*Backend, error) { return OpenWith(path, Options{}) }

// OpenWith is Open with options.
func OpenWith(path string, opts Options) (*Backend, error) {
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 5 * time.Second
	}
	memory := path == "" || path == ":memory:"
	dsn := "file:" + path
	if memory {
		dsn = "file::memory:"
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	dsn += sep + fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_txlock=immediate", opts.BusyTimeout.Milliseconds())
	if !memory {
		dsn += "&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := migrate(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrating the schema of %s: %w", path, err)
	}
	return &Backend{Store: sqlstore.New(db, sqlstore.Dialect{Retryable: Busy}, sqlstore.Options{Lease: opts.Lease, OrderWindow: opts.OrderWindow, Holder: sqlstore.ProcessHolder()})}, nil
}

// migrate brings the schema to the newest version. Two processes opening a
// new file at once may both try a migration: the loser finds the file busy
// or the migration done, and tries again.
func migrate(db *sql.DB) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err = p.Up(context.Background())
		if err == nil || time.Now().After(deadline) || !(Busy(err) || strings.Contains(err.Error(), "already exists")) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Version returns the schema version of the database.
func (b *Backend) Version(ctx context.Context) (int64, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return 0, err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, b.DB(), sub)
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

// Busy reports a SQLite error after which a transaction may be run again:
// the database is busy or locked by another connection or process.
func Busy(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return true
		}
	}
	return false
}
