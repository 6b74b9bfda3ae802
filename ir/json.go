package ir

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// Marshal writes a plan as indented JSON, HTML characters unescaped so that
// templates read as written.
func Marshal(p *Plan) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Read parses a plan and checks that this runtime understands it: the
// version, the action kinds and the fields each kind needs.
func Read(r io.Reader) (*Plan, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var p Plan
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("reading plan: %w", err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Unmarshal parses and validates a plan from bytes.
func Unmarshal(b []byte) (*Plan, error) { return Read(bytes.NewReader(b)) }

// Validate checks the plan's structure (not its names: the compiler did that).
func (p *Plan) Validate() error {
	if p.Version != Version {
		return fmt.Errorf("plan version %d is not supported (this runtime reads version %d)", p.Version, Version)
	}
	seen := map[string]bool{}
	for i, s := range p.Scenarios {
		if s.ID == "" {
			return fmt.Errorf("scenario %d has no id", i+1)
		}
		if seen[s.ID] {
			return fmt.Errorf("scenario id %q is used twice", s.ID)
		}
		seen[s.ID] = true
		if a := s.Condition.Answers; a != "" && (a != "yes" && a != "no" || s.Condition.Question == "") {
			return fmt.Errorf("scenario %s: answers must be \"yes\" or \"no\" with the question it answers", s.ID)
		}
		if s.Condition.Fallback && s.Condition.Always {
			return fmt.Errorf("scenario %s is both a fallback and unconditional: a fallback applies only when no other scenario does", s.ID)
		}
		for j, a := range s.Actions {
			if err := a.validate(); err != nil {
				return fmt.Errorf("scenario %s, action %d: %w", s.ID, j+1, err)
			}
		}
	}
	return nil
}

func (a Action) validate() error {
	switch a.Kind {
	case KindClose, KindUnassign:
	case KindAssign:
		if a.Target == nil || a.Target.Name == "" {
			return fmt.Errorf("assign has no target")
		}
		switch a.Target.Type {
		case TargetTeam, TargetUser, TargetAIAgent:
		default:
			return fmt.Errorf("assign target type %q is not team, user or ai_agent", a.Target.Type)
		}
		switch a.Method {
		case "", MethodRoundRobin, MethodLeastOpen:
		default:
			return fmt.Errorf("assign method %q is not round_robin or least_open", a.Method)
		}
	case KindUpdateFields:
		if len(a.Fields) == 0 {
			return fmt.Errorf("update_fields names no field")
		}
	case KindUpdateLifecycle:
		if a.Stage == "" {
			return fmt.Errorf("update_lifecycle names no stage")
		}
	case KindUpdateTags:
		if len(a.Add)+len(a.Remove) == 0 {
			return fmt.Errorf("update_tags adds and removes nothing")
		}
	case KindAddComment:
	case KindTriggerWorkflow:
		if a.Workflow == "" {
			return fmt.Errorf("trigger_workflow names no workflow")
		}
	case KindCall:
		if a.ActionName == "" {
			return fmt.Errorf("call names no action")
		}
	default:
		return fmt.Errorf("unknown action kind %q", a.Kind)
	}
	return nil
}
