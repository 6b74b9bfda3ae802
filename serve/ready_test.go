package serve

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/runtime"
)

// pingBackend is a backend whose database answers ping with err.
type pingBackend struct {
	*runtime.MemoryBackend
	err error
}

func (b pingBackend) Ping(context.Context) error { return b.err }

// TestReadyzPingsTheDatabase checks that /readyz answers 503 with a JSON
// error while the database does not answer, and 200 once it does.
func TestReadyzPingsTheDatabase(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code int
		want string
	}{
		{name: "database answers", code: http.StatusOK, want: `"status":"ready"`},
		{name: "database down", err: errors.New("dial tcp 10.0.0.5:5432: connection refused"), code: http.StatusServiceUnavailable,
			want: `the database does not answer: dial tcp 10.0.0.5:5432: connection refused`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, mem := newTestServer(t, "../examples/support/plan.json")
			s.cfg.Backend = pingBackend{mem, tt.err}
			r := do(t, s, "GET", "/readyz", "", "")
			require.Equal(t, tt.code, r.code, string(r.body))
			require.Contains(t, string(r.body), tt.want)
		})
	}
}
