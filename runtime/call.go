package runtime

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strings"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/stdlib"
)

// Caller runs the plan's `call` actions: the custom HTTP actions declared in
// the workspace (`call !order_status`). The engine gives it the action as
// the plan declares it and the value of every input; a 2xx answer makes the
// action ok, any other status makes it fail (the answer is still kept for
// the reply), and an error makes it fail with the error as the reason.
//
// Options.Caller chooses it: nil is an HTTPCaller that sends real requests;
// DryRunCaller sends nothing and says what it would have sent.
type Caller interface {
	Call(ctx context.Context, req CallRequest) (CallResponse, error)
}

// CallRequest is one call of a custom action.
type CallRequest struct {
	// Action is the custom action as the plan's workspace declares it.
	Action ir.CustomAction
	// Inputs holds a value for every input the action declares, by input
	// name.
	Inputs         map[string]string
	ConversationID string
	ContactID      string
	// AllowedNetworks are the loopback, private and link-local networks
	// the workspace lets custom actions reach (allow_private_networks).
	AllowedNetworks []netip.Prefix
	// IdempotencyKey is the same for every attempt of one action of one
	// inbound message ("instrc-" + ActionKey): the HTTPCaller sends it as
	// the Idempotency-Key header, so that an API that honours it runs a
	// call resent after a crash once.
	IdempotencyKey string
}

// CallResponse is what a custom action answered.
type CallResponse struct {
	// StatusCode is the HTTP status; 0 when no request was sent.
	StatusCode int
	// Body is the response body, at most MaxResponseBody bytes.
	Body string
	// Truncated is set when the body was longer and was cut.
	Truncated bool
	// Note, set by a caller that sent nothing (DryRunCaller), describes the
	// request it would have sent; it becomes the outcome's reason.
	Note string
}

// Answered reports whether a request was sent and answered.
func (r *CallResponse) Answered() bool { return r != nil && r.StatusCode != 0 }

// OK reports whether the status is a success (2xx).
func (r *CallResponse) OK() bool { return r.StatusCode >= 200 && r.StatusCode < 300 }

// DryRunCaller sends nothing: every call is ok, and the outcome's reason is
// the exact request an HTTPCaller would send, without the secret:
// `dry run: GET https://status.example.com/outages?postcode=LS6+2AB (not sent)`.
// It is what `instrc chat` and `instrc simulate` use unless `--calls live`.
type DryRunCaller struct{}

var _ Caller = DryRunCaller{}

// Call describes the request without sending it. It fails only when the
// request could not be built (the same errors an HTTPCaller reports before
// sending, except a secret missing from the environment).
func (DryRunCaller) Call(_ context.Context, req CallRequest) (CallResponse, error) {
	p, err := prepareCall(req.Action, req.Inputs)
	if err != nil {
		return CallResponse{}, err
	}
	return CallResponse{Note: "dry run: " + p.String() + " (not sent)"}, nil
}

// callInput is one input of a call action of a scenario, with the workspace
// field of the same name (id or name), if any, whose type checks the model's
// value and finds one in the message.
type callInput struct {
	ir.ActionInput
	Action string
	Field  *ir.Field
}

// scenarioInputs lists the inputs of every call action of a scenario, each
// input name once, in the order of the chain.
func scenarioInputs(p *ir.Plan, s *ir.Scenario) []callInput {
	var out []callInput
	for _, a := range s.Actions {
		if a.Kind != ir.KindCall {
			continue
		}
		ca, ok := customAction(p.Workspace, a.ActionName)
		if !ok {
			continue
		}
		for _, in := range ca.Inputs {
			if slices.ContainsFunc(out, func(c callInput) bool { return c.Name == in.Name }) {
				continue
			}
			ci := callInput{ActionInput: in, Action: ca.Name}
			if f, ok := p.Workspace.Field(in.Name); ok {
				ci.Field = &f
			}
			out = append(out, ci)
		}
	}
	return out
}

func customAction(ws *ir.Workspace, name string) (ir.CustomAction, bool) {
	if ws == nil {
		return ir.CustomAction{}, false
	}
	i := slices.IndexFunc(ws.CustomActions, func(c ir.CustomAction) bool { return c.Name == name })
	if i < 0 {
		return ir.CustomAction{}, false
	}
	return ws.CustomActions[i], true
}

// call runs a call action: it gathers the inputs, asks the Caller within
// CallTimeout, and judges the answer. A non-2xx answer fails the action but
// is kept in the outcome, for the reply.
func (t *turn) call(ctx context.Context, i int, a ir.Action, out *ActionOutcome) error {
	ca, ok := customAction(t.e.plan.Workspace, a.ActionName)
	if !ok {
		return fmt.Errorf("custom action !%s is not declared in the plan's workspace", a.ActionName)
	}
	inputs, err := t.callInputs(ctx, ca)
	if err != nil {
		return err
	}
	cctx, cancel := context.WithTimeout(ctx, t.e.opts.CallTimeout)
	defer cancel()
	resp, err := safeCall(cctx, t.e.opts.Caller, CallRequest{Action: ca, Inputs: inputs, ConversationID: t.in.ConversationID, ContactID: t.in.ContactID,
		AllowedNetworks: t.e.allowedNets, IdempotencyKey: "instrc-" + ActionKey(t.in.ConversationID, t.msgID, i)})
	if err != nil {
		if perr := ctx.Err(); perr != nil {
			return turnStopped{fmt.Errorf("the turn ran out of time while calling %s: %w", ca.Name, perr)}
		}
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(cctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("%s did not answer within %s", ca.Name, t.e.opts.CallTimeout)
		}
		return err
	}
	out.Response = &resp
	out.Reason = resp.Note
	if resp.Answered() && !resp.OK() {
		return fmt.Errorf("%s answered %s", ca.Name, statusLine(resp.StatusCode))
	}
	return nil
}

// turnStopped is an error that stops the turn instead of failing the
// action: the turn's own time ran out, so the message is left to be
// delivered again rather than recorded as failed.
type turnStopped struct{ error }

func (e turnStopped) Unwrap() error { return e.error }

// statusLine is "404 Not Found", or the bare code when it has no name.
func statusLine(code int) string {
	if text := http.StatusText(code); text != "" {
		return fmt.Sprintf("%d %s", code, text)
	}
	return fmt.Sprint(code)
}

// callInputs finds a value for every input of a custom action, in order:
// the contact's field whose id or name is the input's name (as of the
// turn's message, with the values saved earlier in the chain), the model's
// value, or the value found inside the message by the field's type, or by
// the input's name and instructions (stdlib.ExtractField: "where is my order
// 100871?" gives order_number 100871 with "digits only"; a whole message is
// no order number). A missing input fails the action, and nothing is sent.
func (t *turn) callInputs(ctx context.Context, ca ir.CustomAction) (map[string]string, error) {
	inputs := make(map[string]string, len(ca.Inputs))
	if len(ca.Inputs) == 0 {
		return inputs, nil
	}
	// The turn's view of the contact: as of its message, with what the
	// chain saved so far (saw), also on a redelivery after a crash.
	contact := t.contact
	ws := t.e.plan.Workspace
	var missing []string
	for _, in := range ca.Inputs {
		f, isField := ws.Field(in.Name)
		v := contact.Fields[in.Name]
		if isField && strings.TrimSpace(contact.Fields[f.Name]) != "" {
			v = contact.Fields[f.Name]
		}
		if strings.TrimSpace(v) == "" {
			v = t.modelInputs[in.Name]
		}
		if strings.TrimSpace(v) == "" {
			v, _ = stdlib.ExtractField(t.e.inputField(in), t.in.Text, t.now, t.e.locale)
		}
		if strings.TrimSpace(v) == "" {
			missing = append(missing, in.Name)
			continue
		}
		inputs[in.Name] = v
	}
	switch len(missing) {
	case 0:
		return inputs, nil
	case 1:
		return nil, fmt.Errorf("no value for input %s", missing[0])
	}
	return nil, fmt.Errorf("no value for inputs %s", strings.Join(missing, ", "))
}

// safeCall turns a panicking Caller into an error, as safeGenerate does for
// models.
func safeCall(ctx context.Context, c Caller, req CallRequest) (resp CallResponse, err error) {
	defer func() {
		if r := recover(); r != nil {
			resp, err = CallResponse{}, fmt.Errorf("calling %s panicked: %v", req.Action.Name, r)
		}
	}()
	return c.Call(ctx, req)
}
