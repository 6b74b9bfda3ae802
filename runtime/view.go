package runtime

// TurnView is a turn as JSON, the one shape `instrc simulate` prints in its
// `turns` and `instrc serve` answers for a message (docs/runtime.md):
// the scenario is null when nothing matched, the reply is "" when it was
// not sent, and each action is the plan's action object plus its status.
type TurnView struct {
	Message  string          `json:"message"`
	Scenario *string         `json:"scenario"`
	Why      string          `json:"why"`
	Actions  []ActionOutcome `json:"actions"`
	Reply    string          `json:"reply"`
	// ReplySent is false when no reply goes out; ReplyReason says why.
	ReplySent   bool   `json:"replySent"`
	ReplyReason string `json:"replyReason,omitempty"`
	Language    string `json:"language,omitempty"`
	// Duplicate is true for a redelivered message id: nothing ran again.
	Duplicate bool `json:"duplicate,omitempty"`
	// Fallback says why the model could not be used, when it could not.
	Fallback string `json:"fallback,omitempty"`
	// Transcript is what an audio message says.
	Transcript string          `json:"transcript,omitempty"`
	ModelCalls []ModelCallView `json:"modelCalls,omitempty"`
	// Confidence and RunnerUp are the offline matcher's (TurnResult):
	// set when it chose a scenario.
	Confidence *float64 `json:"confidence,omitempty"`
	RunnerUp   string   `json:"runnerUp,omitempty"`
	// PlanHash identifies the plan that ran the turn (ir.Hash); set by a
	// server, empty in a replay.
	PlanHash string `json:"planHash,omitempty"`
}

// ModelCallView is a model call as JSON.
type ModelCallView struct {
	Purpose          string `json:"purpose"`
	PromptTokens     int    `json:"promptTokens"`
	CompletionTokens int    `json:"completionTokens"`
	// InputTokens, OutputTokens and PrefixTokens are counted by the
	// runtime's tokenizer (ModelCall).
	InputTokens  int    `json:"inputTokens"`
	OutputTokens int    `json:"outputTokens"`
	PrefixTokens int    `json:"prefixTokens"`
	LatencyMS    int64  `json:"latencyMs"`
	Error        string `json:"error,omitempty"`
}

// View returns the turn as JSON shows it, for the inbound message text.
func (r TurnResult) View(message string) TurnView {
	v := TurnView{Message: message, Why: r.Why, Actions: r.Actions, Reply: r.Reply, ReplySent: r.ReplySent,
		ReplyReason: r.ReplyReason, Language: r.Language, Duplicate: r.Duplicate, Fallback: r.Fallback, Transcript: r.Transcript}
	if v.Actions == nil {
		v.Actions = []ActionOutcome{}
	}
	if r.Scenario != "" {
		id := r.Scenario
		v.Scenario = &id
		if r.Chooser == ChooserOffline {
			conf := r.Confidence
			v.Confidence = &conf
		}
	}
	v.RunnerUp = r.RunnerUp
	if !r.ReplySent {
		v.Reply = ""
	} else {
		v.ReplyReason = ""
	}
	for _, mc := range r.ModelCalls {
		v.ModelCalls = append(v.ModelCalls, ModelCallView{Purpose: mc.Purpose, PromptTokens: mc.PromptTokens,
			CompletionTokens: mc.CompletionTokens, InputTokens: mc.InputTokens, OutputTokens: mc.OutputTokens, PrefixTokens: mc.PrefixTokens, LatencyMS: mc.Latency.Milliseconds(), Error: mc.Error})
	}
	return v
}
