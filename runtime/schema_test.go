package runtime_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/runtime"
)

// TestChooseSchema: the choose call sends its answer's JSON Schema as an
// OpenAI structured output; an endpoint that refuses it gets JSON mode, and
// an answer outside the schema is still rejected by the plan's checks.
func TestChooseSchema(t *testing.T) {
	ctx := context.Background()
	t.Run("sent and followed", func(t *testing.T) {
		srv := newOpenAIServer(t, func(r chatRequest) fakeAnswer {
			if r.isChoose() {
				return fakeAnswer{Content: `{"scenario": "s7", "fields": {"Budget": 7500}}`}
			}
			return fakeAnswer{Content: "Noted."}
		})
		e, b := newEngine(t, acmePlan(t), runtime.Options{Model: srv.model(t)})
		r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "about 7500"})
		require.NoError(t, err)
		assert.Equal(t, "s7", r.Scenario, r.Why)
		ct, _ := b.Contact(ctx, "p1")
		assert.Equal(t, "7500", ct.Fields["Budget"])
		req := srv.Requests()[0]
		require.NotNil(t, req.ResponseFormat)
		assert.Equal(t, "json_schema", req.ResponseFormat.Type)
		require.NotNil(t, req.ResponseFormat.JSONSchema)
		sc := req.ResponseFormat.JSONSchema.Schema
		props := sc["properties"].(map[string]any)
		enum := props["scenario"].(map[string]any)["enum"].([]any)
		assert.Equal(t, []any{"", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"}, enum)
		fields := props["fields"].(map[string]any)["properties"].(map[string]any)
		assert.Equal(t, "number", fields["Budget"].(map[string]any)["type"])
		assert.Equal(t, false, sc["additionalProperties"])
		notes := props["closingNote"]
		if notes != nil {
			assert.Contains(t, notes.(map[string]any)["enum"], "Issue Resolved")
		}
	})
	t.Run("refused: JSON mode from then on", func(t *testing.T) {
		srv := newOpenAIServer(t, func(r chatRequest) fakeAnswer {
			switch {
			case r.ResponseFormat != nil && r.ResponseFormat.Type == "json_schema":
				return fakeAnswer{Status: 400}
			case r.isChoose():
				return fakeAnswer{Content: `{"scenario": "s3"}`}
			}
			return fakeAnswer{Content: "Done."}
		})
		e, _ := newEngine(t, acmePlan(t), runtime.Options{Model: srv.model(t)})
		for i := range 2 {
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: fmt.Sprint("c", i), MessageID: "m1", Text: "money back"})
			require.NoError(t, err)
			assert.Equal(t, "s3", r.Scenario, r.Why)
			assert.Empty(t, r.Fallback)
		}
		var formats []string
		for _, q := range srv.Requests() {
			if q.ResponseFormat != nil {
				formats = append(formats, q.ResponseFormat.Type)
			}
		}
		assert.Equal(t, []string{"json_schema", "json_object", "json_object"}, formats)
	})
	t.Run("an answer outside the schema is rejected", func(t *testing.T) {
		for _, answer := range []string{`{"scenario": "s42"}`, `{"scenario": "s3", "team": "Hackers"}`, `{"scenario": "s7", "fields": {"Budget": "lots"}}`, `{"scenario": "s3"`} {
			srv := newOpenAIServer(t, func(r chatRequest) fakeAnswer { return fakeAnswer{Content: answer} })
			e, b := newEngine(t, acmePlan(t), runtime.Options{Model: srv.model(t)})
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", ContactID: "p1", MessageID: "m1", Text: "budget 5"})
			require.NoError(t, err)
			assert.Empty(t, r.Scenario, answer)
			assert.Empty(t, r.Actions, answer)
			assert.Contains(t, r.Fallback, "rejected", answer)
			ct, _ := b.Contact(ctx, "p1")
			assert.Empty(t, ct.Fields, answer)
		}
	})
}
