package runtime

import "slices"

// chooseSchema is the choose call's answer shape as a JSON Schema, built
// from the plan for this turn: the eligible scenario ids ("" for none) as
// an enum, each field a scenario may fill with its type and options, each
// input of their custom actions, the closing notes a scenario may pick.
// Endpoints that support structured output constrain the answer to it; the
// answer is still checked against the plan (parseChoice) whatever they do.
func (e *Engine) chooseSchema(allowed []*compiled) map[string]any {
	ids := []any{""}
	fields := map[string]any{}
	inputs := map[string]any{}
	pickNote := false
	for _, c := range allowed {
		ids = append(ids, c.s.ID)
		for _, f := range c.fromMessage {
			fields[f.Name] = fieldSchema(f.Type, f.Options)
		}
		for _, in := range e.inputs[e.byID[c.s.ID]] {
			if f := in.Field; f != nil && f.Type != "" {
				inputs[in.Name] = fieldSchema(f.Type, f.Options)
			} else {
				inputs[in.Name] = map[string]any{"type": "string"}
			}
		}
		pickNote = pickNote || c.pickNote
	}
	props := map[string]any{
		"scenario": map[string]any{"type": "string", "enum": ids, "description": "the id of the scenario that applies, or \"\" for none"},
		"reason":   map[string]any{"type": "string"},
	}
	if len(fields) > 0 {
		props["fields"] = map[string]any{"type": "object", "properties": fields, "additionalProperties": false}
	}
	if len(inputs) > 0 {
		props["inputs"] = map[string]any{"type": "object", "properties": inputs, "additionalProperties": false}
	}
	if pickNote && e.plan.Workspace != nil {
		notes := []any{""}
		for _, n := range e.plan.Workspace.ClosingNotes {
			notes = append(notes, n)
		}
		props["closingNote"] = map[string]any{"type": "string", "enum": notes}
	}
	if slices.ContainsFunc(allowed, func(c *compiled) bool { return c.wantsSummary }) {
		props["summary"] = map[string]any{"type": "string"}
	}
	return map[string]any{"type": "object", "properties": props, "required": []any{"scenario"}, "additionalProperties": false}
}

// fieldSchema is the JSON Schema of one field's value.
func fieldSchema(typ string, options []string) map[string]any {
	switch {
	case typ == "number":
		return map[string]any{"type": "number"}
	case typ == "checkbox":
		return map[string]any{"type": "boolean"}
	case len(options) > 0:
		enum := make([]any, len(options))
		for i, o := range options {
			enum[i] = o
		}
		return map[string]any{"type": "string", "enum": enum}
	}
	return map[string]any{"type": "string", "description": typ}
}
