package ir_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
)

// TestCustomActionAuthJSON: a custom action's auth names the environment
// variable of its secret in camelCase keys, is left out when there is none,
// and reads back as written.
func TestCustomActionAuthJSON(t *testing.T) {
	p := &ir.Plan{Version: ir.Version, Language: "en", Scenarios: []ir.Scenario{{ID: "s1",
		Actions: []ir.Action{{Kind: ir.KindCall, ActionName: "order_status"}}}},
		Workspace: &ir.Workspace{CustomActions: []ir.CustomAction{
			{Name: "order_status", Inputs: []ir.ActionInput{{Name: "order_number"}}, Method: "GET", URL: "https://shop.example.com/orders/{order_number}",
				Auth: &ir.ActionAuth{Type: ir.AuthAPIKey, Header: "X-Api-Key", SecretEnv: "SHOP_KEY"}},
			{Name: "line_test", Method: "POST", URL: "https://api.example.com/line-test", Auth: &ir.ActionAuth{Type: ir.AuthBearer, SecretEnv: "LINE_TOKEN"}},
			{Name: "public_status", URL: "https://status.example.com/"},
		}}}
	b, err := ir.Marshal(p)
	require.NoError(t, err)
	s := string(b)
	assert.Contains(t, s, `"auth": {
          "type": "api_key",
          "header": "X-Api-Key",
          "secretEnv": "SHOP_KEY"
        }`)
	assert.Contains(t, s, `"auth": {
          "type": "bearer",
          "secretEnv": "LINE_TOKEN"
        }`)
	assert.Equal(t, 2, strings.Count(s, `"auth"`), "no auth object for an action without auth")

	back, err := ir.Unmarshal(b)
	require.NoError(t, err)
	if d := cmp.Diff(p, back); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
}
