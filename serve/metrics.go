package serve

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/instrc/instrc/runtime"
)

// metrics are what /metrics exposes, all prefixed instrc_.
type metrics struct {
	turns         *prometheus.CounterVec   // result: matched, unmatched, duplicate
	actions       *prometheus.CounterVec   // kind, status
	modelCalls    *prometheus.CounterVec   // purpose, result: ok, error
	modelTokens   *prometheus.CounterVec   // purpose, type: prompt, completion
	turnSeconds   prometheus.Histogram     // a turn, from the lock to the answer
	modelSeconds  *prometheus.HistogramVec // purpose
	lockWait      prometheus.Histogram     // waiting for the conversation's turn
	enqueue       prometheus.Histogram     // arrival to a place in the queue
	requests      *prometheus.CounterVec   // route, code
	requestSecond *prometheus.HistogramVec // route
	inFlight      prometheus.Gauge
	reloads       *prometheus.CounterVec // result: ok, error
	planInfo      *prometheus.GaugeVec   // hash
	webhooks      *prometheus.CounterVec // result: delivered, retried
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		turns: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "instrc_turns_total",
			Help: "Turns run, by result: matched (a scenario ran), unmatched, duplicate (a redelivered message id)."}, []string{"result"}),
		actions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "instrc_actions_total",
			Help: "Actions of chosen scenarios, by kind and status (ok, failed, skipped)."}, []string{"kind", "status"}),
		modelCalls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "instrc_model_calls_total",
			Help: "Model calls, by purpose (choose, reply) and result (ok, error)."}, []string{"purpose", "result"}),
		modelTokens: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "instrc_model_tokens_total",
			Help: "Model tokens, by purpose and type (prompt, completion)."}, []string{"purpose", "type"}),
		turnSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "instrc_turn_duration_seconds",
			Help: "Time a turn took once it had the conversation (choice, actions, reply).", Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 14)}),
		modelSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "instrc_model_call_duration_seconds",
			Help: "Latency of model calls, by purpose.", Buckets: prometheus.ExponentialBuckets(0.05, 2, 10)}, []string{"purpose"}),
		lockWait: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "instrc_lock_wait_seconds",
			Help: "Time a message waited for the turn before it on the same conversation.", Buckets: prometheus.ExponentialBuckets(0.0001, 3, 14)}),
		enqueue: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "instrc_enqueue_seconds",
			Help: "Time from a message's arrival to its place in its conversation's queue (the order its turn runs in).", Buckets: prometheus.ExponentialBuckets(0.0001, 3, 14)}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "instrc_http_requests_total",
			Help: "HTTP requests, by route and status code."}, []string{"route", "code"}),
		requestSecond: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "instrc_http_request_duration_seconds",
			Help: "HTTP request latency, by route.", Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 14)}, []string{"route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "instrc_turns_in_flight", Help: "Turns running now."}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "instrc_plan_reloads_total",
			Help: "Plan reloads, by result (ok, error: the old plan kept running)."}, []string{"result"}),
		planInfo: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "instrc_plan_info",
			Help: "1 for the plan being served, labelled with its hash."}, []string{"hash"}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "instrc_webhook_deliveries_total",
			Help: "Webhook delivery attempts, by result (delivered, retried)."}, []string{"result"}),
	}
	reg.MustRegister(m.turns, m.actions, m.modelCalls, m.modelTokens, m.turnSeconds, m.modelSeconds, m.lockWait, m.enqueue,
		m.requests, m.requestSecond, m.inFlight, m.reloads, m.planInfo, m.webhooks,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observeTurn counts one turn's result, actions and model calls.
func (m *metrics) observeTurn(r runtime.TurnResult, took time.Duration) {
	switch {
	case r.Duplicate:
		m.turns.WithLabelValues("duplicate").Inc()
	case r.Scenario != "":
		m.turns.WithLabelValues("matched").Inc()
	default:
		m.turns.WithLabelValues("unmatched").Inc()
	}
	m.turnSeconds.Observe(took.Seconds())
	for _, a := range r.Actions {
		m.actions.WithLabelValues(a.Action.Kind, a.Status).Inc()
	}
	for _, c := range r.ModelCalls {
		res := "ok"
		if c.Error != "" {
			res = "error"
		}
		m.modelCalls.WithLabelValues(c.Purpose, res).Inc()
		m.modelTokens.WithLabelValues(c.Purpose, "prompt").Add(float64(c.PromptTokens))
		m.modelTokens.WithLabelValues(c.Purpose, "completion").Add(float64(c.CompletionTokens))
		m.modelSeconds.WithLabelValues(c.Purpose).Observe(c.Latency.Seconds())
	}
}
