package lsp

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/workspace"
)

// refAt returns the resolved name under the cursor.
func (d *document) refAt(p protocol.Position) (compiler.Ref, bool) {
	if d.res == nil {
		return compiler.Ref{}, false
	}
	off := d.m.offset(p)
	for _, r := range d.res.Refs {
		if r.Range.Start.Offset <= off && off <= r.Range.End.Offset {
			return r, true
		}
	}
	return compiler.Ref{}, false
}

// Hover shows what the name under the cursor resolves to in the workspace.
func (s *Server) Hover(ctx context.Context, params *protocol.HoverParams) (*protocol.Hover, error) {
	d := s.doc(params.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	r, ok := d.refAt(params.Position)
	if !ok || d.res.Workspace == nil {
		return nil, nil
	}
	rng := d.m.rangeOf(r.Range.Start.Offset, r.Range.End.Offset)
	return &protocol.Hover{
		Contents: &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: describe(d.res.Workspace, r)},
		Range:    &rng,
	}, nil
}

var kindNames = map[string]string{
	"team": "team", "user": "user", "ai_agent": "AI agent", "field": "contact field", "stage": "lifecycle stage",
	"closing_note": "closing note", "tag": "tag", "workflow": "workflow", "action": "custom action",
}

// describe renders a resolved name as Markdown.
func describe(ws *workspace.Workspace, r compiler.Ref) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** — %s", r.Name, kindNames[r.Kind])
	switch r.Kind {
	case "team":
		if t, ok := ws.Team(r.Name); ok {
			if len(t.Members) == 0 {
				b.WriteString("\n\nNo members.")
			} else {
				fmt.Fprintf(&b, "\n\nMembers: %s", strings.Join(t.Members, ", "))
			}
		}
	case "user":
		var teams []string
		for _, t := range ws.Teams {
			if slices.Contains(t.Members, r.Name) {
				teams = append(teams, t.Name.Name)
			}
		}
		if len(teams) > 0 {
			fmt.Fprintf(&b, "\n\nMember of: %s", strings.Join(teams, ", "))
		}
	case "field":
		if f, ok := ws.Field(r.Name); ok {
			fmt.Fprintf(&b, "\n\nType: %s", f.Type)
			if f.ID != "" {
				fmt.Fprintf(&b, " · id: `%s`", f.ID)
			}
			if len(f.Options) > 0 {
				fmt.Fprintf(&b, "\n\nOptions: %s", strings.Join(f.Options, ", "))
			}
		}
	case "stage":
		names := workspace.Names(ws.Stages)
		if i := slices.Index(names, r.Name); i >= 0 {
			fmt.Fprintf(&b, " (%d of %d)\n\n", i+1, len(names))
			for j, n := range names {
				if j > 0 {
					b.WriteString(" → ")
				}
				if j == i {
					fmt.Fprintf(&b, "**%s**", n)
				} else {
					b.WriteString(n)
				}
			}
		}
	case "workflow":
		if w, ok := ws.Workflow(r.Name); ok {
			if w.Published {
				b.WriteString("\n\nPublished.")
			} else {
				b.WriteString("\n\nNot published.")
			}
			if w.Trigger != "" {
				fmt.Fprintf(&b, " Runs on %s: %s %s.", w.Trigger, w.Action, w.Target)
			}
		}
	case "action":
		if a, ok := ws.Action(r.Name); ok {
			if a.Description != "" {
				fmt.Fprintf(&b, "\n\n%s", a.Description)
			}
			if a.Request.URL != "" {
				fmt.Fprintf(&b, "\n\n`%s %s`", a.Request.Method, a.Request.URL)
			}
			if len(a.Inputs) > 0 {
				var in []string
				for _, i := range a.Inputs {
					in = append(in, i.Name)
				}
				fmt.Fprintf(&b, "\n\nInputs: %s", strings.Join(in, ", "))
			}
		}
	}
	if r.Decl.Start.Line > 0 {
		fmt.Fprintf(&b, "\n\nDeclared in %s, line %d.", baseName(r.Decl.Filename), r.Decl.Start.Line)
	}
	return b.String()
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}
