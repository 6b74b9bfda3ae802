// Package runtime runs a compiled instruction plan (an ir.Plan) for one
// conversation turn at a time: it chooses the scenario that applies to the
// inbound message, executes that scenario's actions in order against a
// Backend, and only then produces the reply, so that the reply can say what
// actually happened.
//
// The plan is the allow-list of everything the engine may do. Whatever the
// contact writes and whatever a model answers, the engine only executes the
// actions of a scenario in the plan, with the names the plan gives; a model
// answer that names anything else is rejected as a whole and nothing runs.
//
// The engine works offline by default (a deterministic matcher built on
// stdlib intents, condition keywords, state checks and typed extractors). A
// Model, when configured, chooses the scenario with one structured call and
// writes the reply with a second one.
package runtime
