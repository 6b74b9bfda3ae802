package compiler_test

import (
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/workspace"
)

// A condition that is the new-conversation event, with or without the word
// "new", is matched as the contact's first message is: as a greeting.
func TestConversationOpenedIsGreeting(t *testing.T) {
	wsText, err := os.ReadFile("testdata/corpus/workspace.yaml")
	require.NoError(t, err)
	ws, _ := workspace.Load("workspace.yaml", wsText)
	tests := []struct {
		lang, line string
		want       bool
	}{
		{"en", "When a conversation is opened, assign to @Sales Team.", true},
		{"en", "As soon as a chat starts, assign to @Sales Team.", true},
		{"en", "When a new conversation comes in, assign to @Sales Team.", true},
		{"en", "When the contact writes in for the first time, add %Interested.", true},
		{"en", "When the contact opens the payment link, assign to @Sales Team.", false},
		{"en", "When the contact asks for a refund, add %Refund.", false},
		{"fr", "Dès qu'une conversation est ouverte, assigne à @Équipe Commerciale.", true},
		{"fr", "Quand une nouvelle discussion commence, assigne à @Équipe Commerciale.", true},
		{"fr", "Lorsque le client nous contacte pour la première fois, ajoute %Devis.", true},
		{"fr", "Quand le client ouvre le lien de paiement, assigne à @Équipe Commerciale.", false},
	}
	var got, want []string
	for _, tt := range tests {
		src := "---\nlanguage: " + tt.lang + "\n---\n" + tt.line + "\n"
		plan, _ := compiler.Compile(compiler.Source{Filename: "t.instr", Text: []byte(src)}, compiler.Options{Workspace: ws})
		require.Len(t, plan.Scenarios, 1, tt.line)
		is := slices.Contains(plan.Scenarios[0].Condition.Intents, "greeting")
		if is {
			got = append(got, tt.line)
		}
		if tt.want {
			want = append(want, tt.line)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("conditions read as a new conversation (-want +got):\n%s", diff)
	}
}
