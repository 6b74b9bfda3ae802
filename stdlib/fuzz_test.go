package stdlib

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var hostileInputs = []string{
	"", "\xff\xfe\xfd", "\x00", "😀🔥💯", "I don't 😡 want a refund", strings.Repeat("refund ", 20000),
	strings.Repeat("é", 30000), strings.Repeat("'", 10000), strings.Repeat("n'", 10000), strings.Repeat("a", 200000),
	"l'''''qu'''", "don't'n't", "\u202e\u200b\ufeff", strings.Repeat("where is my order ", 3000),
}

func FuzzMessageIntents(f *testing.F) {
	for _, m := range benchMessages {
		f.Add(m.lang, m.text)
	}
	for _, s := range hostileInputs {
		if len(s) < 1000 {
			f.Add("fr", s)
		}
	}
	f.Fuzz(func(t *testing.T, lang, text string) {
		got := MessageIntents(lang, text)
		for name, s := range got {
			if !(s > 0 && s <= 1) {
				t.Fatalf("MessageIntents(%q, %q)[%s] = %v, outside (0,1]", lang, text, name, s)
			}
			if _, ok := IntentByName(name); !ok {
				t.Fatalf("unknown intent %q", name)
			}
		}
		for _, name := range ConditionIntents(lang, text) {
			if _, ok := IntentByName(name); !ok {
				t.Fatalf("unknown intent %q", name)
			}
		}
		if l := DetectLanguage(text); l != "en" && l != "fr" {
			t.Fatalf("DetectLanguage(%q) = %q", text, l)
		}
		for _, k := range Keywords(lang, text) {
			if k == "" || !utf8.ValidString(k) {
				t.Fatalf("Keywords(%q) has %q", text, k)
			}
		}
	})
}

func FuzzExtract(f *testing.F) {
	for _, c := range extractCases {
		f.Add(c.typ, c.text, false)
	}
	f.Add(TypeDate, "12/03/2025", true)
	f.Add(TypePhone, "06 12 34 56 78", true)
	now := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, typ, text string, french bool) {
		opt := ExtractOptions{}
		if french {
			opt = OptionsFor("fr")
		}
		v, ok := ExtractWith(typ, plans, text, now, opt)
		if !ok {
			if v != "" {
				t.Fatalf("not found but value %q", v)
			}
			return
		}
		if !utf8.ValidString(v) {
			t.Fatalf("ExtractWith(%s, %q) = invalid UTF-8 %q", typ, text, v)
		}
		// What is extracted validates as it is, and validating is stable.
		got, err := ValidateWith(typ, plans, v, opt)
		if err != nil {
			t.Fatalf("ExtractWith(%s, %q) = %q, which does not validate: %v", typ, text, v, err)
		}
		if got != v {
			t.Fatalf("ExtractWith(%s, %q) = %q, not canonical (%q)", typ, text, v, got)
		}
	})
}

func TestIntentsHostile(t *testing.T) {
	for _, in := range hostileInputs {
		for _, lang := range []string{"en", "fr", "", "xx"} {
			for name, s := range MessageIntents(lang, in) {
				if !(s > 0 && s <= 1) {
					t.Errorf("%s score %v for %.40q", name, s, in)
				}
			}
			ConditionIntents(lang, in)
			Keywords(lang, in)
			DetectLanguage(in)
			StockReply(lang, nil, in)
		}
	}
	// A refund asked after a 16 KiB preamble is past what the matcher reads.
	long := strings.Repeat("blah ", 4000) + "I want a refund"
	if s := MessageIntents("en", long)["refund"]; s != 0 {
		t.Errorf("refund after the limit scored %v", s)
	}
	if s := MessageIntents("en", "I want a refund "+strings.Repeat("blah ", 4000))["refund"]; s < 0.9 {
		t.Errorf("refund before the limit scored %v", s)
	}
}
