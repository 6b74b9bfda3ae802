package stdlib

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReplyClaims(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Your order has been refunded.", []string{ClaimRefund}},
		{"I've cancelled your subscription and closed this conversation.", []string{ClaimCancel, ClaimClose}},
		{"I've passed you to our Sales Team.", []string{ClaimAssign}},
		{"Thanks, I've saved your phone number.", []string{ClaimSave}},
		{"I've sent you the invoice.", []string{ClaimSend}},
		{"Your refund has not been processed and nothing was refunded.", nil},
		{"I could not assign you to a teammate; someone will follow up.", []string{}},
		{"Votre commande a été remboursée.", []string{ClaimRefund}},
		{"J'ai annulé votre abonnement et fermé la conversation.", []string{ClaimCancel, ClaimClose}},
		{"Je vous ai transféré à l'équipe commerciale.", []string{ClaimAssign}},
		{"Votre numéro est enregistré.", []string{ClaimSave}},
		{"La facture vous a été envoyée.", []string{ClaimSend}},
		{"Je n'ai pas pu vous rembourser ; votre commande n'est pas remboursée.", nil},
		{"How can I help you today?", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var got []string
			for _, c := range ReplyClaims(tt.text) {
				got = append(got, c.Kind)
			}
			if len(tt.want) == 0 {
				tt.want = nil
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Error(d)
			}
		})
	}
}
