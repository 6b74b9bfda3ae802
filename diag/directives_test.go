package diag

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestApplyDirectives(t *testing.T) {
	text := "<!-- instrc-disable-next-line unknown-tag -->\n- add %Pricng.\n- add %Refnd.\n<!-- instrc-disable unknown-field,vague-instruction -->\n- save Budjet.\n\n- save Phon.\n"
	s := NewSource("a.instr", []byte(text))
	at := func(code string, line int) Diagnostic {
		off := s.Offset(line, 3)
		return Diagnostic{Severity: Error, Code: code, Range: s.Range(off, off+1)}
	}
	other := at("unknown-tag", 2)
	other.Range.Filename = "b.instr"
	ds := Diagnostics{at("unknown-tag", 2), at("unknown-tag", 3), at("unknown-field", 5), at("unknown-field", 7), other}
	got := ApplyDirectives(s, ds, "en")
	var summary []string
	for _, d := range got {
		summary = append(summary, d.Range.Filename+":"+d.Code+":"+string(rune('0'+d.Range.Start.Line)))
	}
	want := []string{
		"a.instr:unknown-tag:3",    // the next line only
		"a.instr:unused-disable:4", // vague-instruction silenced nothing
		"b.instr:unknown-tag:2",    // another file's diagnostics stay
	}
	if d := cmp.Diff(want, summary); d != "" {
		t.Error(d)
	}
	if got[1].Severity != Warning || got[1].Message != "no vague-instruction diagnostic to silence here: remove the code from this instrc-disable comment" {
		t.Errorf("unused directive: %+v", got[1])
	}
	// A file without directives is left as it is.
	plain := NewSource("c.instr", []byte("- add %Pricng.\n"))
	if d := cmp.Diff(Diagnostics{at("unknown-tag", 1)}, ApplyDirectives(plain, Diagnostics{at("unknown-tag", 1)}, "en")); d != "" {
		t.Error(d)
	}
}
