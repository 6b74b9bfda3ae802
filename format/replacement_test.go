package format

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/instrc/instrc/diag"
)

func TestReplacementKeepsSigilsAndQuotes(t *testing.T) {
	text := []byte(`add %Hotlead, note "Not a fit", « Spamm », @Sales Developement, $contact.fristname`)
	at := func(sub, suggestion string) diag.Diagnostic {
		i := indexOf(text, sub)
		return diag.Diagnostic{Suggestion: suggestion, Range: diag.Range{Start: diag.Pos{Offset: i}, End: diag.Pos{Offset: i + len(sub)}}}
	}
	assert.Equal(t, "%Hot Lead", Replacement(text, at("%Hotlead", "Hot Lead")))
	assert.Equal(t, `"Not a Fit"`, Replacement(text, at(`"Not a fit"`, "Not a Fit")))
	assert.Equal(t, "« Spam »", Replacement(text, at("« Spamm »", "Spam")))
	assert.Equal(t, "@Sales Development", Replacement(text, at("@Sales Developement", "Sales Development")))
	assert.Equal(t, "firstname", Replacement(text, at("fristname", "firstname")))
	assert.Equal(t, "", Replacement(text, at("fristname", "")))
	assert.Equal(t, "x", Replacement(text, diag.Diagnostic{Suggestion: "x", Range: diag.Range{Start: diag.Pos{Offset: 5}, End: diag.Pos{Offset: 500}}}), "a range outside the text")
}

func indexOf(b []byte, sub string) int {
	for i := 0; i+len(sub) <= len(b); i++ {
		if string(b[i:i+len(sub)]) == sub {
			return i
		}
	}
	return -1
}
