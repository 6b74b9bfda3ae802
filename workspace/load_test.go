package workspace

import (
	"testing"

	"github.com/google/go-cmp/cmp"
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
