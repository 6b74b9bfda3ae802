package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/instrc/instrc/internal/redact"
	"github.com/instrc/instrc/runtime"
)

// Event is one event of the backend's outbox (runtime.Event): written in
// the same transaction as the action it reports, delivered to the host as
// a webhook. Attempts counts the claims so far, the current one included.
type Event = runtime.Event

// Outbox is the backend's outbox (runtime.Outbox): ClaimEvents leases due
// events (an event neither acked nor retried before its lease ends is due
// again: a worker that crashed), AckEvent marks one delivered, RetryEvent
// makes it due again later.
type Outbox = runtime.Outbox

// WebhookConfig configures a WebhookWorker. URL and Secret are required.
type WebhookConfig struct {
	// URL receives every event as a POST.
	URL string
	// Secret signs the events: "whsec_" and base64, as Standard Webhooks
	// writes it.
	Secret string
	// Client sends the requests. Default: a client with a 10 s timeout.
	// Redirects are never followed: a 3xx is a failed delivery.
	Client *http.Client
	// Batch is how many events one claim takes. Default: 32.
	Batch int
	// Lease is how long a claim holds its events. Default: 60 s; it must
	// exceed the client's timeout.
	Lease time.Duration
	// Poll is how long the worker sleeps when the outbox is empty.
	// Default: 250 ms.
	Poll time.Duration
	// Backoff is the delay after the first failed attempt, doubled after
	// each further one up to MaxBackoff, with ±20 % jitter. Defaults: 1 s
	// and 1 h. An event is retried until delivered: none is dropped.
	Backoff, MaxBackoff time.Duration
	// Logger receives one record per failed attempt. Default: discard.
	Logger *slog.Logger
	// Clock returns the current time. Default: time.Now.
	Clock func() time.Time
	// observe counts deliveries (the server's metrics).
	observe func(result string)
}

// WebhookWorker delivers the outbox's events to the host as Standard
// Webhooks: each POST carries `webhook-id` (the event's id, the same on
// every attempt, so that the receiver can drop a redelivery),
// `webhook-timestamp` (the attempt's Unix time) and `webhook-signature`
// (`v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`). The body is
// `{"type", "timestamp", "data"}`, the same on every attempt. A 2xx answer
// acks the event; anything else retries it later.
type WebhookWorker struct {
	out Outbox
	cfg WebhookConfig
	wh  *standardwebhooks.Webhook
	log *slog.Logger
}

// NewWebhookWorker checks the configuration.
func NewWebhookWorker(out Outbox, cfg WebhookConfig) (*WebhookWorker, error) {
	if out == nil {
		return nil, errors.New("webhooks: the database has no outbox")
	}
	if !strings.HasPrefix(cfg.URL, "https://") && !strings.HasPrefix(cfg.URL, "http://") {
		return nil, fmt.Errorf("webhooks: the URL %q must start with https:// or http://", redact.String(cfg.URL))
	}
	if !strings.HasPrefix(cfg.Secret, "whsec_") {
		return nil, errors.New("webhooks: the secret must be written whsec_<base64>, as Standard Webhooks gives it")
	}
	wh, err := standardwebhooks.NewWebhook(cfg.Secret)
	if err != nil || len(strings.TrimPrefix(cfg.Secret, "whsec_")) == 0 {
		return nil, errors.New("webhooks: the secret after whsec_ is not base64")
	}
	redact.AddSecret(cfg.Secret)
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	c := *cfg.Client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	cfg.Client = &c
	if cfg.Batch <= 0 {
		cfg.Batch = 32
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 60 * time.Second
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 250 * time.Millisecond
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = time.Hour
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &WebhookWorker{out: out, cfg: cfg, wh: wh, log: log}, nil
}

// Run delivers events until ctx ends.
func (w *WebhookWorker) Run(ctx context.Context) error {
	for {
		n, err := w.DeliverBatch(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			w.log.Error("webhooks: reading the outbox", "error", err.Error())
		}
		if n == 0 || err != nil {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(w.cfg.Poll):
			}
		}
	}
}

// DeliverBatch claims due events and delivers each once; it returns how
// many it claimed.
func (w *WebhookWorker) DeliverBatch(ctx context.Context) (int, error) {
	evs, err := w.out.ClaimEvents(ctx, w.cfg.Batch, w.cfg.Lease)
	if err != nil {
		return 0, err
	}
	for _, ev := range evs {
		if ctx.Err() != nil {
			// Not acked: the lease ends and the event is due again.
			return len(evs), nil
		}
		derr := w.deliver(ctx, ev)
		// The ack or retry must not be lost to a cancelled ctx once the
		// delivery is done.
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		if derr == nil {
			err = w.out.AckEvent(actx, ev.ID)
			w.count("delivered")
		} else {
			at := w.cfg.Clock().Add(w.backoff(max(1, ev.Attempts)))
			msg := redact.String(derr.Error())
			w.log.Warn("webhooks: delivery failed, retrying", "event", ev.ID, "type", ev.Type, "attempt", ev.Attempts, "retry_at", at, "error", msg)
			err = w.out.RetryEvent(actx, ev.ID, at, msg)
			w.count("retried")
		}
		cancel()
		if err != nil {
			return len(evs), err
		}
	}
	return len(evs), nil
}

func (w *WebhookWorker) count(result string) {
	if w.cfg.observe != nil {
		w.cfg.observe(result)
	}
}

// backoff is the delay before attempt n+1 after n failed attempts.
func (w *WebhookWorker) backoff(n int) time.Duration {
	d := w.cfg.Backoff
	for i := 1; i < n && d < w.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.cfg.MaxBackoff)
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * jitter)
}

// WebhookBody is the body of a webhook request.
type WebhookBody struct {
	Type      string          `json:"type"`
	Timestamp time.Time       `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
}

// webhookBody is the event's webhook body: the same bytes on every attempt.
func webhookBody(ev Event) ([]byte, error) {
	data := ev.Payload
	if len(data) == 0 {
		data = json.RawMessage("{}")
	}
	return json.Marshal(WebhookBody{Type: ev.Type, Timestamp: ev.CreatedAt.UTC(), Data: data})
}

func (w *WebhookWorker) deliver(ctx context.Context, ev Event) error {
	body, err := webhookBody(ev)
	if err != nil {
		return fmt.Errorf("encoding the event: %w", err)
	}
	now := w.cfg.Clock()
	sig, err := w.wh.Sign(ev.ID, now, body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "instrc-webhooks")
	req.Header.Set(standardwebhooks.HeaderWebhookID, ev.ID)
	req.Header.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(standardwebhooks.HeaderWebhookSignature, sig)
	resp, err := w.cfg.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("the receiver answered %s", resp.Status)
	}
	return nil
}

// CountWebhooks makes the worker count its deliveries in the server's
// metrics (instrc_webhook_deliveries_total).
func (s *Server) CountWebhooks(cfg *WebhookConfig) {
	cfg.observe = func(result string) { s.metrics.webhooks.WithLabelValues(result).Inc() }
}
