package runtime_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/runtime"
)

// TestStreamedReply streams the model's reply from a server-sent-events
// OpenAI-compatible server, after the actions ran, a sentence at a time; a
// reply that turns out to claim what did not run is withdrawn and the
// stock reply follows.
func TestStreamedReply(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, reply string
		want        []runtime.ReplyDelta
		source      string
	}{
		{name: "accepted", reply: "Thanks for your message! I've closed this conversation. Goodbye",
			want:   []runtime.ReplyDelta{{Text: "Thanks for your message!"}, {Text: " I've closed this conversation."}, {Text: " Goodbye"}},
			source: runtime.ReplyModel},
		{name: "a false claim mid-way", reply: "Thanks for your message! Your order was refunded. Goodbye!",
			source: runtime.ReplyStock},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newOpenAIServer(t, func(r chatRequest) fakeAnswer {
				if r.isChoose() {
					return fakeAnswer{Content: `{"scenario": "s1"}`}
				}
				return fakeAnswer{Content: tt.reply}
			})
			e, b := newEngine(t, acmePlan(t), runtime.Options{Model: srv.model(t)})
			var got []runtime.ReplyDelta
			var closedFirst []bool
			r, err := e.Turn(ctx, runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Text: "that's all",
				OnReply: func(d runtime.ReplyDelta) {
					c, _ := b.Conversation(ctx, "c1")
					closedFirst = append(closedFirst, c.Status == runtime.StatusClosed)
					got = append(got, d)
				}})
			require.NoError(t, err)
			assert.Equal(t, tt.source, r.ReplySource)
			for _, c := range closedFirst {
				assert.True(t, c, "the reply streams after the actions ran")
			}
			reqs := srv.Requests()
			assert.True(t, reqs[len(reqs)-1].Stream, "the reply call streams")
			if tt.want != nil {
				diff(t, tt.want, got)
				return
			}
			// The first sentence was shown, then withdrawn; the stock reply
			// follows, and nothing shown claims the refund.
			require.GreaterOrEqual(t, len(got), 3)
			assert.Equal(t, "Thanks for your message!", got[0].Text)
			assert.True(t, got[1].Restart)
			assert.Equal(t, r.Reply, got[2].Text)
			for _, d := range got {
				assert.NotContains(t, strings.ToLower(d.Text), "refunded")
			}
		})
	}
}
