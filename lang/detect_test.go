package lang

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGuessLanguageSaysWhenUndecided(t *testing.T) {
	tests := []struct {
		text string
		want string
		ok   bool
	}{
		{"", "en", false},
		{"MC-20418", "en", false},
		{"LS6 2AB", "en", false},
		{"ok", "en", false},
		{"Hello, where is my order?", "en", true},
		{"merci", "fr", true},
		{"l'équipe", "fr", true},
	}
	for _, tt := range tests {
		lang, ok := Guess(tt.text)
		assert.Equal(t, tt.want, lang, tt.text)
		assert.Equal(t, tt.ok, ok, tt.text)
		assert.Equal(t, tt.want, Detect(tt.text), tt.text)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct{ text, want string }{
		{"", "en"},
		{"   ", "en"},
		{"12345", "en"},
		{"😀", "en"},
		{"ok", "en"},
		{"Hello, where is my order?", "en"},
		{"I want to cancel my subscription", "en"},
		{"thanks", "en"},
		{"Bonjour, où est ma commande ?", "fr"},
		{"je veux résilier", "fr"},
		{"merci", "fr"},
		{"Je n'ai plus de questions", "fr"},
		{"l'équipe", "fr"},
		{"ça marche pas", "fr"},
		{"c'est bon", "fr"},
		{"Le contact n’a plus de questions", "fr"},
		{"If the contact has no more questions, close the conversation", "en"},
		{"Si le contact a fourni son budget, enregistre-le comme champ Budget.", "fr"},
		{"\xff\xfe", "en"},
		{strings.Repeat("bonjour ", 100000), "fr"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Detect(tt.text), "%.60q", tt.text)
	}
}
