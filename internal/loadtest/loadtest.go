// Package loadtest runs `instrc serve` replicas on one database under load
// and faults, and checks what the server guarantees (docs/production.md):
// every action runs once (none twice, none lost, across a replica killed
// with SIGKILL and redelivered messages), the messages of a conversation
// run in order, webhook events are delivered once per id, and round robin
// stays fair across replicas. cmd/instrc-loadtest is its command.
package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// Config is one run.
type Config struct {
	Instrc        string  // the instrc binary
	DB            string  // --db of the replicas; "" is a SQLite file in Dir
	Dir           string  // working directory (plan, database, logs)
	Replicas      int     // serve processes
	Conversations int     // conversations, each a request for an agent then a burst
	BurstMin      int     // numbers per burst, at least
	BurstMax      int     // and at most
	Redeliver     float64 // share of messages sent a second time
	Concurrency   int     // conversations in flight
	// Gap is how long after a message of a burst is on the wire the next
	// one is sent (without waiting for the answer). Default: 20 ms.
	Gap  time.Duration
	Kill bool // SIGKILL one replica mid-run and restart it
	// OrderWindow is the replicas' --order-window; 0 keeps serve's
	// default.
	OrderWindow time.Duration
	Webhooks    bool // deliver webhooks to the receiver (needs a database with an outbox)
	Seed        uint64
	Log         io.Writer // progress; nil discards
}

// Report is what a run measured. The check fields must all be zero.
type Report struct {
	Backend       string
	Replicas      int
	Conversations int
	Messages      int // distinct messages (turns that must run)
	Redelivered   int
	Retries       int // attempts sent again after an error (the killed replica, busy database)
	Killed        bool
	Elapsed       time.Duration
	Throughput    float64 // turns per second
	P50, P99      time.Duration
	LockWaitMean  time.Duration
	LockWaitP99   time.Duration // upper bound of the histogram bucket

	ActionsTwice int // a custom action call received more than once
	ActionsLost  int // a custom action call never received
	OutOfOrder   int // conversations whose calls ran in another order than their messages arrived at the replicas
	// ArrivedOutOfSendOrder counts conversations whose messages reached
	// the replicas in another order than the test sent them (a message
	// sent 20 ms after another, to another replica, read first on a loaded
	// machine): not a failure, the server cannot see the send order.
	ArrivedOutOfSendOrder int
	FinalStateWrong       int // contacts whose last saved value is not the last message's
	// RetriedConversations had a message sent again after an error (the
	// killed replica): the client's retries set a new arrival order, so
	// order and final state are checked on the other conversations only.
	RetriedConversations int
	// SameKeyRepeats counts calls sent again with the Idempotency-Key of
	// one already run: not run twice, since the key lets the API drop them.
	SameKeyRepeats     int
	Unassigned         int // conversations without an assignee
	RoundRobinSpread   int // max - min conversations per member
	DuplicateNotMarked int // a redelivered message not answered as a duplicate
	FailedMessages     int // messages that never got a 200
	WebhooksMeasured   bool
	WebhookEvents      int
	WebhookBadSig      int
	WebhookTwoBodies   int // one webhook-id with two different bodies
	WebhookDupActions  int // one action under two webhook ids
	WebhookLost        int // executed actions without an event
	WebhookNote        string
	// Examples names a few of the failures, for a person to look into.
	Examples []string
}

func (r *Report) example(format string, args ...any) {
	if len(r.Examples) < 12 {
		r.Examples = append(r.Examples, fmt.Sprintf(format, args...))
	}
}

// Failures lists the checks that failed.
func (r *Report) Failures() []string {
	var out []string
	add := func(n int, what string) {
		if n != 0 {
			out = append(out, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(r.ActionsTwice, "actions run twice")
	add(r.ActionsLost, "actions lost")
	add(r.OutOfOrder, "conversations out of order")
	add(r.FinalStateWrong, "contacts left with another message's value")
	add(r.Unassigned, "conversations never assigned")
	if r.RoundRobinSpread > 1 {
		out = append(out, fmt.Sprintf("round-robin spread %d (at most 1)", r.RoundRobinSpread))
	}
	add(r.DuplicateNotMarked, "redeliveries not answered as duplicates")
	add(r.FailedMessages, "messages never answered")
	if r.WebhooksMeasured {
		add(r.WebhookBadSig, "webhooks with a bad signature")
		add(r.WebhookTwoBodies, "webhook ids with two bodies")
		add(r.WebhookDupActions, "actions sent under two webhook ids")
		add(r.WebhookLost, "actions without a webhook event")
	}
	return out
}

const token = "loadtest-token-5f3a"

const workspaceTmpl = `name: Load
contact_fields:
  - {name: Seq, id: seq, type: number}
teams:
  - {name: Load Team, members: [u1, u2, u3, u4, u5]}
users: [u1, u2, u3, u4, u5]
actions:
  - name: record
    description: Record a sequence number
    inputs: [{name: seq}]
    request: {method: POST, url: "%s/record"}
allow_private_networks: [127.0.0.1]
`

const agent = `---
workspace: workspace.yaml
language: en
---
- If the contact asks to talk to an agent, assign to @Load Team by round robin.
- If the contact gives a number, save it as the Seq field, then call !record.
`

// seqOf numbers message m (1-based) of conversation c.
func seqOf(c, m int) int { return 1000000 + c*100 + m }

// receiver is the custom action's API and the webhook endpoint.
type receiver struct {
	mu       sync.Mutex
	order    int
	calls    map[int][]int // seq → arrival numbers
	keys     map[string]bool
	sameKey  int           // requests repeated with an Idempotency-Key already seen
	byConv   map[int][]int // conversation → message numbers in arrival order
	wh       *standardwebhooks.Webhook
	events   map[string]map[[32]byte]bool
	actions  map[string]map[string]bool // action key → webhook ids
	badSig   int
	lastSeen atomic.Int64
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	switch r.URL.Path {
	case "/record":
		var in struct {
			Seq string `json:"seq"`
		}
		if err := json.Unmarshal(body, &in); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		seq, err := strconv.Atoi(in.Seq)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		rc.mu.Lock()
		// An API honours Idempotency-Key: a request sent again with the
		// key of one it already ran (a turn interrupted between the call
		// and its record) does nothing new.
		if key := r.Header.Get("Idempotency-Key"); key != "" {
			if rc.keys[key] {
				rc.sameKey++
				rc.mu.Unlock()
				_, _ = w.Write([]byte(`{"ok": true}`))
				return
			}
			rc.keys[key] = true
		}
		rc.order++
		rc.calls[seq] = append(rc.calls[seq], rc.order)
		c, m := (seq-1000000)/100, (seq-1000000)%100
		rc.byConv[c] = append(rc.byConv[c], m)
		rc.mu.Unlock()
		_, _ = w.Write([]byte(`{"ok": true}`))
	case "/webhook":
		rc.lastSeen.Store(time.Now().UnixNano())
		if err := rc.wh.Verify(body, r.Header); err != nil {
			rc.mu.Lock()
			rc.badSig++
			rc.mu.Unlock()
			http.Error(w, err.Error(), 401)
			return
		}
		id := r.Header.Get("webhook-id")
		rc.mu.Lock()
		if rc.events[id] == nil {
			rc.events[id] = map[[32]byte]bool{}
		}
		rc.events[id][sha256.Sum256(body)] = true
		if k := actionKey(body); k != "" {
			if rc.actions[k] == nil {
				rc.actions[k] = map[string]bool{}
			}
			rc.actions[k][id] = true
		}
		rc.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

// actionKey names the action an event reports: its conversation, message
// and index, read from the event's data whatever their exact names.
func actionKey(body []byte) string {
	var ev struct {
		Data map[string]any `json:"data"`
	}
	if json.Unmarshal(body, &ev) != nil || ev.Data == nil {
		return ""
	}
	get := func(keys ...string) string {
		for _, k := range keys {
			if v, ok := ev.Data[k]; ok {
				return fmt.Sprint(v)
			}
		}
		return ""
	}
	conv, msg, idx := get("conversationId", "conversation_id"), get("messageId", "message_id"), get("actionIndex", "index", "action_index")
	if conv == "" || msg == "" {
		return ""
	}
	return conv + "/" + msg + "/" + idx
}

// replica is one serve process.
type replica struct {
	i    int
	addr string
	cmd  *exec.Cmd
	log  *os.File
	args []string
	env  []string
	mu   sync.Mutex
	dead bool
}

func (r *replica) start() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	cmd := exec.Command(r.args[0], r.args[1:]...)
	cmd.Env = r.env
	cmd.Stdout, cmd.Stderr = r.log, r.log
	if err := cmd.Start(); err != nil {
		return err
	}
	r.cmd, r.dead = cmd, false
	go func() { _ = cmd.Wait() }()
	return nil
}

func (r *replica) kill() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Signal(syscall.SIGKILL)
	}
	r.dead = true
}

func (r *replica) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cmd != nil && r.cmd.Process != nil && !r.dead {
		_ = r.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _, _ = r.cmd.Process.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = r.cmd.Process.Kill()
		}
	}
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitReady(ctx context.Context, addr string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("replica at %s not ready after 30 s", addr)
}

// Run runs the test.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	logf := func(format string, args ...any) {
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, format+"\n", args...)
		}
	}
	if cfg.BurstMin <= 0 {
		cfg.BurstMin = 2
	}
	if cfg.BurstMax < cfg.BurstMin {
		cfg.BurstMax = cfg.BurstMin
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 32
	}
	if cfg.Gap <= 0 {
		cfg.Gap = 20 * time.Millisecond
	}
	rng := mrand.New(mrand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	var rngMu sync.Mutex
	randn := func(n int) int { rngMu.Lock(); defer rngMu.Unlock(); return rng.IntN(n) }
	randf := func() float64 { rngMu.Lock(); defer rngMu.Unlock(); return rng.Float64() }

	key := make([]byte, 24)
	_, _ = rand.Read(key)
	secret := "whsec_" + base64.StdEncoding.EncodeToString(key)
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		return nil, err
	}
	rc := &receiver{calls: map[int][]int{}, keys: map[string]bool{}, byConv: map[int][]int{}, wh: wh, events: map[string]map[[32]byte]bool{}, actions: map[string]map[string]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	recvSrv := &http.Server{Handler: rc}
	go func() { _ = recvSrv.Serve(ln) }()
	defer recvSrv.Close()
	base := "http://" + ln.Addr().String()

	if err := os.WriteFile(filepath.Join(cfg.Dir, "workspace.yaml"), []byte(fmt.Sprintf(workspaceTmpl, base)), 0o644); err != nil {
		return nil, err
	}
	agentPath := filepath.Join(cfg.Dir, "agent.instr")
	if err := os.WriteFile(agentPath, []byte(agent), 0o644); err != nil {
		return nil, err
	}
	db := cfg.DB
	if db == "" {
		db = "sqlite:" + filepath.Join(cfg.Dir, "load.db")
	}
	rep := &Report{Backend: strings.SplitN(db, ":", 2)[0], Replicas: cfg.Replicas, Conversations: cfg.Conversations}
	// Conversation ids are new on every run, so that a database can be
	// reused.
	run := fmt.Sprintf("r%d", time.Now().UnixNano()%1e9)

	env := append(os.Environ(), "INSTRC_TOKEN="+token, "INSTRC_WEBHOOK_SECRET="+secret, "INSTRC_MODEL=")
	var reps []*replica
	defer func() {
		for _, r := range reps {
			r.stop()
		}
	}()
	for i := range cfg.Replicas {
		addr, err := freePort()
		if err != nil {
			return nil, err
		}
		lf, err := os.Create(filepath.Join(cfg.Dir, fmt.Sprintf("replica%d.log", i)))
		if err != nil {
			return nil, err
		}
		defer lf.Close()
		args := []string{cfg.Instrc, "serve", "--db", db, "--addr", addr, "--watch", "0", "--calls", "live"}
		if cfg.OrderWindow > 0 {
			args = append(args, "--order-window", cfg.OrderWindow.String())
		}
		if cfg.Webhooks {
			args = append(args, "--webhook-url", base+"/webhook")
		}
		args = append(args, agentPath)
		r := &replica{i: i, addr: addr, log: lf, args: args, env: env}
		if err := r.start(); err != nil {
			return nil, err
		}
		reps = append(reps, r)
	}
	for _, r := range reps {
		if err := waitReady(ctx, r.addr); err != nil {
			b, _ := os.ReadFile(r.log.Name())
			return nil, fmt.Errorf("%v:\n%s", err, b)
		}
	}
	rep.WebhooksMeasured = cfg.Webhooks
	logf("%d replicas ready on %s", len(reps), db)

	client := &http.Client{Timeout: 120 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 512}}
	// Connections are opened before the run (and again after the restart):
	// a message sent on a new connection reaches the server after the
	// accept loop took the connection, which on a loaded machine lets a
	// message sent 20 ms later on an open connection arrive first. The
	// server orders messages by their arrival; the test checks the order
	// they were sent in, so it keeps connection set-up out of the way.
	warmConns := cfg.Concurrency * cfg.BurstMax * 3 / max(1, len(reps))
	for _, r := range reps {
		warm(client, r.addr, warmConns)
	}
	var (
		latMu     sync.Mutex
		latencies []time.Duration
		retries   atomic.Int64
		failed    atomic.Int64
		notDup    atomic.Int64
		redeliv   atomic.Int64
	)
	// send delivers one message, retrying on errors with the same id to a
	// random replica; wrote, when set, is called once the first attempt's
	// request is written.
	var retriedMu sync.Mutex
	retried := map[string]bool{}
	send := func(conv, msgID, text string, wrote func()) (map[string]any, bool) {
		body, _ := json.Marshal(map[string]string{"messageId": msgID, "contactId": conv, "text": text})
		delay := 50 * time.Millisecond
		for attempt := 0; attempt < 40; attempt++ {
			r := reps[randn(len(reps))]
			req, _ := http.NewRequest("POST", "http://"+r.addr+"/v1/conversations/"+conv+"/messages", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			if wrote != nil {
				w := wrote
				wrote = nil
				var once sync.Once
				req = req.WithContext(httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
					WroteRequest: func(httptrace.WroteRequestInfo) { once.Do(w) }}))
				defer once.Do(w)
			}
			start := time.Now()
			resp, err := client.Do(req)
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 200 {
					latMu.Lock()
					latencies = append(latencies, time.Since(start))
					latMu.Unlock()
					var turn map[string]any
					_ = json.Unmarshal(b, &turn)
					return turn, true
				}
				if resp.StatusCode < 500 {
					logf("message %s: %d %s", msgID, resp.StatusCode, b)
					failed.Add(1)
					return nil, false
				}
			}
			retries.Add(1)
			retriedMu.Lock()
			retried[conv] = true
			retriedMu.Unlock()
			time.Sleep(delay)
			delay = min(delay*2, time.Second)
		}
		failed.Add(1)
		return nil, false
	}

	type plan struct{ burst int }
	plans := make([]plan, cfg.Conversations)
	for c := range plans {
		plans[c].burst = cfg.BurstMin + randn(cfg.BurstMax-cfg.BurstMin+1)
		rep.Messages += 1 + plans[c].burst
	}
	var done atomic.Int64
	killAt := int64(cfg.Conversations * 2 / 5)
	var killOnce sync.Once
	start := time.Now()
	work := make(chan int)
	var wg sync.WaitGroup
	for range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				conv := fmt.Sprintf("%s-conv-%d", run, c)
				send(conv, conv+"-m0", "I want to talk to an agent", nil)
				// The burst: each message is sent once the one before it
				// is on the wire, without waiting for its answer.
				var bw sync.WaitGroup
				for m := 1; m <= plans[c].burst; m++ {
					wrote := make(chan struct{})
					bw.Add(1)
					go func() {
						defer bw.Done()
						send(conv, fmt.Sprintf("%s-m%d", conv, m), fmt.Sprintf("my number is %d", seqOf(c, m)), func() { close(wrote) })
					}()
					<-wrote
					time.Sleep(cfg.Gap)
				}
				bw.Wait()
				for m := 0; m <= plans[c].burst; m++ {
					if randf() >= cfg.Redeliver {
						continue
					}
					redeliv.Add(1)
					text := "I want to talk to an agent"
					if m > 0 {
						text = fmt.Sprintf("my number is %d", seqOf(c, m))
					}
					turn, ok := send(conv, fmt.Sprintf("%s-m%d", conv, m), text, nil)
					if ok && turn["duplicate"] != true {
						notDup.Add(1)
					}
				}
				if n := done.Add(1); cfg.Kill && n == killAt {
					killOnce.Do(func() {
						r := reps[0]
						logf("SIGKILL replica 0 after %d conversations", n)
						r.kill()
						go func() {
							time.Sleep(500 * time.Millisecond)
							if err := r.start(); err != nil {
								logf("restarting replica 0: %v", err)
								return
							}
							_ = waitReady(ctx, r.addr)
							warm(client, r.addr, warmConns)
							logf("replica 0 restarted")
						}()
						rep.Killed = true
					})
				}
				if n := done.Load(); cfg.Log != nil && n%max(1, int64(cfg.Conversations/10)) == 0 {
					logf("%d/%d conversations", n, cfg.Conversations)
				}
			}
		}()
	}
	for c := range cfg.Conversations {
		work <- c
	}
	close(work)
	wg.Wait()
	rep.Elapsed = time.Since(start)
	rep.Retries = int(retries.Load())
	rep.FailedMessages = int(failed.Load())
	rep.DuplicateNotMarked = int(notDup.Load())
	rep.Redelivered = int(redeliv.Load())
	rep.Throughput = float64(rep.Messages) / rep.Elapsed.Seconds()
	rep.RetriedConversations = len(retried)
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	rep.P50, rep.P99 = quantile(latencies, 0.5), quantile(latencies, 0.99)

	// The replica killed mid-run must be back before the final reads.
	for _, r := range reps {
		if err := waitReady(ctx, r.addr); err != nil {
			return nil, err
		}
	}
	rep.LockWaitMean, rep.LockWaitP99 = lockWait(client, reps)

	// The order the servers saw the messages arrive in, from the turns'
	// log lines: the order the guarantee is about.
	arrivals := readArrivals(reps)
	serverOrder := func(c int) []int {
		conv := fmt.Sprintf("%s-conv-%d", run, c)
		order := make([]int, 0, plans[c].burst)
		for m := 1; m <= plans[c].burst; m++ {
			order = append(order, m)
		}
		sort.SliceStable(order, func(i, j int) bool {
			ai, aj := arrivals[fmt.Sprintf("%s-m%d", conv, order[i])], arrivals[fmt.Sprintf("%s-m%d", conv, order[j])]
			return ai != 0 && aj != 0 && ai < aj
		})
		return order
	}

	// Checks from the receiver.
	rc.mu.Lock()
	rep.SameKeyRepeats = rc.sameKey
	for c := range cfg.Conversations {
		for m := 1; m <= plans[c].burst; m++ {
			switch n := len(rc.calls[seqOf(c, m)]); {
			case n == 0:
				rep.ActionsLost++
				rep.example("lost: the call of conv-%d-m%d", c, m)
			case n > 1:
				rep.ActionsTwice += n - 1
				rep.example("twice: the call of conv-%d-m%d (%d times)", c, m, n)
			}
		}
		if retried[fmt.Sprintf("%s-conv-%d", run, c)] {
			continue
		}
		want := serverOrder(c)
		if !slices.IsSorted(want) {
			rep.ArrivedOutOfSendOrder++
		}
		if !slices.Equal(rc.byConv[c], want) {
			rep.OutOfOrder++
			rep.example("out of order: conv-%d ran its numbers in the order %v, arrived in the order %v", c, rc.byConv[c], want)
		}
	}
	rc.mu.Unlock()

	// Checks from the state.
	members := map[string]int{"u1": 0, "u2": 0, "u3": 0, "u4": 0, "u5": 0}
	for c := range cfg.Conversations {
		conv := fmt.Sprintf("%s-conv-%d", run, c)
		var cv struct {
			Assignee *struct{ Name string } `json:"assignee"`
		}
		if err := getJSON(client, reps[c%len(reps)].addr, "/v1/conversations/"+conv, &cv); err != nil || cv.Assignee == nil {
			rep.Unassigned++
		} else {
			members[cv.Assignee.Name]++
		}
		var ct struct {
			Fields map[string]string `json:"fields"`
		}
		if retried[conv] {
			continue
		}
		order := serverOrder(c)
		if err := getJSON(client, reps[c%len(reps)].addr, "/v1/contacts/"+conv, &ct); err != nil || ct.Fields["Seq"] != strconv.Itoa(seqOf(c, order[len(order)-1])) {
			rep.FinalStateWrong++
		}
	}
	lo, hi := math.MaxInt, 0
	for _, n := range members {
		lo, hi = min(lo, n), max(hi, n)
	}
	rep.RoundRobinSpread = hi - lo

	if cfg.Webhooks {
		// Every turn's actions: the assign, then update_fields and call
		// for each number.
		want := 0
		for c := range cfg.Conversations {
			want += 1 + 2*plans[c].burst
		}
		// Wait for the outbox to drain: every action's event, or nothing
		// new for longer than a webhook lease (events a killed worker had
		// claimed are sent again when their lease ends).
		logf("waiting for the webhook events")
		// The workers may lag behind a long run: the wait lasts while
		// events keep coming.
		for ctx.Err() == nil {
			rc.mu.Lock()
			n := len(rc.actions)
			rc.mu.Unlock()
			last := rc.lastSeen.Load()
			if n >= want || (last != 0 && time.Since(time.Unix(0, last)) > 75*time.Second) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		rc.mu.Lock()
		rep.WebhookEvents = len(rc.events)
		rep.WebhookBadSig = rc.badSig
		for _, bodies := range rc.events {
			if len(bodies) > 1 {
				rep.WebhookTwoBodies++
			}
		}
		for _, ids := range rc.actions {
			if len(ids) > 1 {
				rep.WebhookDupActions += len(ids) - 1
			}
		}
		if len(rc.actions) > 0 {
			rep.WebhookLost = max(0, want-len(rc.actions))
			for c := range cfg.Conversations {
				for m := 0; m <= plans[c].burst; m++ {
					n := 2
					if m == 0 {
						n = 1
					}
					for i := range n {
						k := fmt.Sprintf("%s-conv-%d/%s-conv-%d-m%d/%d", run, c, run, c, m, i)
						if rc.actions[k] == nil {
							rep.example("no webhook event for action %s", k)
						}
					}
				}
			}
		} else {
			rep.WebhookLost = max(0, want-len(rc.events))
			rep.WebhookNote = "events name no conversation/message/index: counted by id"
		}
		rc.mu.Unlock()
	}
	return rep, nil
}

// readArrivals reads, from the replicas' logs, when each committed
// message arrived (the turn's log line: message=ID ... arrived=MICROS).
func readArrivals(reps []*replica) map[string]int64 {
	out := map[string]int64{}
	for _, r := range reps {
		f, err := os.Open(r.log.Name())
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if !strings.Contains(line, " msg=turn ") || !strings.Contains(line, " duplicate=false ") {
				continue
			}
			var msg string
			var at int64
			for _, f := range strings.Fields(line) {
				if v, ok := strings.CutPrefix(f, "message="); ok {
					msg = v
				} else if v, ok := strings.CutPrefix(f, "arrived="); ok {
					at, _ = strconv.ParseInt(v, 10, 64)
				}
			}
			if msg != "" && at != 0 {
				out[msg] = at
			}
		}
		f.Close()
	}
	return out
}

// warm opens about n connections to the replica at addr, left idle in the
// client's pool.
func warm(c *http.Client, addr string, n int) {
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			resp, err := c.Get("http://" + addr + "/healthz")
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func getJSON(c *http.Client, addr, path string, v any) error {
	req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// lockWait reads instrc_lock_wait_seconds from every replica: the mean,
// and the upper bound of the bucket that holds the 99th percentile.
func lockWait(c *http.Client, reps []*replica) (mean, p99 time.Duration) {
	var sum float64
	var count float64
	buckets := map[float64]float64{}
	for _, r := range reps {
		req, _ := http.NewRequest("GET", "http://"+r.addr+"/metrics", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := c.Do(req)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "instrc_lock_wait_seconds_sum "):
				v, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
				sum += v
			case strings.HasPrefix(line, "instrc_lock_wait_seconds_count "):
				v, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
				count += v
			case strings.HasPrefix(line, `instrc_lock_wait_seconds_bucket{le="`):
				rest := strings.TrimPrefix(line, `instrc_lock_wait_seconds_bucket{le="`)
				le, _, _ := strings.Cut(rest, `"`)
				ub, err := strconv.ParseFloat(le, 64)
				if err != nil {
					ub = math.Inf(1)
				}
				v, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
				buckets[ub] += v
			}
		}
		resp.Body.Close()
	}
	if count == 0 {
		return 0, 0
	}
	mean = time.Duration(sum / count * float64(time.Second))
	var les []float64
	for le := range buckets {
		les = append(les, le)
	}
	sort.Float64s(les)
	for _, le := range les {
		if buckets[le] >= 0.99*count {
			if math.IsInf(le, 1) {
				return mean, -1
			}
			return mean, time.Duration(le * float64(time.Second))
		}
	}
	return mean, 0
}

// ErrChecks is returned by the command when a check failed.
var ErrChecks = errors.New("checks failed")

// WriteText prints the report.
func (r *Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "backend %s, %d replicas, %d conversations, %d messages (+%d redelivered, %d retried attempts), replica killed: %v\n",
		r.Backend, r.Replicas, r.Conversations, r.Messages, r.Redelivered, r.Retries, r.Killed)
	fmt.Fprintf(w, "elapsed %s, throughput %.0f turns/s, latency p50 %s p99 %s, lock wait mean %s p99 ≤ %s\n",
		r.Elapsed.Round(time.Millisecond), r.Throughput, r.P50.Round(time.Microsecond*100), r.P99.Round(time.Microsecond*100),
		r.LockWaitMean.Round(time.Microsecond*10), lockBound(r.LockWaitP99))
	fmt.Fprintf(w, "calls repeated with the same Idempotency-Key (dropped by the API) %d; conversations whose messages reached the replicas in another order than sent %d\n", r.SameKeyRepeats, r.ArrivedOutOfSendOrder)
	fmt.Fprintf(w, "actions twice %d, lost %d; out of order %d, final state wrong %d (of %d conversations without retries); unassigned %d; round-robin spread %d; redeliveries not duplicates %d; unanswered %d\n",
		r.ActionsTwice, r.ActionsLost, r.OutOfOrder, r.FinalStateWrong, r.Conversations-r.RetriedConversations, r.Unassigned, r.RoundRobinSpread, r.DuplicateNotMarked, r.FailedMessages)
	if r.WebhooksMeasured {
		fmt.Fprintf(w, "webhooks: %d events, bad signatures %d, ids with two bodies %d, actions under two ids %d, actions without an event %d %s\n",
			r.WebhookEvents, r.WebhookBadSig, r.WebhookTwoBodies, r.WebhookDupActions, r.WebhookLost, r.WebhookNote)
	} else {
		fmt.Fprintln(w, "webhooks: not measured (--webhooks off)")
	}
	if f := r.Failures(); len(f) > 0 {
		for _, e := range r.Examples {
			fmt.Fprintln(w, "  e.g.", e)
		}
		fmt.Fprintf(w, "FAIL: %s\n", strings.Join(f, ", "))
	} else {
		fmt.Fprintln(w, "PASS")
	}
}

func lockBound(d time.Duration) string {
	if d < 0 {
		return "+Inf"
	}
	return d.String()
}
