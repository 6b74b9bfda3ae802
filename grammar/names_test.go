package grammar

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// firstName parses one scenario and returns its first step's kind and the
// words of that step's first name or mention.
func firstName(t *testing.T, lang, line string) (StepKind, []Token) {
	t.Helper()
	f := Parse("t.instr", []byte("---\nlanguage: "+lang+"\n---\n"+line+"\n"))
	if len(f.Scenarios) != 1 || len(f.Scenarios[0].Steps) == 0 {
		t.Fatalf("%q: want one scenario with a step", line)
	}
	st := f.Scenarios[0].Steps[0]
	names := append(append([]*Name{}, st.Names...), st.Mentions...)
	if len(names) == 0 {
		return st.Kind, nil
	}
	return st.Kind, names[0].Words
}

// A workspace name of k words may end a name only at a boundary.
func TestEndsName(t *testing.T) {
	tests := []struct {
		lang, line string
		k          int
		want       bool
	}{
		{"en", "If the contact asks, assign to @Billing Team Europe.", 2, false},
		{"en", "If the contact asks, assign to @Billing Team by round robin.", 2, true},
		{"en", "If the contact asks, assign to @Billing Team now.", 2, true},
		{"en", "If the contact asks, assign to @Billing Team.", 2, true},
		{"en", "If the contact asks, assign to @Billing team by round robin.", 1, true},
		{"en", "If the contact asks, assign to @Billing Team Europe team.", 2, false},
		{"en", "If the contact asks, add %Refund Requested.", 1, false},
		{"en", "If the contact asks, add %Refund too.", 1, true},
		{"en", "If the contact asks, add %Refund Today.", 1, false},
		{"en", "If the contact asks, add %Refund tomorrow.", 1, true},
		{"en", "If the contact is upset, leave an internal note for @carol explaining why.", 1, true},
		{"en", "If the contact pays, update the lifecycle stage to Active Custmer.", 1, false},
		{"en", "If the contact pays, move them to the Active stage.", 1, true},
		{"fr", "Si le patient ne vient plus, passe-le à l'étape Patient Inactf.", 1, false},
		{"fr", "Si le patient ne vient plus, passe-le à l'étape Patient maintenant.", 1, true},
		{"fr", "Si le client demande un devis, assigne à @Équipe Commerciale par round robin.", 2, true},
		{"fr", "Si le client demande un devis, assigne à @Équipe Commerciale Europe.", 2, false},
		{"fr", "Si le client est mécontent, laisse une note interne pour @Chloé Lefèvre expliquant pourquoi.", 2, true},
	}
	for _, tt := range tests {
		_, words := firstName(t, tt.lang, tt.line)
		if len(words) < tt.k {
			t.Errorf("%q: name has %d words, want at least %d", tt.line, len(words), tt.k)
			continue
		}
		if got := EndsName(words, tt.k); got != tt.want {
			t.Errorf("%q: EndsName(%d) = %v, want %v", tt.line, tt.k, got, tt.want)
		}
	}
}

// The sigil decides what a step acts on, whatever the verb.
func TestSigilDecidesKind(t *testing.T) {
	tests := []struct{ lang, line, want string }{
		{"en", "If the contact is a big account, mark them as %VIP.", "add-tag"},
		{"en", "If the contact wants money back, file the conversation under %Refund.", "add-tag"},
		{"en", "If the contact is angry, label it %Complaint.", "add-tag"},
		{"en", "If the contact wants a refund, mark the conversation with !refund_processing.", "run"},
		{"en", "If the contact wants to buy, move them to @Sales Team.", "assign"},
		{"en", "If the contact wants to buy, mark them as Qualified.", "lifecycle"},
		{"en", "If the contact wants to buy, reply with %Pricing details.", "reply"},
		{"fr", "Si le client est un grand compte, marque-le %VIP.", "add-tag"},
		{"fr", "Si le client demande un remboursement, classe la conversation sous %Remboursement.", "add-tag"},
		{"fr", "Si le client veut acheter, passe-le à @Équipe Commerciale.", "assign"},
		{"fr", "Si le client revient, marque-le Client Fidèle.", "lifecycle"},
	}
	var got, want []string
	for _, tt := range tests {
		k, _ := firstName(t, tt.lang, tt.line)
		got = append(got, tt.line+" => "+k.String())
		want = append(want, tt.line+" => "+tt.want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("step kinds (-want +got):\n%s", diff)
	}
}
