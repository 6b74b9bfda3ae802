package runtime_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/fakemodel"
)

// TestCallRefusesPrivateAddresses: the default HTTPCaller refuses to
// connect to loopback, private and link-local addresses, checked after DNS
// (a name that resolves to 127.0.0.1 is refused like the address), unless
// the workspace allows the network.
func TestCallRefusesPrivateAddresses(t *testing.T) {
	srv := newAPIServer(t, nil)
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	tests := []struct {
		name    string
		base    string
		allow   []string
		wantErr string
	}{
		{name: "loopback address", base: srv.URL, wantErr: "127.0.0.1 resolves to 127.0.0.1, a loopback address, which custom actions may not reach: list it in the workspace's allow_private_networks"},
		{name: "a name resolved to loopback", base: "http://localhost" + port, wantErr: "localhost resolves to"},
		{name: "metadata endpoint", base: "http://169.254.169.254", wantErr: "169.254.169.254, a link-local address"},
		{name: "private network", base: "http://10.255.255.1", wantErr: "10.255.255.1, a private address"},
		{name: "IPv4 in IPv6", base: "http://[::ffff:127.0.0.1]" + port, wantErr: "a loopback address"},
		{name: "allowed by the workspace", base: srv.URL, allow: []string{"127.0.0.0/8"}},
		{name: "another network allowed", base: srv.URL, allow: []string{"10.0.0.0/8"}, wantErr: "a loopback address"},
	}
	caller := runtime.NewHTTPCaller(runtime.HTTPCallerOptions{Getenv: secrets})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.received())
			nets, err := runtime.ParseNetworks(tt.allow)
			require.NoError(t, err)
			ws := callWorkspace(tt.base)
			resp, err := caller.Call(context.Background(), runtime.CallRequest{Action: ws.CustomActions[1],
				Inputs: map[string]string{"postcode": "LS6"}, AllowedNetworks: nets})
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Len(t, srv.received(), before+1)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Contains(t, err.Error(), "calling outage_check was refused")
			var blocked *runtime.BlockedAddressError
			assert.True(t, errors.As(err, &blocked))
			assert.Len(t, srv.received(), before, "nothing reached the server")
		})
	}
}

// TestWorkspaceAllowsPrivateNetworks: the plan's workspace key reaches the
// caller through the engine.
func TestWorkspaceAllowsPrivateNetworks(t *testing.T) {
	srv := newAPIServer(t, nil)
	for _, allow := range [][]string{nil, {"127.0.0.1"}} {
		p := callPlan(srv.URL, callOf("outage_check"))
		p.Workspace.AllowPrivateNetworks = allow
		e, b := newEngine(t, p, runtime.Options{Caller: runtime.NewHTTPCaller(runtime.HTTPCallerOptions{})})
		require.NoError(t, b.PutContact(context.Background(), runtime.Contact{ID: "p1", Fields: map[string]string{"Postcode": "LS6 2AB"}}))
		r := turnOf(t, e, "is there an outage?")
		if allow == nil {
			diff(t, []string{runtime.Failed}, statuses(r))
			assert.Contains(t, r.Actions[0].Reason, "allow_private_networks")
		} else {
			diff(t, []string{runtime.OK}, statuses(r))
		}
	}
	p := callPlan(srv.URL, callOf("outage_check"))
	p.Workspace.AllowPrivateNetworks = []string{"ten-dot"}
	_, err := runtime.New(p, runtime.Options{})
	assert.ErrorContains(t, err, `"ten-dot" is not a network`)
	nets, err := runtime.ParseNetworks([]string{"10.1.2.3/8", "::1"})
	require.NoError(t, err)
	assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}, nets)
}

// TestCallRedactsSecrets: an API that echoes the secret back, and a URL
// with credentials, leave no trace of them in the outcome, the reply's
// prompt or the dry run's description.
func TestCallRedactsSecrets(t *testing.T) {
	srv := newAPIServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"you_sent": "`+r.Header.Get("X-Shop-Key")+`", "see": "https://admin:pw123456@internal.example.com/x"}`)
	})
	p := callPlan(srv.URL, callOf("order_status"))
	p.Workspace.AllowPrivateNetworks = []string{"127.0.0.1"}
	model := fakemodel.New().Choose(`{"scenario": "s1", "inputs": {"order_number": "10234"}}`).Reply("Here it is.")
	e, _ := newEngine(t, p, runtime.Options{Model: model, Caller: runtime.NewHTTPCaller(runtime.HTTPCallerOptions{Getenv: env(map[string]string{"SHOP_KEY": "k9"})})})
	r := turnOf(t, e, "where is order 10234?")
	diff(t, []string{runtime.OK}, statuses(r))
	require.NotNil(t, r.Actions[0].Response)
	assert.Equal(t, `{"you_sent": "[REDACTED]", "see": "https://[REDACTED]@internal.example.com/x"}`, r.Actions[0].Response.Body)
	reqs := model.Requests()
	require.Len(t, reqs, 2)
	assert.Contains(t, reqs[1].System, `"you_sent": "[REDACTED]"`)
	for _, req := range reqs {
		assert.NotContains(t, req.System+req.User, `"k9"`)
		assert.NotContains(t, req.System+req.User, "pw123456")
	}
	assert.Equal(t, srv.received()[0].Header.Get("X-Shop-Key"), "k9", "the request itself carried the secret")

	// A dry run of an action whose URL carries credentials.
	ca := callWorkspace("https://user:hunter22@shop.example.com").CustomActions[1]
	dry, err := runtime.DryRunCaller{}.Call(context.Background(), runtime.CallRequest{Action: ca, Inputs: map[string]string{"postcode": "LS6"}})
	require.NoError(t, err)
	assert.Equal(t, "dry run: GET https://[REDACTED]@shop.example.com/api/v2/outages?postcode=LS6 (not sent)", dry.Note)
}
