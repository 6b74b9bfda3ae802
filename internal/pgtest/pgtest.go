// Package pgtest gives tests a PostgreSQL database: the server named by
// INSTRC_TEST_DATABASE_URL, or else a throwaway cluster that it starts
// itself (initdb and pg_ctl on a free port in a temporary directory, as the
// postgres user when the tests run as root) and stops when the tests end.
//
// Tests skip, saying why, only when neither is available: no URL and no
// PostgreSQL binaries. With INSTRC_REQUIRE_POSTGRES=1 (CI) they fail instead.
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
//	func TestX(t *testing.T) { url := pgtest.Database(t) ... }
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

var (
	once     sync.Once
	adminURL string // a database to create test databases from
	startErr error
	skipWhy  string
	cluster  *Cluster
	dbSeq    atomic.Int64
)

// Main runs the tests and stops the cluster that Database started, if any.
func Main(m *testing.M) int {
	code := m.Run()
	if cluster != nil {
		cluster.Stop()
	}
	return code
}

// Database returns the URL of a new, empty database for the test. It skips
// the test when PostgreSQL cannot be found (fails under
// INSTRC_REQUIRE_POSTGRES=1), and fails it when PostgreSQL was found but
// could not be started.
func Database(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	if skipWhy != "" {
		if os.Getenv("INSTRC_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL is required (INSTRC_REQUIRE_POSTGRES=1): %s", skipWhy)
		}
		t.Skipf("no PostgreSQL for this test: %s", skipWhy)
	}
	if startErr != nil {
		t.Fatalf("starting PostgreSQL: %v", startErr)
	}
	name := fmt.Sprintf("instrc_test_%d_%d", os.Getpid(), dbSeq.Add(1))
	db, err := sql.Open("pgx", adminURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("creating the test database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", adminURL)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	return withDatabase(adminURL, name)
}

// withDatabase replaces the database name of a postgres:// URL.
func withDatabase(url, name string) string {
	rest, query, _ := strings.Cut(url, "?")
	if i := strings.LastIndex(rest, "/"); i > len("postgres://") {
		rest = rest[:i]
	}
	out := rest + "/" + name
	if query != "" {
		out += "?" + query
	}
	return out
}

func setup() {
	if url := os.Getenv("INSTRC_TEST_DATABASE_URL"); url != "" {
		adminURL = url
		return
	}
	bin, err := FindBinaries()
	if err != nil {
		skipWhy = err.Error() + "; install PostgreSQL (Debian: apt-get install postgresql) or set INSTRC_TEST_DATABASE_URL"
		return
	}
	cluster, startErr = Start(bin)
	if startErr == nil {
		adminURL = cluster.URL("postgres")
	}
}

// FindBinaries returns the directory of PostgreSQL's initdb and pg_ctl: the
// one on PATH, else the newest /usr/lib/postgresql/<version>/bin.
func FindBinaries() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("no PostgreSQL binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin")
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// Cluster is a throwaway PostgreSQL cluster.
type Cluster struct {
	Dir  string
	Port int
	bin  string
	// as runs a command as the cluster's owner.
	as func(name string, args ...string) *exec.Cmd
}

// URL is the URL of a database of the cluster.
func (c *Cluster) URL(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, database)
}

// Start creates and starts a cluster in a new temporary directory, on a
// free port, with trust authentication for the postgres user on loopback.
func Start(bin string) (*Cluster, error) {
	dir, err := os.MkdirTemp("", "instrc-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir, bin: bin, as: func(name string, args ...string) *exec.Cmd {
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		return cmd
	}}
	if os.Geteuid() == 0 {
		// initdb refuses to run as root: the cluster belongs to postgres.
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root needs a postgres user to own the cluster: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		c.as = func(name string, args ...string) *exec.Cmd {
			cmd := exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
			cmd.Dir = dir
			return cmd
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := c.as(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	for attempt := 0; ; attempt++ {
		c.Port, err = freePort()
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		opts := fmt.Sprintf("-k %s -p %d -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", dir, c.Port)
		out, err := c.as(filepath.Join(bin, "pg_ctl"), "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start").CombinedOutput()
		if err == nil {
			break
		}
		if attempt == 2 {
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			os.RemoveAll(dir)
			return nil, fmt.Errorf("pg_ctl start: %v: %s\n%s", err, out, log)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db, err := sql.Open("pgx", c.URL("postgres"))
	if err != nil {
		c.Stop()
		return nil, err
	}
	defer db.Close()
	for {
		if err = db.PingContext(ctx); err == nil {
			return c, nil
		}
		if ctx.Err() != nil {
			c.Stop()
			return nil, fmt.Errorf("the cluster does not answer: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop stops the cluster at once and removes its directory.
func (c *Cluster) Stop() {
	_ = c.as(filepath.Join(c.bin, "pg_ctl"), "-D", filepath.Join(c.Dir, "data"), "-m", "immediate", "-w", "stop").Run()
	os.RemoveAll(c.Dir)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
