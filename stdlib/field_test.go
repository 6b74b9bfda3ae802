package stdlib

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestExtractField checks that a field's value is found inside a sentence,
// by what the field's name and instructions say it looks like, in English
// and French, and that a message that only mentions the field gives none.
func TestExtractField(t *testing.T) {
	en, fr := OptionsFor("en"), OptionsFor("fr")
	order := Field{Name: "Order Number", Type: TypeText}
	commande := Field{Name: "Numéro de Commande", Type: TypeText}
	sizes := Field{Name: "Team Size", Type: TypeList, Options: []string{"1-10", "11-50", "51-200", "200+"}}
	income := Field{Name: "Monthly Income", Type: TypeList, Options: []string{"Under 1000", "1000-2500", "2500-5000", "Over 5000"}}
	valeur := Field{Name: "Valeur du Véhicule", Type: TypeList, Options: []string{"Moins de 10000", "10000-25000", "25000-50000", "Plus de 50000"}}
	plans := Field{Name: "Plan", Type: TypeList, Options: []string{"Basic Plan", "Pro Plan", "Enterprise Plan"}}
	type out struct {
		V  string
		OK bool
	}
	tests := []struct {
		name string
		f    Field
		opt  ExtractOptions
		in   string
		want out
	}{
		// Identifiers, by the field's name.
		{"order in a refund request", order, en, "I want a refund for order MD-1234", out{"MD-1234", true}},
		{"order in a question", Field{Name: "order_number"}, en, "where is my order 100871?", out{"100871", true}},
		{"order with #", order, en, "hi, order #55120 never came, it was $45", out{"55120", true}},
		{"order: the amount is not the number", order, en, "I paid $45.99 for it", out{"", false}},
		{"order only mentioned", order, en, "where is my order?", out{"", false}},
		{"order: a count is not a number", order, en, "my order of 3 items is late", out{"", false}},
		{"order: a date is not a number", order, en, "I ordered on 12/03/2025", out{"", false}},
		{"NHS number in a sentence", Field{Name: "NHS Number"}, en, "Hi, my NHS number is 485 777 3456 thanks", out{"485 777 3456", true}},
		{"invoice among numbers", Field{Name: "Invoice Number"}, en, "invoice INV-2291 for 3 desks was charged twice", out{"INV-2291", true}},
		{"commande dans une phrase", commande, fr, "ma commande 1234 n'est pas arrivée", out{"1234", true}},
		{"numéro de facture", Field{Name: "Numéro de Facture"}, fr, "bonjour, la facture n° F2024-118 est fausse", out{"F2024-118", true}},
		{"commande seulement nommée", commande, fr, "où en est ma commande ?", out{"", false}},
		{"commande : un délai n'est pas un numéro", commande, fr, "ma commande a 10 jours de retard", out{"", false}},
		{"numéro de contrat près du mot", Field{Name: "Numéro de Contrat"}, fr, "j'ai 2 contrats, le contrat 884512 et un autre", out{"884512", true}},
		// Postcodes.
		{"UK postcode", Field{Name: "Postcode"}, en, "It's LS6 2AB", out{"LS6 2AB", true}},
		{"UK postcode without its space", Field{Name: "Postcode"}, en, "we're at ls62ab, any outage?", out{"LS6 2AB", true}},
		{"no postcode", Field{Name: "Postcode"}, en, "why do you need my postcode?", out{"", false}},
		{"code postal", Field{Name: "Code Postal"}, fr, "j'habite à Lyon, 69003", out{"69003", true}},
		{"pas de code postal", Field{Name: "Code Postal"}, fr, "je ne le connais pas", out{"", false}},
		// Formats from the instructions.
		{"digits only", Field{Name: "ref", Instructions: "digits only"}, en, "the reference is 00123 I think", out{"00123", true}},
		{"format AB-1234", Field{Name: "Booking", Instructions: "format AB-1234"}, en, "booking ab-9876 for friday", out{"AB-9876", true}},
		{"format refuses another shape", Field{Name: "Booking", Instructions: "format AB-1234"}, en, "booking 98765 for friday", out{"", false}},
		{"8 chiffres", Field{Name: "Adhérent", Instructions: "8 chiffres"}, fr, "mon numéro d'adhérent est 12345678, merci", out{"12345678", true}},
		{"8 chiffres refuse 6", Field{Name: "Adhérent", Instructions: "8 chiffres"}, fr, "c'est 123456", out{"", false}},
		{"prefix and count", Field{Name: "account_number", Instructions: "CL followed by 8 digits, e.g. CL40218833"}, en, "my account is cl40218833", out{"CL40218833", true}},
		{"préfixe et chiffres", Field{Name: "numero_commande", Instructions: "MC suivi de 6 chiffres, par ex. MC104522"}, fr, "la commande MC104522 n'est pas arrivée", out{"MC104522", true}},
		{"prefix with its dash", Field{Name: "invoice_number", Instructions: "INV- followed by 5 digits, e.g. INV-20931"}, en, "it's inv-20931 I think", out{"INV-20931", true}},
		// Names.
		{"my name is", Field{Name: "Full Name"}, en, "hi, my name is Ann Smith and I need help", out{"Ann Smith", true}},
		{"I'm with an email is no name", Field{Name: "First Name"}, en, "I'm ann@acme.io", out{"", false}},
		{"I'm happy is no name", Field{Name: "First Name"}, en, "I'm Happy with it", out{"", false}},
		{"je m'appelle", Field{Name: "Prénom"}, fr, "Bonjour, je m'appelle Chloé Martin", out{"Chloé Martin", true}},
		{"je suis désolé is no name", Field{Name: "Nom"}, fr, "je suis désolé", out{"", false}},
		// Free text named in the message.
		{"my member ID is", Field{Name: "Member ID"}, en, "my member ID is NW-4821.", out{"NW-4821", true}},
		{"mutuelle c'est", Field{Name: "Mutuelle"}, fr, "Ma mutuelle c'est la MGEN", out{"MGEN", true}},
		{"mutuelle only mentioned", Field{Name: "Mutuelle"}, fr, "vous prenez quelle mutuelle ?", out{"", false}},
		{"company is", Field{Name: "Company"}, en, "my company is Acme Corp, we want a tour", out{"Acme Corp", true}},
		{"free text not given", Field{Name: "Company"}, en, "I want to book a tour", out{"", false}},
		// Lists.
		{"about 40 people", sizes, en, "we're about 40 people", out{"11-50", true}},
		{"a team of 120", sizes, en, "I'd like to book a tour for my team of 120, ann@acme.io", out{"51-200", true}},
		{"an income inside an under/over scale", income, en, "I earn about 3200 a month", out{"2500-5000", true}},
		{"under the lowest bound", income, en, "around 800 a month", out{"Under 1000", true}},
		{"over the highest bound", income, en, "I make 7,500 a month", out{"Over 5000", true}},
		{"un montant avec une espace des milliers", valeur, fr, "elle vaut environ 14 000 €", out{"10000-25000", true}},
		{"plus de", valeur, fr, "elle vaut 60000 euros", out{"Plus de 50000", true}},
		{"moins de", valeur, fr, "une petite voiture de 8 500 €", out{"Moins de 10000", true}},
		{"sans montant", valeur, fr, "je ne sais pas combien elle vaut", out{"", false}},
		{"nous sommes 8", sizes, fr, "nous sommes 8 dans l'équipe", out{"1-10", true}},
		{"no size", sizes, en, "just looking around", out{"", false}},
		{"the pro plan", plans, en, "I'm on the pro plan", out{"Pro Plan", true}},
		{"pro alone", plans, en, "we use pro", out{"Pro Plan", true}},
		{"plan alone is none", plans, en, "which plan is best?", out{"", false}},
		{"formule entreprise", plans, fr, "nous avons la formule enterprise", out{"Enterprise Plan", true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := ExtractField(tt.f, tt.in, benchNow, tt.opt)
			if d := cmp.Diff(tt.want, out{v, ok}); d != "" {
				t.Errorf("ExtractField(%q, %q) (-want +got):\n%s", tt.f.Name, tt.in, d)
			}
			if ok {
				if _, err := ValidateField(tt.f, v, tt.opt); err != nil {
					t.Errorf("the value %q does not validate: %v", v, err)
				}
			}
		})
	}
}

// TestAnswerField checks the reading of a message that answers the agent's
// question: free text is taken as given, a formatted or numbered field only
// in its shape.
func TestAnswerField(t *testing.T) {
	type out struct {
		V  string
		OK bool
	}
	en, fr := OptionsFor("en"), OptionsFor("fr")
	tests := []struct {
		name string
		f    Field
		opt  ExtractOptions
		in   string
		want out
	}{
		{"free text", Field{Name: "Company"}, en, "Acme Corp", out{"Acme Corp", true}},
		{"free text after it's", Field{Name: "Company"}, en, "it's Acme", out{"Acme", true}},
		{"texte libre après c'est", Field{Name: "Mutuelle"}, fr, "c'est la MGEN", out{"MGEN", true}},
		{"a number field refuses words", Field{Name: "Order Number"}, en, "I don't know", out{"", false}},
		{"un numéro refuse des mots", Field{Name: "Numéro de Commande"}, fr, "je ne sais pas", out{"", false}},
		{"a bare number", Field{Name: "Order Number"}, en, "100871", out{"100871", true}},
		{"digits only refuses letters", Field{Name: "Ref", Instructions: "digits only"}, en, "ABC", out{"", false}},
		{"a name alone", Field{Name: "First Name"}, en, "Ann", out{"Ann", true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := AnswerField(tt.f, tt.in, benchNow, tt.opt)
			if d := cmp.Diff(tt.want, out{v, ok}); d != "" {
				t.Errorf("AnswerField(%q, %q) (-want +got):\n%s", tt.f.Name, tt.in, d)
			}
		})
	}
}

// TestValidateFieldFormat checks that a text field's instructions are
// followed when a value is validated, with a message in both languages.
func TestValidateFieldFormat(t *testing.T) {
	f := Field{Name: "Ref", Type: TypeText, Instructions: "digits only"}
	v, err := ValidateField(f, " 00123 ", ExtractOptions{})
	if d := cmp.Diff("00123", v); d != "" || err != nil {
		t.Fatalf("valid value: %v (-want +got):\n%s", err, d)
	}
	_, err = ValidateField(f, "AB12", ExtractOptions{})
	ve, ok := err.(*ValueError)
	if !ok {
		t.Fatalf("want a *ValueError, got %v", err)
	}
	if d := cmp.Diff([]string{
		`"AB12" does not follow the field's format (digits only)`,
		`« AB12 » ne respecte pas le format du champ (digits only)`,
	}, []string{ve.Message("en"), ve.Message("fr")}); d != "" {
		t.Errorf("messages (-want +got):\n%s", d)
	}
	g := Field{Name: "Booking", Instructions: "au format AB-1234"}
	if v, err := ValidateField(g, "xy-0001", ExtractOptions{}); err != nil || v != "XY-0001" {
		t.Errorf("format AB-1234: %q, %v", v, err)
	}
	if _, err := ValidateField(g, "xy-01", ExtractOptions{}); err == nil {
		t.Errorf("format AB-1234 accepts xy-01")
	}
	// An example stands for other values of its kind; a format does not.
	for _, tc := range []struct {
		instr, v, want string
		ok             bool
	}{
		{"UK-style postcode, e.g. LS6 2AB", "SW1A 1AA", "SW1A 1AA", true},
		{"UK-style postcode, e.g. LS6 2AB", "m1 1ae", "M1 1AE", true},
		{"UK-style postcode, e.g. LS6 2AB", "EC1A1BB", "EC1A1BB", true},
		{"UK-style postcode, e.g. LS6 2AB", "hello there", "", false},
		{"UK-style postcode, e.g. LS6 2AB", "I don't know", "", false},
		{"code postal, par ex. 75011", "69003", "69003", true},
		{"code postal, par ex. 75011", "lyon", "", false},
		{"numéro de dossier, par exemple AZ-58213", "AZ-9921", "AZ-9921", true},
		{"numéro de dossier au format AZ-58213", "AZ-9921", "", false},
		{"booking reference, format AB-1234", "ABC-12345", "", false},
	} {
		f := Field{Name: "Value", Type: TypeText, Instructions: tc.instr}
		v, err := ValidateField(f, tc.v, ExtractOptions{})
		if d := cmp.Diff(tc.want, v); d != "" || (err == nil) != tc.ok {
			t.Errorf("%q with %q: err %v (-want +got):\n%s", tc.v, tc.instr, err, d)
		}
	}
}
