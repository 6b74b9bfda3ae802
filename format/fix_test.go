package format

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/instrc/instrc/diag"
)

func TestFixes(t *testing.T) {
	at := func(src *diag.Source, text, code, sug string) diag.Diagnostic {
		i := strings.Index(string(src.Text), text)
		return diag.Diagnostic{Code: code, Suggestion: sug, Range: src.Range(i, i+len(text))}
	}
	tests := []struct {
		name, text string
		diags      func(*diag.Source) diag.Diagnostics
		want       string
	}{
		{"sigil kept", "- If asked, add %Pricng.\n", func(s *diag.Source) diag.Diagnostics {
			return diag.Diagnostics{at(s, "%Pricng", "unknown-tag", "Pricing")}
		}, "- If asked, add %Pricing.\n"},
		{"french quotes and accents", "- Si résolu, ferme avec la note « Problème Resolu ».\n", func(s *diag.Source) diag.Diagnostics {
			return diag.Diagnostics{at(s, "« Problème Resolu »", "unknown-closing-note", "Problème Résolu")}
		}, "- Si résolu, ferme avec la note « Problème Résolu ».\n"},
		{"missing-name is no replacement", "- If asked, save the Budjt.\n", func(s *diag.Source) diag.Diagnostics {
			return diag.Diagnostics{at(s, "save the Budjt", diag.CodeMissingName, "Budget")}
		}, "- If asked, save the Budjt.\n"},
		{"overlapping fixes are both left", "- If asked, add %Pricng.\n", func(s *diag.Source) diag.Diagnostics {
			return diag.Diagnostics{at(s, "%Pricng", "unknown-tag", "Pricing"), at(s, "Pricng", "unknown-field", "Price")}
		}, "- If asked, add %Pricng.\n"},
		{"two fixes on a line", "- If asked, add %Pricng and %Refnd.\n", func(s *diag.Source) diag.Diagnostics {
			return diag.Diagnostics{at(s, "%Refnd", "unknown-tag", "Refund"), at(s, "%Pricng", "unknown-tag", "Pricing")}
		}, "- If asked, add %Pricing and %Refund.\n"},
		{"no suggestion", "- If asked, add %Zzz.\n", func(s *diag.Source) diag.Diagnostics {
			return diag.Diagnostics{at(s, "%Zzz", "unknown-tag", "")}
		}, "- If asked, add %Zzz.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := diag.NewSource("a.instr", []byte(tt.text))
			got := string(Apply(src.Text, Fixes("a.instr", src.Text, tt.diags(src))))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// Fixes from another file's diagnostics do not apply.
			if got := Fixes("b.instr", src.Text, tt.diags(src)); len(got) != 0 {
				t.Errorf("fixes for another file: %v", got)
			}
		})
	}
}
