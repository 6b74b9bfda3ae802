package serve

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memOutbox is an outbox with leases, as a database keeps one.
type memOutbox struct {
	mu     sync.Mutex
	now    func() time.Time
	events map[string]*memEvent
	acked  map[string]bool
}

type memEvent struct {
	Event
	dueAt   time.Time
	leaseTo time.Time
	lastErr string
}

func newMemOutbox(now func() time.Time, evs ...Event) *memOutbox {
	o := &memOutbox{now: now, events: map[string]*memEvent{}, acked: map[string]bool{}}
	for _, e := range evs {
		o.events[e.ID] = &memEvent{Event: e}
	}
	return o
}

func (o *memOutbox) ClaimEvents(_ context.Context, max int, lease time.Duration) ([]Event, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.now()
	var ids []string
	for id, e := range o.events {
		if !e.dueAt.After(now) && !e.leaseTo.After(now) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	var out []Event
	for _, id := range ids {
		if len(out) == max {
			break
		}
		e := o.events[id]
		e.leaseTo = now.Add(lease)
		e.Attempts++
		out = append(out, e.Event)
	}
	return out, nil
}

func (o *memOutbox) AckEvent(_ context.Context, id string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.events, id)
	o.acked[id] = true
	return nil
}

func (o *memOutbox) RetryEvent(_ context.Context, id string, at time.Time, lastErr string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	e, ok := o.events[id]
	if !ok {
		return fmt.Errorf("no event %s", id)
	}
	e.dueAt, e.leaseTo, e.lastErr = at, time.Time{}, lastErr
	return nil
}

func (o *memOutbox) pending() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.events)
}

// receiver verifies every request's signature and records the bodies by
// webhook-id; failFirst makes the first n attempts of each event fail.
type receiver struct {
	t         *testing.T
	wh        *standardwebhooks.Webhook
	mu        sync.Mutex
	attempts  map[string]int
	bodies    map[string]map[[32]byte]bool
	failFirst int
	bad       int
}

func newReceiver(t *testing.T, secret string, failFirst int) *receiver {
	wh, err := standardwebhooks.NewWebhook(secret)
	require.NoError(t, err)
	return &receiver{t: t, wh: wh, attempts: map[string]int{}, bodies: map[string]map[[32]byte]bool{}, failFirst: failFirst}
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := rc.wh.Verify(body, r.Header); err != nil {
		rc.mu.Lock()
		rc.bad++
		rc.mu.Unlock()
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	id := r.Header.Get("webhook-id")
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.attempts[id]++
	if rc.bodies[id] == nil {
		rc.bodies[id] = map[[32]byte]bool{}
	}
	rc.bodies[id][sha256.Sum256(body)] = true
	if rc.attempts[id] <= rc.failFirst {
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

const testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

func testEvents(n int) []Event {
	var evs []Event
	for i := range n {
		evs = append(evs, Event{ID: fmt.Sprintf("evt_%03d", i), ConversationID: "c1", Type: "action.executed",
			Payload: json.RawMessage(fmt.Sprintf(`{"conversationId":"c1","index":%d}`, i)), CreatedAt: time.Unix(1700000000, 0)})
	}
	return evs
}

// fakeClock advances only when told to.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestWebhookDeliveryRetriesWithBackoff(t *testing.T) {
	clock := &fakeClock{t: time.Now()}
	out := newMemOutbox(clock.Now, testEvents(5)...)
	rc := newReceiver(t, testSecret, 2)
	srv := httptest.NewServer(rc)
	defer srv.Close()
	w, err := NewWebhookWorker(out, WebhookConfig{URL: srv.URL, Secret: testSecret, Backoff: time.Second, MaxBackoff: 3 * time.Second, Clock: clock.Now})
	require.NoError(t, err)
	ctx := context.Background()

	n, err := w.DeliverBatch(ctx)
	require.NoError(t, err)
	assert.Equal(t, 5, n)
	// Every event failed once and waits about 1 s (±20 %).
	for _, e := range out.events {
		assert.Equal(t, 1, e.Attempts)
		assert.Contains(t, e.lastErr, "503 Service Unavailable")
		assert.InDelta(t, time.Second.Seconds(), e.dueAt.Sub(clock.Now()).Seconds(), 0.21)
	}
	n, _ = w.DeliverBatch(ctx)
	assert.Equal(t, 0, n, "nothing is due before the backoff ends")
	clock.Add(1300 * time.Millisecond)
	n, _ = w.DeliverBatch(ctx)
	assert.Equal(t, 5, n)
	for _, e := range out.events {
		assert.Equal(t, 2, e.Attempts)
		// The second delay doubles: 2 s ± 20 %.
		assert.InDelta(t, 2.0, e.dueAt.Sub(clock.Now()).Seconds(), 0.41)
	}
	clock.Add(2500 * time.Millisecond)
	n, _ = w.DeliverBatch(ctx)
	assert.Equal(t, 5, n)
	assert.Equal(t, 0, out.pending())
	assert.Equal(t, 0, rc.bad, "every signature verifies")
	for id, bodies := range rc.bodies {
		assert.Equal(t, 3, rc.attempts[id])
		assert.Len(t, bodies, 1, "the same body on every attempt of %s", id)
	}
	// The delay is capped.
	assert.LessOrEqual(t, w.backoff(30), time.Duration(1.2*float64(3*time.Second)))
}

// TestWebhookCrashRedelivers: a worker that dies after sending but before
// acking leaves the events leased; once the lease ends another worker sends
// them again under the same ids and bodies. No event is lost, none is
// sent under two ids.
func TestWebhookCrashRedelivers(t *testing.T) {
	clock := &fakeClock{t: time.Now()}
	out := newMemOutbox(clock.Now, testEvents(40)...)
	rc := newReceiver(t, testSecret, 0)
	srv := httptest.NewServer(rc)
	defer srv.Close()

	// The first worker crashes in the middle of its batch: its context ends
	// after 7 deliveries.
	ctx, cancel := context.WithCancel(context.Background())
	delivered := 0
	crashing, err := NewWebhookWorker(out, WebhookConfig{URL: srv.URL, Secret: testSecret, Batch: 20, Lease: 30 * time.Second, Clock: clock.Now})
	require.NoError(t, err)
	crashing.cfg.observe = func(string) {
		delivered++
		if delivered == 7 {
			cancel()
		}
	}
	n, err := crashing.DeliverBatch(ctx)
	require.NoError(t, err)
	assert.Equal(t, 20, n)
	assert.Equal(t, 33, out.pending())

	// A second worker starts at once: the 13 leased events are not due yet.
	w2, err := NewWebhookWorker(out, WebhookConfig{URL: srv.URL, Secret: testSecret, Batch: 100, Clock: clock.Now})
	require.NoError(t, err)
	n, err = w2.DeliverBatch(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 20, n)
	assert.Equal(t, 13, out.pending())
	clock.Add(31 * time.Second)
	n, err = w2.DeliverBatch(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 13, n)
	assert.Equal(t, 0, out.pending())

	assert.Len(t, rc.attempts, 40, "every event arrived")
	assert.Len(t, out.acked, 40)
	for id, bodies := range rc.bodies {
		assert.Len(t, bodies, 1, "one body per id: %s", id)
	}
	// Each body's data names one event index, under one id only.
	assert.Equal(t, 0, rc.bad)
}

func TestWebhookConfigErrors(t *testing.T) {
	out := newMemOutbox(time.Now)
	tests := []struct{ name, url, secret, want string }{
		{"no scheme", "example.com/hook", testSecret, "must start with https://"},
		{"raw secret", "https://example.com/hook", "hunter2", "whsec_"},
		{"not base64", "https://example.com/hook", "whsec_%%%", "not base64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewWebhookWorker(out, WebhookConfig{URL: tt.url, Secret: tt.secret})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	_, err := NewWebhookWorker(nil, WebhookConfig{URL: "https://example.com", Secret: testSecret})
	assert.ErrorContains(t, err, "no outbox")
}

// TestWebhookRejectsForgery: the receiver's verification fails on a body
// changed after signing, so the signature covers the body.
func TestWebhookSignatureCoversBody(t *testing.T) {
	w, err := NewWebhookWorker(newMemOutbox(time.Now), WebhookConfig{URL: "https://example.com", Secret: testSecret})
	require.NoError(t, err)
	ev := testEvents(1)[0]
	body, err := webhookBody(ev)
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"action.executed","timestamp":"2023-11-14T22:13:20Z","data":{"conversationId":"c1","index":0}}`, string(body))
	now := time.Now()
	sig, err := w.wh.Sign(ev.ID, now, body)
	require.NoError(t, err)
	h := http.Header{}
	h.Set("webhook-id", ev.ID)
	h.Set("webhook-timestamp", fmt.Sprint(now.Unix()))
	h.Set("webhook-signature", sig)
	v, err := standardwebhooks.NewWebhook(testSecret)
	require.NoError(t, err)
	assert.NoError(t, v.Verify(body, h))
	assert.Error(t, v.Verify([]byte(`{"type":"action.executed"}`), h))
	h.Set("webhook-id", "evt_other")
	assert.Error(t, v.Verify(body, h), "the id is signed too")
}

// TestWebhooksEndToEnd: each action a turn runs reaches the host as one
// signed event, with the turn's message and the action's index; a
// redelivered message makes no new event.
func TestWebhooksEndToEnd(t *testing.T) {
	s, b := newTestServer(t, "../examples/support/plan.json")
	rc := newReceiver(t, testSecret, 1) // every event fails once first
	srv := httptest.NewServer(rc)
	defer srv.Close()
	cfg := WebhookConfig{URL: srv.URL, Secret: testSecret, Backoff: 10 * time.Millisecond, Poll: 5 * time.Millisecond}
	s.CountWebhooks(&cfg)
	w, err := NewWebhookWorker(b, cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = w.Run(ctx) }()

	for _, id := range []string{"m1", "m1", "m2"} {
		r := do(t, s, "POST", "/v1/conversations/c1/messages", testToken, `{"messageId":"`+id+`","text":"I want to cancel my contract"}`)
		require.Equal(t, http.StatusOK, r.code, string(r.body))
	}
	require.Eventually(t, func() bool {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		n := 0
		for _, a := range rc.attempts {
			if a >= 2 {
				n++
			}
		}
		return n == 6
	}, 5*time.Second, 10*time.Millisecond, "two turns of three actions each, each delivered")
	time.Sleep(50 * time.Millisecond)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	assert.Len(t, rc.attempts, 6, "the redelivered m1 made no event")
	assert.Equal(t, 0, rc.bad)
	for id, bodies := range rc.bodies {
		assert.Len(t, bodies, 1, id)
	}
	m := do(t, s, "GET", "/metrics", testToken, "")
	assert.Contains(t, string(m.body), `instrc_webhook_deliveries_total{result="delivered"} 6`)
	assert.Contains(t, string(m.body), `instrc_webhook_deliveries_total{result="retried"} 6`)
}
