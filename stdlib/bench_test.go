package stdlib

import "testing"

var benchMessages = []struct{ lang, text string }{
	{"en", "Hi, where is my order? I ordered last week and I still haven't received it."},
	{"en", "I don't want a refund, I'd like to exchange it for a different size please"},
	{"fr", "Bonjour, je voudrais résilier mon abonnement, c'est inadmissible !"},
	{"en", "thanks, that's all"},
}

func BenchmarkMessageIntents(b *testing.B) {
	MessageIntents("en", "warm up")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m := benchMessages[i%len(benchMessages)]
		MessageIntents(m.lang, m.text)
	}
}

func BenchmarkConditionIntents(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ConditionIntents("en", "the customer mentions pricing or a demo")
	}
}

func BenchmarkExtractDate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Extract(TypeDate, nil, "could we meet next friday or on March 3?", benchNow)
	}
}

func BenchmarkStockReply(b *testing.B) {
	b.ReportAllocs()
	res := []ActionResult{{Action: assignTeam("Sales Team"), OK: true}}
	for b.Loop() {
		StockReply("en", res, "")
	}
}
