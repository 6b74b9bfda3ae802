package serve

import (
	"log/slog"

	"github.com/instrc/instrc/internal/redact"
)

// Redact removes credentials and known secrets from s (internal/redact).
func Redact(s string) string { return redact.String(s) }

// RedactAttr is a slog ReplaceAttr that redacts every string attribute, so
// that no log line carries a secret.
func RedactAttr(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindString {
		a.Value = slog.StringValue(redact.String(a.Value.String()))
	}
	return a
}
