package telemetry_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/fakemodel"
	"github.com/instrc/instrc/runtime/telemetry"
)

func TestEnabled(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"nothing set", nil, false},
		{"endpoint", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, true},
		{"traces endpoint", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, true},
		{"exporter otlp, default endpoint", map[string]string{"OTEL_TRACES_EXPORTER": "otlp"}, true},
		{"exporter none", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_TRACES_EXPORTER": "none"}, false},
		{"sdk disabled", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_SDK_DISABLED": "true"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, telemetry.Enabled(func(k string) string { return tt.env[k] }))
		})
	}
	assert.False(t, telemetry.CaptureContent(func(string) string { return "" }))
	assert.True(t, telemetry.CaptureContent(func(string) string { return "true" }))
}

// With OTEL_EXPORTER_OTLP_TRACES_ENDPOINT set, a turn's spans reach the
// collector over OTLP/HTTP, with the service name from OTEL_SERVICE_NAME.
func TestSetupExportsOTLP(t *testing.T) {
	var mu sync.Mutex
	var got []*collectortrace.ExportTraceServiceRequest
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
			http.Error(w, "unexpected request", http.StatusBadRequest)
			return
		}
		b, _ := io.ReadAll(r.Body)
		var req collectortrace.ExportTraceServiceRequest
		if err := proto.Unmarshal(b, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, &req)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(nil)
	}))
	defer collector.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", collector.URL+"/v1/traces")
	t.Setenv("OTEL_SERVICE_NAME", "support-bot")
	ctx := context.Background()
	shutdown, err := telemetry.Setup(ctx)
	require.NoError(t, err)

	p := &ir.Plan{Version: ir.Version, Language: "en", Scenarios: []ir.Scenario{{ID: "s1", Condition: ir.Condition{Text: "the contact wants a refund"},
		Actions: []ir.Action{{Kind: ir.KindAddComment, Text: "refund asked"}}}}}
	m := fakemodel.New().Choose(`{"scenario": "s1"}`)
	e, err := runtime.New(p, runtime.Options{Model: m, ModelSureMatch: 2, ModelSureNone: -1})
	require.NoError(t, err)
	_, err = e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "can I get my money back"})
	require.NoError(t, err)
	require.NoError(t, shutdown(ctx))

	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, got)
	var names []string
	service := ""
	for _, req := range got {
		for _, rs := range req.ResourceSpans {
			for _, kv := range rs.Resource.Attributes {
				if kv.Key == "service.name" {
					service = kv.Value.GetStringValue()
				}
			}
			for _, ss := range rs.ScopeSpans {
				assert.Equal(t, runtime.TracerName, ss.Scope.Name)
				for _, s := range ss.Spans {
					names = append(names, s.Name)
				}
			}
		}
	}
	slices.Sort(names)
	assert.Equal(t, []string{"chat scripted", "execute_tool add_comment", "invoke_agent instrc"}, names)
	assert.Equal(t, "support-bot", service)
}
