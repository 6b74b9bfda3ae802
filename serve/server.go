// Package serve is the HTTP server of `instrc serve`: it runs a plan for a
// chat backend that is not written in Go (docs/production.md). Each
// request to POST /v1/conversations/{id}/messages runs one turn of the
// runtime and answers it in the shape `instrc simulate` prints.
package serve

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/instrc/instrc/runtime"
)

// Defaults of Config.
const (
	DefaultMaxBody     = 1 << 20
	DefaultLockTimeout = 30 * time.Second
	// MaxIDLength bounds conversation, contact and message ids.
	MaxIDLength = 256
	// MaxHistory bounds the history a message may carry.
	MaxHistory = 200
)

// Config configures a Server. Backend is required.
type Config struct {
	// Backend is the engine's backend, read by the GET endpoints.
	Backend runtime.Backend
	// Token is the bearer token every /v1 request and /metrics must carry;
	// empty turns authentication off (the command allows that on a
	// loopback address only).
	Token string
	// MaxBody bounds a request body, in bytes. Default: DefaultMaxBody.
	MaxBody int64
	// LockTimeout is how long a message may wait for the turns before it
	// on the same conversation. Once its turn has started it runs to its
	// end (bounded by the engine's TurnTimeout), even when the client
	// disconnects. Default: DefaultLockTimeout.
	LockTimeout time.Duration
	// Logger receives one record per request and per reload. Default:
	// discard.
	Logger *slog.Logger
	// Registry receives the metrics. Default: a new registry.
	Registry *prometheus.Registry
}

// current is the plan being served and its engine.
type current struct {
	engine *runtime.Engine
	hash   string
}

// Server serves one plan over HTTP. It is an http.Handler.
type Server struct {
	cfg      Config
	cur      atomic.Pointer[current]
	locks    *convLocks
	metrics  *metrics
	registry *prometheus.Registry
	mux      *http.ServeMux
	routes   []Route
	log      *slog.Logger
	draining atomic.Bool
	inflight sync.WaitGroup
}

// Route is one operation of the API, as registered and as documented in
// openapi.json.
type Route struct {
	Method string
	Path   string // net/http pattern path, e.g. /v1/conversations/{id}
	Auth   bool
	name   string
	h      http.HandlerFunc
}

// New returns a server running engine.
func New(cfg Config, engine *runtime.Engine) (*Server, error) {
	if cfg.Backend == nil {
		return nil, errors.New("serve: no backend")
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.LockTimeout <= 0 {
		cfg.LockTimeout = DefaultLockTimeout
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, locks: newConvLocks(), registry: cfg.Registry, log: log}
	s.metrics = newMetrics(cfg.Registry)
	if err := s.SetEngine(engine); err != nil {
		return nil, err
	}
	s.routes = []Route{
		{Method: http.MethodPost, Path: "/v1/conversations/{id}/messages", Auth: true, name: "messages", h: s.postMessage},
		{Method: http.MethodGet, Path: "/v1/conversations/{id}", Auth: true, name: "conversation", h: s.getConversation},
		{Method: http.MethodGet, Path: "/v1/contacts/{id}", Auth: true, name: "contact", h: s.getContact},
		{Method: http.MethodGet, Path: "/healthz", name: "healthz", h: s.healthz},
		{Method: http.MethodGet, Path: "/readyz", name: "readyz", h: s.readyz},
		{Method: http.MethodGet, Path: "/metrics", Auth: true, name: "metrics",
			h: promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{}).ServeHTTP},
		{Method: http.MethodGet, Path: "/openapi.json", name: "openapi", h: s.openapi},
	}
	s.mux = http.NewServeMux()
	byPath := map[string][]Route{}
	var paths []string
	for _, r := range s.routes {
		if _, ok := byPath[r.Path]; !ok {
			paths = append(paths, r.Path)
		}
		byPath[r.Path] = append(byPath[r.Path], r)
	}
	for _, p := range paths {
		s.mux.Handle(p, s.dispatch(byPath[p]))
	}
	s.mux.Handle("/", s.instrument("unknown", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, CodeNotFound, fmt.Sprintf("no such endpoint: %s %s (see /openapi.json)", r.Method, r.URL.Path))
	}))
	return s, nil
}

// Routes lists the operations the server registered.
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

// SetEngine switches to another engine (a reloaded plan). Turns already
// running finish on the engine they started with.
func (s *Server) SetEngine(e *runtime.Engine) error {
	if e == nil {
		return errors.New("serve: no engine")
	}
	h := e.PlanHash()
	old := s.cur.Swap(&current{engine: e, hash: h})
	if old != nil {
		s.metrics.planInfo.DeleteLabelValues(old.hash)
	}
	s.metrics.planInfo.WithLabelValues(h).Set(1)
	return nil
}

// PlanHash is the hash of the plan being served (ir.Hash).
func (s *Server) PlanHash() string { return s.cur.Load().hash }

// Drain makes /readyz answer 503 and new messages be refused with
// shutting_down, so that a load balancer sends them elsewhere; turns
// already running go on. Wait waits for them.
func (s *Server) Drain() { s.draining.Store(true) }

// Wait returns when no turn is running.
func (s *Server) Wait() { s.inflight.Wait() }

// ServeHTTP routes a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// dispatch picks the route of the request's method, answers 405 with Allow
// otherwise, and checks the token.
func (s *Server) dispatch(rs []Route) http.Handler {
	var allow []string
	for _, r := range rs {
		allow = append(allow, r.Method)
		if r.Method == http.MethodGet {
			allow = append(allow, http.MethodHead)
		}
	}
	return s.instrument(rs[0].name, func(w http.ResponseWriter, r *http.Request) {
		for _, rt := range rs {
			if r.Method == rt.Method || (r.Method == http.MethodHead && rt.Method == http.MethodGet) {
				if rt.Auth && !s.authorized(r) {
					w.Header().Set("WWW-Authenticate", `Bearer realm="instrc"`)
					writeError(w, http.StatusUnauthorized, CodeUnauthorized, "send the token of INSTRC_TOKEN as Authorization: Bearer <token>")
					return
				}
				rt.h(w, r)
				return
			}
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, http.StatusMethodNotAllowed, CodeMethodNotAllowed, fmt.Sprintf("%s %s is not supported; use %s", r.Method, r.URL.Path, strings.Join(allow, " or ")))
	})
}

func (s *Server) authorized(r *http.Request) bool {
	if s.cfg.Token == "" {
		return true
	}
	h := r.Header.Get("Authorization")
	const prefix = "Bearer "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(h[len(prefix):])), []byte(s.cfg.Token)) == 1
}

// statusWriter remembers the status code for the metrics and the log.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) instrument(route string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic", "route", route, "panic", fmt.Sprint(p))
				if sw.code == 0 {
					writeError(sw, http.StatusInternalServerError, CodeInternal, "the server failed on this request; it is logged")
				}
			}
			code := sw.code
			if code == 0 {
				code = http.StatusOK
			}
			s.metrics.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
			s.metrics.requestSecond.WithLabelValues(route).Observe(time.Since(start).Seconds())
			if route != "metrics" && route != "healthz" && route != "readyz" {
				s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", code, "elapsed", time.Since(start))
			}
		}()
		h(sw, r)
	})
}

// MessageRequest is the body of POST /v1/conversations/{id}/messages.
type MessageRequest struct {
	MessageID string            `json:"messageId"`
	ContactID string            `json:"contactId"`
	Text      *string           `json:"text"`
	History   []runtime.Message `json:"history,omitempty"`
	Language  string            `json:"language,omitempty"`
}

// decodeBody reads one JSON object into v, answering the error itself; it
// returns false when it did.
func (s *Server) decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			writeError(w, http.StatusUnsupportedMediaType, CodeUnsupportedMediaType, fmt.Sprintf("Content-Type %q: send the body as JSON with Content-Type: application/json", ct))
			return false
		}
	}
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, err2 := dec.Token(); err2 != io.EOF {
			err = errors.New("more than one JSON value in the body")
			var mbe *http.MaxBytesError
			if errors.As(err2, &mbe) {
				err = err2
			}
		}
	}
	if err == nil {
		return true
	}
	var mbe *http.MaxBytesError
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &mbe):
		writeError(w, http.StatusRequestEntityTooLarge, CodeBodyTooLarge, fmt.Sprintf("the body is over %d bytes", mbe.Limit))
	case errors.Is(err, io.EOF):
		writeError(w, http.StatusBadRequest, CodeMalformedJSON, "the body is empty: send a JSON object")
	case errors.As(err, &syn):
		writeError(w, http.StatusBadRequest, CodeMalformedJSON, fmt.Sprintf("the body is not valid JSON (at byte %d): %v", syn.Offset, err))
	case errors.Is(err, io.ErrUnexpectedEOF):
		writeError(w, http.StatusBadRequest, CodeMalformedJSON, "the body is not valid JSON: it ends too early")
	case errors.As(err, &typ):
		writeError(w, http.StatusBadRequest, CodeInvalidRequest, fmt.Sprintf("field %q must be a %s, not %s", typ.Field, jsonKind(typ.Type.Kind().String()), typ.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		writeError(w, http.StatusBadRequest, CodeInvalidRequest, strings.TrimPrefix(err.Error(), "json: ")+" (see /openapi.json)")
	default:
		writeError(w, http.StatusBadRequest, CodeMalformedJSON, "the body is not one JSON object: "+err.Error())
	}
	return false
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "slice":
		return "array"
	case "struct", "map":
		return "object"
	case "bool":
		return "boolean"
	}
	return goKind
}

// checkID validates an id from the path or the body.
func checkID(what, id string) error {
	switch {
	case strings.TrimSpace(id) == "":
		return fmt.Errorf("%s is empty", what)
	case len(id) > MaxIDLength:
		return fmt.Errorf("%s is over %d bytes", what, MaxIDLength)
	case strings.ContainsFunc(id, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return fmt.Errorf("%s holds a control character", what)
	}
	return nil
}

func (s *Server) postMessage(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	conv := r.PathValue("id")
	if err := checkID("the conversation id", conv); err != nil {
		writeError(w, http.StatusBadRequest, CodeInvalidRequest, err.Error())
		return
	}
	var req MessageRequest
	if !s.decodeBody(w, r, &req) {
		return
	}
	if err := req.check(); err != nil {
		writeError(w, http.StatusBadRequest, CodeInvalidRequest, err.Error())
		return
	}
	if s.draining.Load() {
		writeError(w, http.StatusServiceUnavailable, CodeShuttingDown, "the server is shutting down: send the message to another replica or retry")
		return
	}
	s.inflight.Add(1)
	defer s.inflight.Done()

	// The backend queues the messages of a conversation in arrival order
	// and runs one turn at a time, across replicas. The turn runs to its
	// end even when the client goes away: a chain of actions is never cut
	// short by a dropped connection.
	// The wait ends with the request; the engine detaches the turn from it
	// once the turn has started.
	ctx, cancelTurn := context.WithTimeout(r.Context(), s.cfg.LockTimeout)
	defer cancelTurn()
	// A message's place in its conversation's queue is fixed as soon as it
	// arrives: the backend numbers it, durably, in its own transaction,
	// before the message waits for the turns before it. Messages of one
	// conversation reaching this replica are numbered one at a time in the
	// order they arrived here (the backend cannot tell the order of two
	// requests that reach it at once); across replicas the backend's
	// numbering orders them.
	waitStart := time.Now()
	unlock, err := s.locks.lock(ctx, conv)
	if err != nil {
		s.metrics.lockWait.Observe(time.Since(waitStart).Seconds())
		writeError(w, http.StatusServiceUnavailable, CodeTimeout, fmt.Sprintf("waited %s for the turns before it on conversation %s; nothing ran, send the message again with the same messageId", s.cfg.LockTimeout, conv))
		return
	}
	cur := s.cur.Load()
	in := runtime.TurnInput{ConversationID: conv, ContactID: req.ContactID, MessageID: req.MessageID,
		Text: *req.Text, History: req.History, Language: req.Language, ArrivedAt: arrived}
	err = cur.engine.Enqueue(ctx, in)
	unlock()
	if err != nil {
		s.log.Error("turn", "conversation", conv, "message", req.MessageID, "plan", cur.hash, "error", err.Error())
		writeError(w, http.StatusInternalServerError, CodeTurnFailed, err.Error()+"; the message is not marked processed: send it again with the same messageId")
		return
	}
	localWait := time.Since(waitStart)
	s.metrics.enqueue.Observe(localWait.Seconds())
	s.metrics.inFlight.Inc()
	res, err := cur.engine.Turn(ctx, in)
	s.metrics.inFlight.Dec()
	s.metrics.lockWait.Observe((localWait + res.LockWait).Seconds())
	if err != nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)) && res.LockWait >= s.cfg.LockTimeout {
		s.log.Error("turn", "conversation", conv, "message", req.MessageID, "plan", cur.hash, "error", err.Error())
		writeError(w, http.StatusServiceUnavailable, CodeTimeout, fmt.Sprintf("waited %s for the turns before it on conversation %s; nothing ran, send the message again with the same messageId", s.cfg.LockTimeout, conv))
		return
	}
	if err != nil {
		s.log.Error("turn", "conversation", conv, "message", req.MessageID, "plan", cur.hash, "error", err.Error())
		writeError(w, http.StatusInternalServerError, CodeTurnFailed, err.Error()+"; the message is not marked processed: send it again with the same messageId, and what did not run will run")
		return
	}
	s.metrics.observeTurn(res, res.Elapsed-res.LockWait)
	v := res.View(*req.Text)
	v.PlanHash = res.PlanHash
	writeJSON(w, http.StatusOK, v)
}

func (q *MessageRequest) check() error {
	if err := checkID("messageId", q.MessageID); err != nil {
		return fmt.Errorf("%w: every message needs the chat backend's own id, so that a redelivery runs nothing twice", err)
	}
	if q.ContactID != "" {
		if err := checkID("contactId", q.ContactID); err != nil {
			return err
		}
	}
	if q.Text == nil {
		return errors.New(`"text" is missing: send the contact's message`)
	}
	if q.Language != "" && q.Language != "en" && q.Language != "fr" {
		return fmt.Errorf("language %q: use en, fr, or leave it out to detect it", q.Language)
	}
	if len(q.History) > MaxHistory {
		return fmt.Errorf("history has %d messages: send at most the last %d", len(q.History), MaxHistory)
	}
	for i, m := range q.History {
		if m.Role != runtime.RoleContact && m.Role != runtime.RoleAgent {
			return fmt.Errorf("history[%d].role is %q: use contact or agent", i, m.Role)
		}
	}
	return nil
}

// ConversationView is the answer of GET /v1/conversations/{id}.
type ConversationView struct {
	runtime.Conversation
	Comments       []runtime.Comment       `json:"comments"`
	WorkflowEvents []runtime.WorkflowEvent `json:"workflowEvents"`
}

func (s *Server) getConversation(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := checkID("the conversation id", id); err != nil {
		writeError(w, http.StatusBadRequest, CodeInvalidRequest, err.Error())
		return
	}
	c, err := s.cfg.Backend.Conversation(r.Context(), id)
	if err != nil {
		writeError(w, http.StatusInternalServerError, CodeInternal, "reading the conversation: "+err.Error())
		return
	}
	if c.ContactID == "" {
		writeError(w, http.StatusNotFound, CodeNotFound, fmt.Sprintf("no conversation %q: it has had no message", id))
		return
	}
	v := ConversationView{Conversation: c, Comments: []runtime.Comment{}, WorkflowEvents: []runtime.WorkflowEvent{}}
	if rec, ok := s.cfg.Backend.(runtime.Recorder); ok {
		if v.Comments, err = rec.Comments(r.Context(), id); err == nil {
			v.WorkflowEvents, err = rec.WorkflowEvents(r.Context(), id)
		}
		if err != nil {
			writeError(w, http.StatusInternalServerError, CodeInternal, "reading the conversation: "+err.Error())
			return
		}
		if v.Comments == nil {
			v.Comments = []runtime.Comment{}
		}
		if v.WorkflowEvents == nil {
			v.WorkflowEvents = []runtime.WorkflowEvent{}
		}
	}
	writeJSON(w, http.StatusOK, v)
}

// ContactView is the answer of GET /v1/contacts/{id}.
type ContactView struct {
	ID        string            `json:"id"`
	Fields    map[string]string `json:"fields"`
	Lifecycle string            `json:"lifecycle"`
	Tags      []string          `json:"tags"`
}

func (s *Server) getContact(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := checkID("the contact id", id); err != nil {
		writeError(w, http.StatusBadRequest, CodeInvalidRequest, err.Error())
		return
	}
	c, err := s.cfg.Backend.Contact(r.Context(), id)
	if err != nil {
		writeError(w, http.StatusInternalServerError, CodeInternal, "reading the contact: "+err.Error())
		return
	}
	if len(c.Fields) == 0 && c.Lifecycle == "" && len(c.Tags) == 0 {
		writeError(w, http.StatusNotFound, CodeNotFound, fmt.Sprintf("no contact %q: nothing is stored about it", id))
		return
	}
	v := ContactView{ID: c.ID, Fields: c.Fields, Lifecycle: c.Lifecycle, Tags: c.Tags}
	if v.Fields == nil {
		v.Fields = map[string]string{}
	}
	if v.Tags == nil {
		v.Tags = []string{}
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// Pinger is implemented by backends that can say whether their database
// answers; /readyz uses it.
type Pinger interface {
	Ping(ctx context.Context) error
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		writeError(w, http.StatusServiceUnavailable, CodeShuttingDown, "the server is shutting down")
		return
	}
	if p, ok := s.cfg.Backend.(Pinger); ok {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := p.Ping(ctx); err != nil {
			writeError(w, http.StatusServiceUnavailable, CodeTurnFailed, "the database does not answer: "+err.Error())
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "planHash": s.PlanHash()})
}

// ReloadOK and ReloadFailed count plan reloads for /metrics.
func (s *Server) ReloadOK() { s.metrics.reloads.WithLabelValues("ok").Inc() }

// ReloadFailed counts a reload that kept the previous plan.
func (s *Server) ReloadFailed() { s.metrics.reloads.WithLabelValues("error").Inc() }
