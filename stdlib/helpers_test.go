package stdlib

import (
	"time"

	"github.com/instrc/instrc/ir"
)

// benchNow is a Monday.
var benchNow = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

func assignTeam(name string) ir.Action {
	return ir.Action{Kind: ir.KindAssign, Target: &ir.Target{Type: ir.TargetTeam, Name: name}, Method: ir.MethodRoundRobin}
}
