package stdlib

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
)

func TestStem(t *testing.T) {
	tests := []struct{ lang, word, want string }{
		{"fr", "Fermez", "ferm"},
		{"fr", "fermer", "ferm"},
		{"fr", "remboursement", "rembours"},
		{"fr", "Remboursé", "rembours"},
		{"fr", "résiliation", "resili"},
		{"fr", "RÉSILIER", "resili"},
		{"en", "cancelling", "cancel"},
		{"en", "Refunded", "refund"},
		{"en", "subscriptions", "subscript"},
		{"en", "questions", "question"},
		{"", "questions", "question"},
		{"de", "tracking", "track"},
		{"en", "ab", "ab"},
		{"en", "", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Stem(tt.lang, tt.word), "Stem(%q, %q)", tt.lang, tt.word)
	}
}

func TestStemHostile(t *testing.T) {
	for _, w := range []string{"\xff\xfe", "😀😀😀", string(make([]byte, 1000)), "ééééééééééé", "a'b'c", "123456"} {
		assert.NotPanics(t, func() { Stem("fr", w); Stem("en", w) })
	}
}

func TestKeywords(t *testing.T) {
	tests := []struct {
		lang, text string
		want       []string
	}{
		{"en", "The customer asks about pricing plans", []string{"custom", "ask", "price", "plan"}},
		{"en", "the contact has no more questions", []string{"contact", "question"}},
		{"en", "I don't want a refund, refunds are not for me", []string{"want", "refund"}},
		{"en", "Order 10234 is late", []string{"order", "late"}},
		{"fr", "Le contact n'a plus de questions", []string{"contact", "question"}},
		{"fr", "Si le client veut résilier son abonnement", []string{"client", "veut", "resili", "abon"}},
		{"fr", "le client demande un remboursement, remboursez-le", []string{"client", "demand", "rembours"}},
		{"en", "", nil},
		{"en", "the of and to", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Keywords(tt.lang, tt.text)); diff != "" {
			t.Errorf("Keywords(%q, %q) (-want +got):\n%s", tt.lang, tt.text, diff)
		}
	}
}

func TestMessageKeywords(t *testing.T) {
	tests := []struct {
		lang, text string
		want       map[string]bool
	}{
		{"en", "cancel my order, not my subscription", map[string]bool{"cancel": false, "order": false, "subscript": true}},
		{"en", "no internet at all", map[string]bool{"internet": false}},
		{"en", "not now, cancel my order", map[string]bool{"cancel": false, "order": false}},
		{"fr", "annuler ma commande, pas mon abonnement", map[string]bool{"annul": false, "command": false, "abon": true}},
		{"fr", "pas d'internet depuis hier", map[string]bool{"internet": false, "depuis": false, "hi": false}},
		{"en", "I don't recognise a charge on my bill", map[string]bool{"recognis": true, "charg": false, "bill": false}},
		{"en", "I don't want to cancel my membership", map[string]bool{"want": true, "cancel": true, "membership": false}},
		{"fr", "je ne reconnais pas ce prélèvement", map[string]bool{"recon": false, "prelev": false}},
	}
	for _, tt := range tests {
		got := MessageKeywords(tt.lang, tt.text)
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("MessageKeywords(%s, %q) (-want +got):\n%s", tt.lang, tt.text, d)
		}
	}
}
