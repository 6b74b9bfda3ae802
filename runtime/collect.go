package runtime

import (
	"strings"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/stdlib"
)

// field returns what the extractors know of a field: its name, type and
// options, and the instructions the workspace writes for it, those of the
// custom action input that takes the field (an input named after the
// field's id or name: `{name: order_number, instructions: "digits only"}`).
func (e *Engine) field(fs fieldSpec) stdlib.Field {
	f := stdlib.Field{Name: fs.Name, Type: fs.Type, Options: fs.Options}
	ws := e.plan.Workspace
	if ws == nil {
		return f
	}
	keys := []string{fs.Name}
	if wf, ok := ws.Field(fs.Name); ok && wf.ID != "" {
		keys = append(keys, wf.ID)
	}
	for _, ca := range ws.CustomActions {
		for _, in := range ca.Inputs {
			for _, k := range keys {
				if in.Instructions != "" && strings.EqualFold(in.Name, k) {
					f.Instructions = in.Instructions
					return f
				}
			}
		}
	}
	return f
}

// inputField is what the extractors know of a custom action's input: the
// contact field it names, else a text value with the input's instructions.
func (e *Engine) inputField(in ir.ActionInput) stdlib.Field {
	if e.plan.Workspace != nil {
		if wf, ok := e.plan.Workspace.Field(in.Name); ok {
			f := e.field(fieldSpec{Name: wf.Name, Type: wf.Type, Options: wf.Options})
			if f.Type == "" {
				f.Type = stdlib.TypeText
			}
			if in.Instructions != "" {
				f.Instructions = in.Instructions
			}
			return f
		}
	}
	return stdlib.Field{Name: in.Name, Type: stdlib.TypeText, Instructions: in.Instructions}
}

// valueIn finds the value of a field inside a message, only when it is
// there (stdlib.ExtractField): "I want a refund for order MD-1234" gives
// the Order Number, "where is my order?" does not.
func (t *turn) valueIn(fs fieldSpec, text string) (string, bool) {
	return stdlib.ExtractField(t.e.field(fs), text, t.now, t.e.locale)
}

// splitCollect splits the description of fields collected together ("their
// work email and company size") into one part per field, when it has as
// many parts as fields; a part without a determiner takes the first part's
// ("their work email", "their company size").
func splitCollect(from string, n int) ([]string, bool) {
	if n < 2 {
		return nil, false
	}
	s := from
	for _, sep := range []string{", and ", ", et ", " and ", " et ", " & ", ", "} {
		s = strings.ReplaceAll(s, sep, "\x00")
	}
	parts := strings.Split(s, "\x00")
	if len(parts) != n {
		return nil, false
	}
	det := ""
	if w := strings.Fields(parts[0]); len(w) > 1 && determiners[strings.ToLower(w[0])] {
		det = w[0] + " "
	}
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			return nil, false
		}
		if w := strings.Fields(p); i > 0 && det != "" && !determiners[strings.ToLower(w[0])] {
			p = det + p
		}
		parts[i] = p
	}
	return parts, true
}

var determiners = map[string]bool{"their": true, "his": true, "her": true, "the": true, "your": true, "a": true, "an": true,
	"leur": true, "leurs": true, "son": true, "sa": true, "ses": true, "le": true, "la": true, "les": true, "votre": true,
	"vos": true, "un": true, "une": true}
