package workspace

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/ir"
)

func TestPhoneRegion(t *testing.T) {
	tests := []struct {
		yaml   string
		region string
		errs   []string
	}{
		{"name: A\nphone_region: FR\n", "FR", nil},
		{"name: A\nphone_region: gb\n", "GB", nil},
		{"name: A\n", "", nil},
		{"name: A\nphone_region: France\n", "", []string{`phone_region "France" is not a country code: use a two-letter ISO 3166 code such as FR, GB, US or BE`}},
		{"name: A\nphone_region: ZZ\n", "", []string{`phone_region "ZZ" is not a country code: use a two-letter ISO 3166 code such as FR, GB, US or BE`}},
	}
	for _, tt := range tests {
		ws, ds := Load("ws.yaml", []byte(tt.yaml))
		var errs []string
		for _, d := range ds {
			errs = append(errs, d.Message)
		}
		if d := cmp.Diff(tt.errs, errs); d != "" {
			t.Errorf("%q: diagnostics (-want +got):\n%s", tt.yaml, d)
		}
		if d := cmp.Diff(tt.region, ws.PhoneRegion); d != "" {
			t.Errorf("%q: region (-want +got):\n%s", tt.yaml, d)
		}
		if d := cmp.Diff(tt.region, ws.IR().PhoneRegion); d != "" {
			t.Errorf("%q: plan region (-want +got):\n%s", tt.yaml, d)
		}
	}
}

func TestAllowPrivateNetworks(t *testing.T) {
	tests := []struct {
		yaml string
		nets []string
		errs []string
	}{
		{"name: A\nallow_private_networks: [10.1.2.3/16, 127.0.0.1, \"fd00::/8\"]\n", []string{"10.1.0.0/16", "127.0.0.1/32", "fd00::/8"}, nil},
		{"name: A\n", nil, nil},
		{"name: A\nallow_private_networks: 10.0.0.0/8\n", nil, []string{"allow_private_networks must be a list of networks, e.g. [10.0.0.0/8, 127.0.0.1]"}},
		{"name: A\nallow_private_networks: [intranet]\n", nil, []string{`"intranet" is not a network: write a CIDR prefix such as 10.0.0.0/8 or fd00::/8, or an address such as 127.0.0.1`}},
	}
	for _, tt := range tests {
		ws, ds := Load("ws.yaml", []byte(tt.yaml))
		var errs []string
		for _, d := range ds {
			errs = append(errs, d.Message)
		}
		if d := cmp.Diff(tt.errs, errs); d != "" {
			t.Errorf("%q: diagnostics (-want +got):\n%s", tt.yaml, d)
		}
		if d := cmp.Diff(tt.nets, ws.IR().AllowPrivateNetworks); d != "" {
			t.Errorf("%q: plan networks (-want +got):\n%s", tt.yaml, d)
		}
	}
}

// TestSecretOverHTTP: an action that sends a secret over http:// is a
// warning; over https://, or without a secret, nothing is said.
func TestSecretOverHTTP(t *testing.T) {
	const tmpl = "name: A\nactions:\n  - name: a\n    request: {url: %q%s}\n"
	tests := []struct {
		url, auth string
		warn      bool
	}{
		{"http://api.example.com/x", ", auth: {type: bearer, secret_env: TOKEN}", true},
		{"HTTP://api.example.com/x", ", auth: {secret_env: TOKEN}", true},
		{"https://api.example.com/x", ", auth: {type: bearer, secret_env: TOKEN}", false},
		{"http://api.example.com/x", "", false},
	}
	for _, tt := range tests {
		_, ds := Load("ws.yaml", []byte(fmt.Sprintf(tmpl, tt.url, tt.auth)))
		var warns []string
		for _, d := range ds {
			if d.Severity == diag.Warning {
				warns = append(warns, d.Message)
			}
		}
		if tt.warn {
			want := []string{`action "a" sends its secret (TOKEN) over http://, where anyone on the way can read it: use https://`}
			if d := cmp.Diff(want, warns); d != "" {
				t.Errorf("%s: (-want +got):\n%s", tt.url, d)
			}
		} else if len(warns) > 0 {
			t.Errorf("%s %s: unexpected %q", tt.url, tt.auth, warns)
		}
	}
}

// TestActionAuth: the loader accepts the auth the runtime can use (api_key
// or bearer with its secret_env, none without one) and reports any other,
// so that an action that lints clean does not fail every call.
func TestActionAuth(t *testing.T) {
	const tmpl = "name: A\nactions:\n  - name: a\n    request: {url: \"https://api.example.com/x\", auth: %s}\n"
	tests := []struct {
		auth string
		want []string
	}{
		{"{type: none}", nil},
		{"{type: api_key, secret_env: KEY}", nil},
		{"{type: bearer, secret_env: TOKEN}", nil},
		{"{secret_env: KEY}", nil},
		{"{type: bearer}", []string{`the auth of action "a" names no secret_env, the environment variable that holds its secret: add secret_env, or use auth: {type: none} for an API without a secret`}},
		{"{type: none, secret_env: KEY}", []string{`the auth of action "a" is none, so it sends no secret: remove secret_env and header, or use type api_key or bearer`}},
		{"{type: basic, secret_env: KEY}", []string{`auth type "basic" of action "a" is not known: use api_key, bearer or none`}},
	}
	for _, tt := range tests {
		ws, ds := Load("ws.yaml", []byte(fmt.Sprintf(tmpl, tt.auth)))
		var got []string
		for _, d := range ds {
			got = append(got, d.Message)
			if d.Code != Code {
				t.Errorf("%s: code %q, want %q", tt.auth, d.Code, Code)
			}
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s: (-want +got):\n%s", tt.auth, d)
		}
		if tt.auth == "{type: none}" {
			if d := cmp.Diff(&ir.ActionAuth{Type: ir.AuthNone}, ws.IR().CustomActions[0].Auth); d != "" {
				t.Errorf("plan auth (-want +got):\n%s", d)
			}
		}
	}
}
