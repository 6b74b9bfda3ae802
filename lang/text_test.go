package lang

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Clôture", "cloture"},
		{"ÉQUIPE de Planification", "equipe de planification"},
		{"l’ordre", "l'ordre"},
		{"it‘s `fine´", "it's 'fine'"},
		{"Cœur", "coeur"},
		{"straße", "strasse"},
		{"naïve café", "naive cafe"},
		{"plain ascii", "plain ascii"},
		{"bad \xff\xfe utf8", "bad   utf8"},
		{"emoji 😀 stays", "emoji 😀 stays"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Where's my order?", []string{"where", "is", "my", "order"}},
		{"John's order", []string{"john", "order"}},
		{"I don't want a refund", []string{"i", "do", "not", "want", "a", "refund"}},
		{"I can't log in, it won't load", []string{"i", "can", "not", "log", "in", "it", "will", "not", "load"}},
		{"I cannot, it doesnt", []string{"i", "can", "not", "it", "does", "not"}},
		{"I dont know", []string{"i", "dont", "know"}},
		{"Je n'ai plus de questions", []string{"je", "ne", "ai", "plus", "de", "questions"}},
		{"L’équipe qu’il m'a donnée", []string{"le", "equipe", "que", "il", "me", "a", "donnee"}},
		{"c'est d'accord jusqu'à demain", []string{"ce", "est", "de", "accord", "jusque", "a", "demain"}},
		{"aujourd'hui", []string{"aujourdhui"}},
		{"rendez-vous à 10h", []string{"rendez", "vous", "a", "10h"}},
		{"'quoted' words'", []string{"quoted", "words"}},
		{"I'm, you're, we've, they'll, he'd", []string{"i", "am", "you", "are", "we", "have", "they", "will", "he", "would"}},
		{"😀🔥 !!! ...", []string{}},
		{"", []string{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, words(tt.in)); diff != "" {
			t.Errorf("words(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestClip(t *testing.T) {
	s := "ééé" // 6 bytes
	for n := 0; n <= 7; n++ {
		got := Clip(s, n)
		if len(got) > n || !validUTF8(got) {
			t.Errorf("Clip(%q, %d) = %q", s, n, got)
		}
	}
}

func validUTF8(s string) bool {
	for _, r := range s {
		if r == '\uFFFD' {
			return false
		}
	}
	return true
}

// words returns the folded words of s, as the matcher reads a message.
func words(s string) []string {
	ws := Words(Fold(s))
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Text
	}
	return out
}
