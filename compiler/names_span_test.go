package compiler_test

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/workspace"
)

// An unknown name is quoted and underlined whole: up to the next function
// word, with a French "de" inside it ("champ Numero de dossier").
func TestUnknownNameSpan(t *testing.T) {
	wsText, err := os.ReadFile("testdata/corpus/workspace.yaml")
	require.NoError(t, err)
	ws, _ := workspace.Load("workspace.yaml", wsText)
	tests := []struct {
		lang, line, code, span string
	}{
		{"fr", "Si le client donne sa commande, enregistre-la comme champ Numero de Commande.", "unknown-field", "Numero de Commande"},
		{"fr", "Si le client donne sa date, enregistre-la comme champ Date de livraison, puis ajoute %Devis.", "unknown-field", "Date de livraison"},
		{"fr", "Si le client donne sa date, enregistre-la comme champ Date d'arrivée.", "unknown-field", "Date d'arrivée"},
		// Near misses: one "de" joins a name, a second ends it; "du" ends it.
		{"fr", "Si le client donne sa ville, enregistre-la comme champ Villes du client.", "unknown-field", "Villes"},
		{"fr", "Si le client donne sa commande, enregistre-la comme champ Numero de Commande de ce client.", "unknown-field", "Numero de Commande"},
		{"en", "If the contact gives their order, save it as the Order Numbr field.", "unknown-field", "Order Numbr"},
		{"en", "If the contact gives a date, save it as the Date of Delivery field.", "unknown-field", "Date of Delivery"},
		{"en", "If the contact gives a date, save it as the Delivery Date field and add %Demo.", "unknown-field", "Delivery Date"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			src := "---\nlanguage: " + tt.lang + "\n---\n" + tt.line + "\n"
			res := compiler.Run(compiler.Source{Filename: "a.instr", Text: []byte(src)}, compiler.Options{Workspace: ws})
			var got []string
			for _, d := range res.Diagnostics {
				got = append(got, d.Code+" "+src[d.Range.Start.Offset:d.Range.End.Offset])
			}
			if diff := cmp.Diff([]string{tt.code + " " + tt.span}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			require.NotEmpty(t, res.Diagnostics)
			require.Contains(t, res.Diagnostics[0].Message, `"`+tt.span+`"`)
		})
	}
}
