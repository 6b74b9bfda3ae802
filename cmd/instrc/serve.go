package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/pgbackend"
	"github.com/instrc/instrc/runtime/sqlitebackend"
	"github.com/instrc/instrc/runtime/telemetry"
	"github.com/instrc/instrc/serve"
)

// ServeCmd runs a plan over HTTP for a chat backend (docs/production.md).
type ServeCmd struct {
	Addr        string        `help:"Address to listen on." default:"127.0.0.1:8080"`
	DB          string        `name:"db" help:"Database: sqlite:PATH (or a plain path) for one machine, or a postgres:// URL for replicas." default:"sqlite:instrc.db"`
	Workspace   string        `short:"w" help:"Workspace file (overrides the file's front matter)." type:"path"`
	Plan        string        `help:"A compiled plan (from instrc compile) or an instruction file to serve." type:"existingfile"`
	Model       string        `help:"Model as openai:<model-name> (default: $INSTRC_MODEL; without one the offline matcher runs)."`
	Calls       string        `help:"Custom HTTP actions: live sends them (secrets from the environment), dry describes them without sending." enum:"dry,live" default:"live"`
	Insecure    bool          `help:"Allow listening on a non-loopback address without INSTRC_TOKEN (every client is trusted)."`
	MaxBody     int64         `help:"Largest request body, in bytes." default:"1048576"`
	TurnTimeout time.Duration `help:"Longest a turn may run once started." default:"60s"`
	OrderWindow time.Duration `name:"order-window" help:"How long after its arrival a message waits before its turn starts, so that an earlier message of the conversation that reached another replica first but the database later runs first (0: none)." default:"100ms"`
	Watch       time.Duration `help:"How often to check the plan's files for changes (0: only on SIGHUP)." default:"2s"`
	WebhookURL  string        `name:"webhook-url" help:"Deliver every executed action to this URL as a signed Standard Webhooks event (secret: $INSTRC_WEBHOOK_SECRET, whsec_...)."`
	File        string        `arg:"" optional:"" help:"Instruction file (.instr) or compiled plan (.json)." type:"existingfile"`
}

// Run serves until SIGINT or SIGTERM, then finishes the turns in flight.
func (c *ServeCmd) Run(g *Globals) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return c.serve(ctx, g, nil)
}

// source is what the plan is loaded from.
func (c *ServeCmd) source() (RunFlags, error) {
	f := RunFlags{Workspace: c.Workspace}
	path := c.Plan
	if c.File != "" {
		if path != "" {
			return f, cannot("give the file to serve once: as an argument or with --plan")
		}
		path = c.File
	}
	if path == "" {
		return f, cannot("give an instruction file (.instr) or a compiled plan (.json) to serve")
	}
	if strings.EqualFold(filepath.Ext(path), ".json") {
		f.Plan = path
	} else {
		f.File = path
	}
	return f, nil
}

// servedDB is what serve needs of a database.
type servedDB interface {
	runtime.Backend
	runtime.Seeder
	io.Closer
}

// openDB opens the --db backend: sqlite:PATH (or a plain path), or a
// postgres:// URL. Both migrate their schema to the newest version.
func openDB(ctx context.Context, url string, window time.Duration) (servedDB, error) {
	if window <= 0 {
		window = -1 // none
	}
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return pgbackend.Open(ctx, url, pgbackend.Options{OrderWindow: window})
	case strings.HasPrefix(url, "sqlite:"):
		url = strings.TrimPrefix(url, "sqlite:")
		url = strings.TrimPrefix(url, "//")
	case strings.Contains(url, "://"):
		return nil, fmt.Errorf("--db %s: use sqlite:PATH or a postgres:// URL", serve.Redact(url))
	}
	if url == "" {
		return nil, errors.New("--db sqlite: needs a path, e.g. sqlite:instrc.db")
	}
	return sqlitebackend.OpenWith(url, sqlitebackend.Options{OrderWindow: window})
}

// serve runs the server; ready, when set, receives the listening address.
func (c *ServeCmd) serve(ctx context.Context, g *Globals, ready func(addr string)) error {
	defer startTracing(g)()
	log := slog.New(slog.NewTextHandler(g.Stderr, &slog.HandlerOptions{ReplaceAttr: serve.RedactAttr}))
	token := strings.TrimSpace(os.Getenv("INSTRC_TOKEN"))
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return cannot("--addr %q: use HOST:PORT, e.g. 127.0.0.1:8080", c.Addr)
	}
	if token == "" && !isLoopback(host) && !c.Insecure {
		return cannot("INSTRC_TOKEN is not set: serve listens on a loopback address only (--addr 127.0.0.1:8080), or set INSTRC_TOKEN, or pass --insecure to trust every client")
	}
	src, err := c.source()
	if err != nil {
		return err
	}
	src.Model, src.Calls = c.Model, c.Calls
	plan, err := src.load(g)
	if err != nil {
		return err
	}
	b, err := openDB(ctx, c.DB, c.OrderWindow)
	if err != nil {
		return cannot("%v", serve.Redact(err.Error()))
	}
	defer b.Close()
	model, err := runtime.OpenModel(runtime.ModelConfigFromEnv(c.Model))
	if err != nil {
		return cannot("%v", err)
	}
	build := func(p *ir.Plan) (*runtime.Engine, error) {
		if err := runtime.SeedWorkspace(context.Background(), b, p.Workspace); err != nil {
			return nil, fmt.Errorf("seeding the teams: %w", err)
		}
		h, err := ir.Hash(p)
		if err != nil {
			return nil, err
		}
		// Each turn's log record names the plan that ran it.
		return runtime.New(p, runtime.Options{Backend: b, Model: model, Caller: callerFor(c.Calls), Logger: log.With("plan", h), TurnTimeout: c.TurnTimeout,
			TraceContent: telemetry.CaptureContent(os.Getenv)})
	}
	e, err := build(plan)
	if err != nil {
		return cannot("%v", err)
	}
	s, err := serve.New(serve.Config{Backend: b, Token: token, MaxBody: c.MaxBody, Logger: log}, e)
	if err != nil {
		return cannot("%v", err)
	}
	reload := func(why string) {
		var diag strings.Builder
		p, err := src.load(&Globals{Stdout: &diag, Stderr: &diag})
		if err == nil {
			var ne *runtime.Engine
			if ne, err = build(p); err == nil {
				err = s.SetEngine(ne)
			}
		}
		if err != nil {
			msg := strings.TrimSpace(diag.String())
			if ee := (*exitError)(nil); errors.As(err, &ee) && ee.err != nil {
				msg = strings.TrimSpace(msg + "\n" + ee.err.Error())
			} else if !errors.As(err, &ee) {
				msg = strings.TrimSpace(msg + "\n" + err.Error())
			}
			s.ReloadFailed()
			log.Error("reload failed: the previous plan keeps running", "why", why, "plan", s.PlanHash(), "diagnostics", msg)
			return
		}
		s.ReloadOK()
		log.Info("plan reloaded", "why", why, "plan", s.PlanHash())
	}
	watched := []string{src.Plan, src.File, src.Workspace}
	if plan.Workspace != nil && src.File != "" {
		watched = append(watched, planWorkspacePath(src.File))
	}
	go watchFiles(ctx, watched, c.Watch, reload)

	if c.WebhookURL != "" {
		out, ok := b.(serve.Outbox)
		if !ok {
			return cannot("--webhook-url: the database %s keeps no outbox of events", serve.Redact(c.DB))
		}
		cfg := serve.WebhookConfig{URL: c.WebhookURL, Secret: strings.TrimSpace(os.Getenv("INSTRC_WEBHOOK_SECRET")), Logger: log}
		s.CountWebhooks(&cfg)
		w, err := serve.NewWebhookWorker(out, cfg)
		if err != nil {
			return cannot("%v (the secret is read from INSTRC_WEBHOOK_SECRET)", err)
		}
		wctx, stopWebhooks := context.WithCancel(context.WithoutCancel(ctx))
		defer stopWebhooks()
		go func() { _ = w.Run(wctx) }()
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return cannot("%v", err)
	}
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: c.TurnTimeout + serve.DefaultLockTimeout + 10*time.Second, IdleTimeout: 120 * time.Second,
		MaxHeaderBytes: 64 << 10, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	auth := "bearer token from INSTRC_TOKEN"
	if token == "" {
		auth = "no token (INSTRC_TOKEN is not set): every client is trusted"
	}
	log.Info("serving", "addr", ln.Addr().String(), "plan", s.PlanHash(), "scenarios", len(plan.Scenarios), "db", serve.Redact(c.DB), "auth", auth, "calls", c.Calls)
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return cannot("%v", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing the turns in flight")
	s.Drain()
	sctx, cancel := context.WithTimeout(context.Background(), c.TurnTimeout+serve.DefaultLockTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		log.Error("shutdown", "error", err.Error())
	}
	s.Wait()
	log.Info("stopped")
	return nil
}

// planWorkspacePath is the workspace an instruction file names in its
// front matter, for watching; "" when it names none.
func planWorkspacePath(file string) string {
	b, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(b), "\n")[1:] {
		line = strings.TrimSpace(line)
		if line == "---" {
			break
		}
		if v, ok := strings.CutPrefix(line, "workspace:"); ok {
			v = strings.Trim(strings.TrimSpace(v), `"'`)
			if !filepath.IsAbs(v) {
				v = filepath.Join(filepath.Dir(file), v)
			}
			return v
		}
	}
	return ""
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// watchFiles calls reload on SIGHUP, and when a file's modification time or
// size changes (checked every interval; 0 turns that off).
func watchFiles(ctx context.Context, paths []string, interval time.Duration, reload func(why string)) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	type stamp struct {
		mod  time.Time
		size int64
	}
	look := func() map[string]stamp {
		m := map[string]stamp{}
		for _, p := range paths {
			if p == "" {
				continue
			}
			if fi, err := os.Stat(p); err == nil {
				m[p] = stamp{fi.ModTime(), fi.Size()}
			}
		}
		return m
	}
	last := look()
	var tick <-chan time.Time
	if interval > 0 {
		t := time.NewTicker(interval)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			last = look()
			reload("SIGHUP")
		case <-tick:
			now := look()
			for p, st := range now {
				if last[p] != st {
					last = now
					reload(p + " changed")
					break
				}
			}
		}
	}
}
