package runtime_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/fakemodel"
)

// TestLocaleFollowsThePlan checks that values are read in the plan's locale
// (its language, and the workspace's phone region when set) wherever they
// are extracted or validated: in the message, and in a model's answer.
func TestLocaleFollowsThePlan(t *testing.T) {
	ctx := context.Background()
	save := func(lang, region string) *ir.Plan {
		p := planWith(t, ir.Scenario{Condition: always, Actions: []ir.Action{
			{Kind: ir.KindUpdateFields, Fields: []ir.FieldUpdate{{Name: "phone"}, {Name: "Visit", Type: "date"}}},
		}})
		p.Language = lang
		ws := *p.Workspace
		ws.Fields = append(append([]ir.Field(nil), ws.Fields...), ir.Field{Name: "Visit", Type: "date"})
		ws.PhoneRegion = region
		p.Workspace = &ws
		return p
	}
	tests := []struct {
		name, lang, region, message string
		model                       runtime.Model
		want                        map[string]string
		reason                      string
	}{
		{name: "French national phone", lang: "fr", message: "mon numéro c'est le 06 12 34 56 78",
			want: map[string]string{"phone": "+33612345678"}},
		{name: "French 00 prefix", lang: "fr", message: "joignable au 0033 6 98 76 54 32",
			want: map[string]string{"phone": "+33698765432"}},
		{name: "French +33", lang: "fr", message: "+33 6 12 34 56 78 svp",
			want: map[string]string{"phone": "+33612345678"}},
		{name: "French date day first", lang: "fr", message: "je passerai le 12/03/2025",
			want: map[string]string{"Visit": "2025-03-12"}},
		{name: "English date month first", lang: "en", message: "I'll come on 12/03/2025",
			want: map[string]string{"Visit": "2025-12-03"}},
		{name: "English plan, French region", lang: "en", region: "FR", message: "call me on 06 12 34 56 78",
			want: map[string]string{"phone": "+33612345678"}},
		{name: "English plan, British region", lang: "en", region: "GB", message: "my mobile is 07400 123456",
			want: map[string]string{"phone": "+447400123456"}},
		{name: "US number in a US plan", lang: "en", message: "call me at 650-253-0000",
			want: map[string]string{"phone": "+16502530000"}},
		{name: "a model's French phone", lang: "fr", message: "rappelez-moi",
			model: fakemodel.New().Choose(`{"scenario": "s1", "fields": {"phone": "06 12 34 56 78", "Visit": "12/03/2025"}}`).Reply("C'est noté."),
			want:  map[string]string{"phone": "+33612345678", "Visit": "2025-03-12"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, b := newEngine(t, save(tt.lang, tt.region), runtime.Options{Model: tt.model})
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: tt.message})
			require.NoError(t, err)
			require.Len(t, r.Actions, 1)
			diff(t, runtime.OK, r.Actions[0].Status)
			diff(t, tt.want, r.Actions[0].Values)
			ct, err := b.Contact(ctx, "c1")
			require.NoError(t, err)
			for k, v := range tt.want {
				diff(t, v, ct.Fields[k])
			}
		})
	}
}

// TestLocaleOfTheEngine checks the options chosen once per plan.
func TestLocaleOfTheEngine(t *testing.T) {
	for _, tt := range []struct {
		lang, region, wantRegion string
		dayFirst                 bool
	}{
		{"en", "", "US", false},
		{"fr", "", "FR", true},
		{"fr", "BE", "BE", true},
		{"en", "gb", "GB", false},
	} {
		p := acmePlan(t)
		p.Language = tt.lang
		ws := *p.Workspace
		ws.PhoneRegion = tt.region
		p.Workspace = &ws
		e, err := runtime.New(p, runtime.Options{})
		require.NoError(t, err)
		diff(t, tt.wantRegion, e.Locale().Region)
		diff(t, tt.dayFirst, e.Locale().DayFirst)
	}
}

// TestTemplateEmptyField checks that a template whose field is empty sends
// no gap, in English and French.
func TestTemplateEmptyField(t *testing.T) {
	e, _ := newEngine(t, acmePlan(t), runtime.Options{})
	for _, tt := range []struct{ tmpl, want string }{
		{"Thanks $contact.firstname, your ID is saved.", "Thanks, your ID is saved."},
		{"Thanks, $contact.firstname!", "Thanks!"},
		{"Thanks {{$contact.firstname}}!", "Thanks!"},
		{"Merci $contact.firstname, nous vous envoyons le devis.", "Merci, nous vous envoyons le devis."},
		{"Merci {{$contact.firstname}} !", "Merci !"},
		{"See you on $contact.Budget.", "See you on."},
	} {
		diff(t, tt.want, e.FillTemplate(tt.tmpl, runtime.Contact{}))
	}
	diff(t, "Thanks Ann, your ID is saved.", e.FillTemplate("Thanks $contact.firstname, your ID is saved.", runtime.Contact{Fields: map[string]string{"firstname": "Ann"}}))
}

// TestStockReplySaysWhatWasSaved checks that the stock reply names only the
// fields written, and a team as a sentence does, in English and French.
func TestStockReplySaysWhatWasSaved(t *testing.T) {
	p := planWith(t, ir.Scenario{Condition: always, Actions: []ir.Action{
		{Kind: ir.KindUpdateFields, Fields: []ir.FieldUpdate{{Name: "phone"}, {Name: "Email"}}},
	}})
	for _, tt := range []struct{ lang, message, want string }{
		{"en", "my new email is ann@example.org", "Thanks, I've saved your email address."},
		{"en", "my new number is 650-253-0000", "Thanks, I've saved your phone number."},
	} {
		e, _ := newEngine(t, p, runtime.Options{})
		r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c1", Text: tt.message, Language: tt.lang})
		require.NoError(t, err)
		diff(t, tt.want, r.Reply)
	}
}
