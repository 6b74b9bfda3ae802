package runtime

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/stdlib"
)

// reply produces the turn's reply after every action ran. No reply goes out
// after an unassign (the conversation has no owner to speak for) or when the
// scenario says none. When a step failed, a template is not sent (it was
// written for the success case and could claim what did not happen): the
// model, or the stock reply, gets the real outcomes instead.
func (t *turn) reply(ctx context.Context) {
	r := t.res
	if t.unassigned {
		r.ReplyReason = "the conversation was unassigned: the agent sends no reply afterwards"
		return
	}
	var rp *ir.Reply
	if t.sc != nil {
		rp = t.sc.s.Reply
	}
	if rp != nil && rp.None {
		r.ReplyReason = "the scenario sends no reply"
		return
	}
	failed := r.Failed()
	write := t.e.opts.Model != nil && r.Fallback == "" && t.modelHasSomethingToWrite()
	switch {
	case len(t.waitingFor) > 0:
		if !write || !t.replyWithModel(ctx) {
			r.Reply, r.ReplySource = askFor(r.Language, t.waitingFor), ReplyStock
		}
	case rp != nil && rp.Template != "" && !failed:
		contact, err := t.e.opts.Backend.Contact(ctx, t.in.ContactID)
		if err != nil {
			// The actions ran; without the contact the template cannot be
			// filled truthfully, so say what was done instead.
			t.stockReply("reading the contact for the template failed: " + err.Error())
			return
		}
		r.Reply, r.ReplySource = t.e.FillTemplate(rp.Template, contact), ReplyTemplate
	case write:
		if !t.replyWithModel(ctx) {
			t.stockReply(r.Fallback)
		}
	default:
		t.stockReply("")
	}
	r.Reply = strings.TrimSpace(r.Reply)
	r.ReplySent = r.Reply != ""
	if r.ReplySent && r.ReplySource != ReplyModel && t.in.OnReply != nil {
		t.in.OnReply(ReplyDelta{Text: r.Reply})
	}
	if !r.ReplySent && r.ReplyReason == "" {
		r.ReplyReason = "there is no reply text to send"
	}
}

// modelHasSomethingToWrite reports whether a model-written reply adds
// anything to the stock one: the scenario has a reply directive (`reply
// with …`), a custom action answered, or nothing matched and the plan's guidance may answer the
// message. A scenario that only acts gets the stock reply stating its
// outcomes, and a template is sent as written: neither needs a model call.
func (t *turn) modelHasSomethingToWrite() bool {
	for _, o := range t.res.Actions {
		if o.Action.Kind == ir.KindCall && o.Response != nil {
			// What a custom action answered is for the reply to tell, as
			// its response instructions say; the stock reply cannot.
			return true
		}
	}
	if t.sc == nil {
		return len(t.e.plan.Guidance) > 0
	}
	return t.sc.s.Reply != nil && strings.TrimSpace(t.sc.s.Reply.Guidance) != ""
}

// stockReply sets the offline reply that says what was done.
func (t *turn) stockReply(fallback string) {
	if fallback != "" && t.res.Fallback == "" {
		t.res.Fallback = fallback
	}
	var guidance string
	if t.sc != nil && t.sc.s.Reply != nil {
		guidance = t.sc.s.Reply.Guidance
	}
	t.res.Reply, t.res.ReplySource = stdlib.StockReply(t.res.Language, stockResults(t.res.Actions), guidance), ReplyStock
}

// stockResults lists the actions that ran (skipped ones did not, so the
// reply must not mention them).
func stockResults(outs []ActionOutcome) []stdlib.ActionResult {
	var rs []stdlib.ActionResult
	for _, o := range outs {
		if o.Status == Skipped {
			continue
		}
		a := o.Action
		if a.Kind == ir.KindUpdateFields && o.Status == OK && len(o.Values) < len(a.Fields) {
			// Say only what was saved: "your email address", not "your
			// phone number and email address" when the message had no
			// phone number.
			var written []ir.FieldUpdate
			for _, f := range a.Fields {
				if _, ok := o.Values[f.Name]; ok {
					written = append(written, f)
				}
			}
			a.Fields = written
		}
		rs = append(rs, stdlib.ActionResult{Action: a, OK: o.Status == OK})
	}
	return rs
}

// askFor is the offline reply that asks the contact for what a scenario
// collects, turning the author's third person into the second.
func askFor(lang string, what []string) string {
	sep, last, format := ", ", " and ", "Could you send me %s?"
	if lang == "fr" {
		last, format = " et ", "Pourriez-vous m'indiquer %s ?"
	}
	items := make([]string, len(what))
	for i, w := range what {
		items[i] = secondPerson(lang, strings.TrimSpace(w))
	}
	list := items[0]
	if n := len(items); n > 1 {
		list = strings.Join(items[:n-1], sep) + last + items[n-1]
	}
	return fmt.Sprintf(format, list)
}

// secondPersonWords turn the author's third person into the second, word
// by word: only whole words change ("la valeur de leur véhicule" is "la
// valeur de votre véhicule", and "theme" stays).
var secondPersonWords = map[string]map[string]string{
	"fr": {"leur": "votre", "leurs": "vos", "son": "votre", "sa": "votre", "ses": "vos"},
	"en": {"their": "your", "his": "your", "her": "your", "them": "you", "they": "you", "they're": "you're", "theirs": "yours"},
}

func secondPerson(lang, s string) string {
	words := secondPersonWords["en"]
	if lang == "fr" {
		words = secondPersonWords["fr"]
	}
	fields := strings.Fields(s)
	for i, f := range fields {
		core := strings.TrimRight(f, ".,;:!?")
		if to, ok := words[strings.ToLower(core)]; ok {
			fields[i] = to + f[len(core):]
			continue
		}
		// "la date qui l'arrange", "ce qui lui convient": the contact is
		// the object, "vous".
		if lang == "fr" && i > 0 && strings.EqualFold(fields[i-1], "qui") {
			for _, el := range []string{"l'", "l’"} {
				if rest, ok := strings.CutPrefix(f, el); ok && rest != "" {
					fields[i] = "vous " + rest
				}
			}
			if strings.EqualFold(core, "lui") {
				fields[i] = "vous" + f[len(core):]
			}
		}
	}
	return strings.Join(fields, " ")
}

// FillTemplate fills `$contact.x`, `{{$contact.x}}` and `{{contact.x}}`
// (ir.TemplateRefs, the reading the compiler checks) from the contact;
// x is a field name or id, matched exactly first, then ignoring case. A
// field without a value is left out with the spacing and punctuation
// around it mended, so that no gap is sent: "Thanks $contact.firstname,
// your ID is saved." reads "Thanks, your ID is saved.", "Merci
// {{$contact.prenom}} !" reads "Merci !", "Thanks, $contact.firstname!"
// reads "Thanks!".
func (e *Engine) FillTemplate(tmpl string, c Contact) string {
	empty := false
	out := ir.FillTemplate(tmpl, func(key string) string {
		v := e.contactValue(c, key)
		if strings.TrimSpace(v) == "" {
			empty = true
			return "\x00"
		}
		return v
	})
	if !empty {
		return out
	}
	for _, fix := range emptyFixes {
		out = fix.re.ReplaceAllString(out, fix.with)
	}
	return strings.TrimSpace(strings.ReplaceAll(out, "\x00", ""))
}

// emptyFixes mend the text around a field left out (marked \x00), in order.
var emptyFixes = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`,[ \t]*\x00([ \t]*[!?.])`), "$1"},                // "Thanks, !" → "Thanks!"
	{regexp.MustCompile(`[ \t]*\x00[ \t]*,`), ","},                        // "Thanks , your" → "Thanks, your"
	{regexp.MustCompile(`([\p{L}\p{N}])[ \t]*\x00([ \t]*[.!?])`), "$1$2"}, // "Merci  !" → "Merci !"
	{regexp.MustCompile(`[ \t]*\x00`), ""},
	{regexp.MustCompile(`[ \t]{2,}`), " "},
}

func (e *Engine) contactValue(c Contact, key string) string {
	if v, ok := c.Fields[key]; ok {
		return v
	}
	if name := e.plan.Workspace.FieldName(key); name != key {
		return c.Fields[name]
	}
	if e.plan.Workspace != nil {
		for _, f := range e.plan.Workspace.Fields {
			if strings.EqualFold(f.Name, key) || strings.EqualFold(f.ID, key) {
				return c.Fields[f.Name]
			}
		}
	}
	for k, v := range c.Fields {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	switch strings.ToLower(key) {
	case "lifecycle":
		return c.Lifecycle
	}
	return ""
}
