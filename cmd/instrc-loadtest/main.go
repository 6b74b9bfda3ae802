// Command instrc-loadtest runs instrc serve replicas on one database under
// load and faults and checks its guarantees (internal/loadtest):
//
//	go run ./cmd/instrc-loadtest -short                 # CI: 3 replicas, 150 conversations, SQLite
//	go run ./cmd/instrc-loadtest -short -db postgres            # a throwaway PostgreSQL cluster
//	go run ./cmd/instrc-loadtest -conversations 10000 -db postgres://...
//
// It exits 1 when a check fails, 2 when it could not run.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/instrc/instrc/internal/loadtest"
	"github.com/instrc/instrc/internal/pgtest"
)

func main() {
	exit := 0
	defer func() { os.Exit(exit) }()
	var cfg loadtest.Config
	short := flag.Bool("short", false, "a short run for CI: 3 replicas, 150 conversations")
	flag.StringVar(&cfg.Instrc, "instrc", "", "the instrc binary (default: built from ./cmd/instrc)")
	flag.StringVar(&cfg.DB, "db", "", "--db of the replicas (default: a SQLite file in a temporary directory); \"postgres\" starts a throwaway PostgreSQL cluster")
	flag.IntVar(&cfg.Replicas, "replicas", 3, "serve processes")
	flag.IntVar(&cfg.Conversations, "conversations", 1000, "conversations")
	flag.IntVar(&cfg.BurstMin, "burst-min", 2, "messages per burst, at least")
	flag.IntVar(&cfg.BurstMax, "burst-max", 5, "messages per burst, at most")
	flag.Float64Var(&cfg.Redeliver, "redeliver", 0.05, "share of messages delivered twice")
	flag.IntVar(&cfg.Concurrency, "concurrency", 32, "conversations in flight")
	flag.DurationVar(&cfg.Gap, "gap", 20*time.Millisecond, "in a burst, the time between a message on the wire and the next one")
	flag.BoolVar(&cfg.Kill, "kill", true, "SIGKILL one replica mid-run and restart it")
	flag.DurationVar(&cfg.OrderWindow, "order-window", 0, "the replicas' --order-window (default: serve's)")
	flag.BoolVar(&cfg.Webhooks, "webhooks", false, "deliver webhooks to the test's receiver and check them (needs a database that keeps an outbox)")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "random seed")
	keep := flag.Bool("keep", false, "keep the working directory (plan, database, replica logs)")
	flag.Parse()
	if *short {
		cfg.Conversations = 150
	}
	dir, err := os.MkdirTemp("", "instrc-loadtest-")
	if err != nil {
		fail(err)
	}
	if !*keep {
		defer os.RemoveAll(dir)
	} else {
		fmt.Fprintln(os.Stderr, "working directory:", dir)
	}
	cfg.Dir, cfg.Log = dir, os.Stderr
	if cfg.Instrc == "" {
		cfg.Instrc = filepath.Join(dir, "instrc")
		build := exec.Command("go", "build", "-o", cfg.Instrc, "./cmd/instrc")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fail(fmt.Errorf("building instrc (run from the repository, or give -instrc): %v", err))
		}
	}
	if cfg.DB == "postgres" {
		bin, err := pgtest.FindBinaries()
		if err != nil {
			fail(err)
		}
		c, err := pgtest.Start(bin)
		if err != nil {
			fail(err)
		}
		defer c.Stop()
		cfg.DB = c.URL("postgres")
	}
	rep, err := loadtest.Run(context.Background(), cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "instrc-loadtest:", err)
		exit = 2
		return
	}
	rep.WriteText(os.Stdout)
	if len(rep.Failures()) > 0 {
		exit = 1
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "instrc-loadtest:", err)
	os.Exit(2)
}
