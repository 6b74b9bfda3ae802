package redact

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestString(t *testing.T) {
	AddSecret("sk_live_123456")
	AddSecret("abc") // too short: never redacted by value
	tests := []struct{ in, want string }{
		{"postgres://app:hunter22@db.internal:5432/instrc", "postgres://[REDACTED]@db.internal:5432/instrc"},
		{"GET https://token@api.example.com/x", "GET https://[REDACTED]@api.example.com/x"},
		{"mail ann@example.org about https://example.com/a@b", "mail ann@example.org about https://example.com/a@b"},
		{`{"echo": "key sk_live_123456 accepted"}`, `{"echo": "key [REDACTED] accepted"}`},
		{"la clé abc reste", "la clé abc reste"},
		{"no secret here", "no secret here"},
	}
	for _, tt := range tests {
		if d := cmp.Diff(tt.want, String(tt.in)); d != "" {
			t.Errorf("String(%q) (-want +got):\n%s", tt.in, d)
		}
	}
}
