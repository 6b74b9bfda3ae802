package stdlib

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIntentData(t *testing.T) {
	all := Intents()
	require.GreaterOrEqual(t, len(all), 20)
	names := map[string]bool{}
	for _, in := range all {
		assert.False(t, names[in.Name], "intent %s listed twice", in.Name)
		names[in.Name] = true
		assert.NotEmpty(t, in.Description, in.Name)
		for _, lang := range Languages {
			assert.GreaterOrEqual(t, len(in.Message[lang]), 10, "%s: %s message phrases", in.Name, lang)
			assert.GreaterOrEqual(t, len(in.Condition[lang]), 5, "%s: %s condition phrases", in.Name, lang)
			for _, p := range append(slices.Clone(in.Message[lang]), in.Condition[lang]...) {
				assert.NotEmpty(t, words(p), "%s: phrase %q has no words", in.Name, p)
				assert.False(t, strings.HasPrefix(p, "="), "%s: %q shows its marker", in.Name, p)
			}
		}
	}
	for _, want := range []string{"no_more_questions", "asks_for_human", "pricing", "demo", "order_status", "refund",
		"cancel", "angry", "greeting", "thanks", "schedule", "billing", "shipping", "return", "account_access",
		"technical_issue", "provides_email", "provides_phone", "provides_budget", "spam", "wrong_number"} {
		assert.True(t, names[want], "missing intent %s", want)
	}
	// The phrase tables cover the same intents in every language.
	for _, lang := range Languages {
		assert.ElementsMatch(t, slices.Collect(maps.Keys(names)), slices.Collect(maps.Keys(phraseData[lang])), lang)
	}
}

func TestIntentsIsACopy(t *testing.T) {
	a := Intents()
	a[0].Message["en"][0] = "changed"
	a[0].Name = "changed"
	b := Intents()
	assert.NotEqual(t, "changed", b[0].Name)
	assert.NotEqual(t, "changed", b[0].Message["en"][0])
	in, ok := IntentByName("refund")
	require.True(t, ok)
	assert.Contains(t, in.Message["fr"], "remboursement")
	_, ok = IntentByName("nope")
	assert.False(t, ok)
}

// Every message phrase, sent alone, is recognised as its intent, and scores
// it highest (ties allowed).
func TestMessagePhrasesRecogniseThemselves(t *testing.T) {
	for _, in := range Intents() {
		if strings.HasPrefix(in.Name, "provides_") {
			continue // need a value as well; tested below
		}
		for _, lang := range Languages {
			for _, p := range in.Message[lang] {
				got := MessageIntents(lang, p)
				assert.GreaterOrEqual(t, got[in.Name], 0.9, "%s %q → %v", lang, p, got)
				for other, s := range got {
					assert.LessOrEqual(t, s, got[in.Name], "%s %q: %s outscores %s: %v", lang, p, other, in.Name, got)
				}
			}
		}
	}
}

// Every condition phrase, in a condition, names its intent.
func TestConditionPhrasesRecogniseThemselves(t *testing.T) {
	prefix := map[string]string{"en": "if the contact ", "fr": "si le contact "}
	for _, in := range Intents() {
		for _, lang := range Languages {
			for _, p := range in.Condition[lang] {
				got := ConditionIntents(lang, prefix[lang]+p)
				assert.Contains(t, got, in.Name, "%s %q", lang, p)
			}
		}
	}
}

func TestConditionIntents(t *testing.T) {
	tests := []struct {
		lang, text string
		want       []string
	}{
		{"en", "the contact has no more questions", []string{"no_more_questions"}},
		{"en", "If the contact doesn't have any more questions", []string{"no_more_questions"}},
		{"en", "the customer mentions pricing or a demo", []string{"pricing", "demo"}},
		{"en", "the customer asks for a demo or about prices", []string{"demo", "pricing"}},
		{"en", "the contact asked about their schedule", []string{"schedule"}},
		{"en", "the contact asks for a human", []string{"asks_for_human"}},
		{"en", "the customer asks us to stop texting them", []string{"unsubscribe"}},
		{"en", "the message is an advert", []string{"spam"}},
		{"en", "the customer asks about a personal loan", nil},
		{"en", "the customer asks for a person", []string{"asks_for_human"}},
		{"fr", "le client demande qu'on arrête de lui écrire", []string{"unsubscribe"}},
		{"fr", "le client ne veut plus de messages", []string{"unsubscribe"}},
		{"fr", "le message est une publicité", []string{"spam"}},
		{"fr", "le client donne son numéro de sinistre", nil},
		{"fr", "l'assuré donne son numéro de contrat", nil},
		{"fr", "le client donne son numéro de portable", []string{"provides_phone"}},
		{"fr", "le client donne son numéro", []string{"provides_phone"}},
		{"fr", "le client veut arrêter son abonnement", []string{"cancel"}},
		{"en", "the customer wants to talk to a real person", []string{"asks_for_human"}},
		{"en", "the customer asks where their order is", []string{"order_status"}},
		{"en", "the customer wants to cancel their order", []string{"cancel"}},
		{"en", "the customer asked for a refund", []string{"refund"}},
		{"en", "the customer requests refunds", []string{"refund"}},
		{"en", "the customer is angry or frustrated", []string{"angry"}},
		{"en", "the customer is not angry", nil},
		{"en", "the contact greets us", []string{"greeting"}},
		{"en", "the contact says thank you", []string{"thanks"}},
		{"en", "the contact provided their email", []string{"provides_email"}},
		{"en", "the contact gives their phone number", []string{"provides_phone"}},
		{"en", "the contact mentions their budget", []string{"provides_budget"}},
		{"en", "the message is spam", []string{"spam"}},
		{"en", "they say it is the wrong number", []string{"wrong_number"}},
		{"en", "the customer forgot their password", []string{"account_access"}},
		{"en", "the app is not working", []string{"technical_issue"}},
		{"en", "the customer has a question about an invoice", []string{"billing"}},
		{"en", "the customer asks about shipping costs", []string{"shipping"}},
		{"en", "the customer wants to return an item", []string{"return"}},
		{"en", "the contact says where is my order", []string{"order_status"}},
		{"en", "within business hours", nil},
		{"en", "the Budget field is empty", nil},
		{"en", "the contact asks about opening hours", []string{"opening_hours"}},
		{"en", "", nil},
		{"fr", "le contact n'a plus de questions", []string{"no_more_questions"}},
		{"fr", "Si le contact a fourni son budget", []string{"provides_budget"}},
		{"fr", "le client veut résilier son abonnement", []string{"cancel"}},
		{"fr", "le client veut annuler sa commande", []string{"cancel"}},
		{"fr", "le client demande un remboursement", []string{"refund"}},
		{"fr", "le client demande où est sa commande", []string{"order_status"}},
		{"fr", "le contact veut parler à quelqu'un", []string{"asks_for_human"}},
		{"fr", "le client parle des tarifs ou d'une démo", []string{"pricing", "demo"}},
		{"fr", "le client est en colère", []string{"angry"}},
		{"fr", "le client n'est pas en colère", nil},
		{"fr", "le contact veut prendre rendez-vous", []string{"schedule"}},
		{"fr", "le client a une question sur sa facture", []string{"billing"}},
		{"fr", "le contact a oublié son mot de passe", []string{"account_access"}},
		{"fr", "l’application ne marche pas", []string{"technical_issue"}},
		{"fr", "LE CONTACT N’A PLUS DE QUESTIONS", []string{"no_more_questions"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, ConditionIntents(tt.lang, tt.text)); diff != "" {
			t.Errorf("ConditionIntents(%q, %q) (-want +got):\n%s", tt.lang, tt.text, diff)
		}
	}
}

func TestMessageIntents(t *testing.T) {
	tests := []struct {
		lang, text string
		top        string   // the best-scoring intent ("" for none at all)
		also       []string // other intents expected above 0.5
		not        []string // intents that must not score above 0.5
	}{
		{"en", "Where is my order??", "order_status", nil, []string{"cancel", "purchase"}},
		{"en", "wheres my order", "order_status", nil, nil},
		{"en", "I want a refund", "refund", nil, []string{"return"}},
		{"en", "I don't want a refund, I want an exchange", "return", nil, []string{"refund"}},
		{"en", "I dont want a refund", "", nil, []string{"refund"}},
		{"en", "I haven't received my refund yet", "refund", nil, nil},
		{"en", "I'm cancelling my subscriptions", "cancel", nil, nil},
		{"en", "I don't want to cancel, just pause", "", nil, []string{"cancel"}},
		{"en", "that's all, thanks!", "no_more_questions", []string{"thanks"}, nil},
		{"en", "no more questions", "no_more_questions", nil, nil},
		{"en", "can I talk to a real person please", "asks_for_human", nil, nil},
		{"en", "I don't need a human, thanks", "thanks", nil, []string{"asks_for_human"}},
		{"en", "how much does the pro plan cost?", "pricing", nil, nil},
		{"en", "could I book a demo next week", "demo", nil, nil},
		{"en", "This is unacceptable, I'm furious", "angry", nil, nil},
		{"en", "I'm not angry, just curious", "", nil, []string{"angry"}},
		{"en", "hi", "greeting", nil, nil},
		{"en", "Hello there, where's my parcel?", "order_status", []string{"greeting"}, nil},
		{"en", "I'd like to make an appointment", "schedule", nil, nil},
		{"en", "I was charged twice on my invoice", "billing", nil, nil},
		{"en", "do you ship to Canada?", "shipping", nil, nil},
		{"en", "I forgot my password and can't log in", "account_access", nil, nil},
		{"en", "the app keeps crashing", "technical_issue", nil, nil},
		{"en", "it stopped working", "technical_issue", nil, []string{"unsubscribe"}},
		{"en", "STOP", "unsubscribe", nil, nil},
		{"en", "you have the wrong number", "wrong_number", nil, nil},
		{"en", "Congratulations you won! Click here for free money", "spam", nil, nil},
		{"en", "my email is Bob@Example.com", "provides_email", nil, nil},
		{"en", "bob@example.com", "provides_email", nil, nil},
		{"en", "my email is", "", nil, []string{"provides_email"}},
		{"en", "call me at +1 650 253 0000", "provides_phone", nil, nil},
		{"en", "our budget is around $5k", "provides_budget", nil, nil},
		{"en", "budget: 5000€", "provides_budget", nil, nil},
		{"en", "order 10234", "", nil, []string{"provides_budget", "provides_phone"}},
		{"en", "The weather is lovely today", "", nil, nil},
		{"en", "", "", nil, nil},
		{"fr", "Bonjour, où est ma commande ?", "order_status", []string{"greeting"}, nil},
		{"fr", "je ne veux pas de remboursement", "", nil, []string{"refund"}},
		{"fr", "je veux être remboursé", "refund", nil, nil},
		{"fr", "Je n’ai plus de questions, merci", "no_more_questions", []string{"thanks"}, nil},
		{"fr", "je voudrais parler à quelqu'un", "asks_for_human", nil, nil},
		{"fr", "je n'ai pas besoin d'un humain", "", nil, []string{"asks_for_human"}},
		{"fr", "je veux résilier mon abonnement", "cancel", nil, []string{"pricing"}},
		{"fr", "c'est inadmissible, je suis furieux", "angry", nil, nil},
		{"fr", "ça marche pas", "technical_issue", nil, nil},
		{"fr", "je voudrais prendre rdv", "schedule", nil, nil},
		{"fr", "combien ça coûte ?", "pricing", nil, nil},
		{"fr", "quels sont les frais de livraison", "shipping", nil, nil},
		{"fr", "mon numéro est le 06 12 34 56 78", "provides_phone", nil, nil},
		{"fr", "mon budget est de 5 000 €", "provides_budget", nil, nil},
		{"fr", "merci beaucoup", "thanks", nil, nil},
		{"fr", "Il fait beau aujourd'hui", "", nil, nil},
		// The other language is tried when the message reads as it.
		{"en", "bonjour je veux résilier mon abonnement", "cancel", []string{"greeting"}, nil},
		{"fr", "where is my order", "order_status", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.text, func(t *testing.T) {
			got := MessageIntents(tt.lang, tt.text)
			for name, s := range got {
				assert.True(t, s > 0 && s <= 1, "%s score %v out of (0,1]", name, s)
			}
			if tt.top == "" {
				for name, s := range got {
					if !slices.Contains(tt.also, name) {
						assert.LessOrEqual(t, s, 0.5, "%s should not score above 0.5: %v", name, got)
					}
				}
			} else {
				assert.Equal(t, tt.top, best(got), "scores %v", got)
				assert.Greater(t, got[tt.top], 0.8, "scores %v", got)
			}
			for _, name := range tt.also {
				assert.Greater(t, got[name], 0.5, "%s: %v", name, got)
			}
			for _, name := range tt.not {
				assert.LessOrEqual(t, got[name], 0.5, "%s: %v", name, got)
			}
		})
	}
}

// best returns the highest-scoring intent; ties go to the first name.
func best(scores map[string]float64) string {
	names := slices.Sorted(maps.Keys(scores))
	sort.SliceStable(names, func(i, j int) bool { return scores[names[i]] > scores[names[j]] })
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// A phrase scores more when it covers more of the message.
func TestMessageIntentsCoverage(t *testing.T) {
	short := MessageIntents("en", "where is my order")["order_status"]
	long := MessageIntents("en", "hello, I ordered a lamp two weeks ago, where is my order")["order_status"]
	assert.Greater(t, short, long)
	assert.Greater(t, long, 0.9)
	// With other word endings, less than word for word.
	exact := MessageIntents("en", "cancel my subscription")["cancel"]
	stemmed := MessageIntents("en", "cancelling my subscriptions")["cancel"]
	assert.Greater(t, exact, stemmed)
	// Content words apart score less than together.
	// An amount with a currency hints at a budget; with the word, it is one.
	assert.InDelta(t, 0.7, MessageIntents("en", "5000€")["provides_budget"], 0.001)
	assert.InDelta(t, 0.95, MessageIntents("en", "budget 5000€")["provides_budget"], 0.001)
	overlap := MessageIntents("en", "the subscription, I would cancel it")["cancel"]
	assert.Greater(t, stemmed, overlap)
	assert.Greater(t, overlap, 0.0)
}

func TestMessageIntentsDeterministic(t *testing.T) {
	for _, m := range benchMessages {
		first := MessageIntents(m.lang, m.text)
		for range 20 {
			if diff := cmp.Diff(first, MessageIntents(m.lang, m.text)); diff != "" {
				t.Fatalf("MessageIntents(%q) changed:\n%s", m.text, diff)
			}
		}
	}
}

func TestMessageIntentsConcurrent(t *testing.T) {
	done := make(chan map[string]float64)
	for i := range 8 {
		go func() {
			m := benchMessages[i%len(benchMessages)]
			var r map[string]float64
			for range 50 {
				r = MessageIntents(m.lang, m.text)
			}
			done <- r
		}()
	}
	for range 8 {
		assert.NotEmpty(t, <-done)
	}
}

func ExampleMessageIntents() {
	scores := MessageIntents("en", "I don't want a refund, I want to exchange it")
	fmt.Println(best(scores), scores["refund"])
	// Output: return 0
}

// A fault word ("error", "erreur") is a technical issue only when nothing
// else says what the fault is about.
func TestFaultWordsInAnotherSense(t *testing.T) {
	conds := []struct {
		lang, text string
		want       []string
	}{
		{"fr", "le client signale une erreur de prélèvement de caution", []string{"billing"}},
		{"fr", "si le client conteste un prélèvement de caution fait par erreur", []string{"billing"}},
		{"fr", "le client signale une erreur sur sa facture", []string{"billing"}},
		{"fr", "le client signale une erreur", []string{"technical_issue"}},
		{"fr", "le client a un problème technique avec sa facture", []string{"technical_issue", "billing"}},
		{"en", "the customer reports a billing error", []string{"billing"}},
		{"en", "the contact disputes a charge made in error", []string{"billing"}},
		{"en", "the contact says a payment was taken by mistake", []string{"billing"}},
		{"en", "the contact reports a problem with their invoice", []string{"billing"}},
		{"en", "the contact reports an error", []string{"technical_issue"}},
		{"en", "the app is not working", []string{"technical_issue"}},
	}
	for _, tt := range conds {
		if diff := cmp.Diff(tt.want, ConditionIntents(tt.lang, tt.text)); diff != "" {
			t.Errorf("ConditionIntents(%q, %q) (-want +got):\n%s", tt.lang, tt.text, diff)
		}
	}
	// Only billing and technical_issue are looked at: "by mistake" is also
	// a wrong_number phrase.
	msgs := []struct {
		lang, text string
		want       []string // which of billing and technical_issue are found
	}{
		{"fr", "j'ai été prélevé par erreur", []string{"billing"}},
		{"fr", "il y a une erreur sur ma facture", []string{"billing"}},
		{"fr", "je suis en panne sur l'A7, la voiture démarre plus !!", []string{"technical_issue"}},
		{"fr", "j'ai un message d'erreur", []string{"technical_issue"}},
		{"en", "I was charged by mistake", []string{"billing"}},
		{"en", "there is an error on my invoice", []string{"billing"}},
		{"en", "I keep getting an error", []string{"technical_issue"}},
	}
	for _, tt := range msgs {
		found := MessageIntents(tt.lang, tt.text)
		var got []string
		for _, name := range []string{"billing", "technical_issue"} {
			if found[name] > 0 {
				got = append(got, name)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("MessageIntents(%q, %q) (-want +got):\n%s", tt.lang, tt.text, diff)
		}
	}
}

// TestPhoneMentionedIsNotGiven checks that a message that only mentions a
// phone, without a number, gives no phone number, and one with a number
// does, in English and French.
func TestPhoneMentionedIsNotGiven(t *testing.T) {
	for _, tc := range []struct {
		lang, text string
		gives      bool
	}{
		{"en", "honestly ur service is rubbish, waited 40 mins on the phone", false},
		{"en", "my phone keeps rebooting", false},
		{"en", "phone: +44 20 7946 0958", true},
		{"fr", "j'ai attendu 40 minutes au téléphone", false},
		{"fr", "mon tel c'est le 06 12 34 56 78", true},
	} {
		got := MessageIntents(tc.lang, tc.text)["provides_phone"] >= 0.9
		if got != tc.gives {
			t.Errorf("%q: gives a phone number %v, want %v (%v)", tc.text, got, tc.gives, MessageIntents(tc.lang, tc.text))
		}
	}
}
