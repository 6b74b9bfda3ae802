// Package redact is the one place that removes secrets from text before it
// leaves the process: answers, logs and prompts. It removes credentials
// written in URLs (scheme://user:password@host) and the values of known
// secrets (the custom actions' keys read from the environment), wherever
// they appear, for instance echoed back in an API's response body.
package redact

import (
	"regexp"
	"strings"
	"sync"
)

// Mask replaces what is redacted.
const Mask = "[REDACTED]"

// urlCreds matches the userinfo of a URL: scheme://user:password@ or
// scheme://token@.
var urlCreds = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s?#@"'<>]+@`)

// MinSecretLen is the shortest secret value redacted by value: shorter
// ones would mask ordinary words.
const MinSecretLen = 6

var (
	mu      sync.RWMutex
	secrets = map[string]struct{}{}
)

// AddSecret registers a secret value: from now on String removes it from
// any text. Values shorter than MinSecretLen are ignored.
func AddSecret(v string) {
	v = strings.TrimSpace(v)
	if len(v) < MinSecretLen {
		return
	}
	mu.Lock()
	secrets[v] = struct{}{}
	mu.Unlock()
}

// String returns s without URL credentials and registered secrets.
func String(s string) string {
	if strings.Contains(s, "://") && strings.Contains(s, "@") {
		s = urlCreds.ReplaceAllString(s, "${1}"+Mask+"@")
	}
	mu.RLock()
	defer mu.RUnlock()
	for v := range secrets {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, Mask)
		}
	}
	return s
}

// With returns String(s) with also every value of secrets replaced,
// whatever its length: the secrets of one request, known exactly.
func With(s string, secrets ...string) string {
	for _, v := range secrets {
		if v = strings.TrimSpace(v); v != "" && strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, Mask)
		}
	}
	return String(s)
}
