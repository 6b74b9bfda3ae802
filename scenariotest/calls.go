package scenariotest

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/lang"
	"github.com/instrc/instrc/runtime"
)

// stubCaller answers the custom actions a test file gives answers for, and
// hands the others to the suite's caller (a dry run unless asked otherwise),
// so that a test never reaches a real API by accident.
type stubCaller struct {
	stubs map[string]CallStub
	next  runtime.Caller
}

func (c stubCaller) Call(ctx context.Context, req runtime.CallRequest) (runtime.CallResponse, error) {
	if s, ok := c.stubs[req.Action.Name]; ok {
		return runtime.CallResponse{StatusCode: s.Status, Body: s.Body}, nil
	}
	return c.next.Call(ctx, req)
}

// caseStubs merges the suite's answers with the case's, which win, and
// checks that each names a custom action of the plan.
func caseStubs(plan *ir.Plan, suite, own map[string]CallStub) (map[string]CallStub, error) {
	stubs := maps.Clone(suite)
	if stubs == nil {
		stubs = map[string]CallStub{}
	}
	maps.Copy(stubs, own)
	var names []string
	if plan.Workspace != nil {
		for _, a := range plan.Workspace.CustomActions {
			names = append(names, a.Name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(stubs)) {
		if slices.Contains(names, name) {
			continue
		}
		msg := fmt.Sprintf("calls: %q is not a custom action of the workspace", name)
		if near := lang.Nearest(name, names); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		} else if len(names) > 0 {
			msg += " (it has " + fmt.Sprint(names) + ")"
		}
		return nil, &Error{Pos: stubs[name].Pos, Msg: msg}
	}
	return stubs, nil
}
