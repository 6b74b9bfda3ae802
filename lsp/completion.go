package lsp

import (
	"context"
	"regexp"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/instrc/instrc/workspace"
)

// candidate is one name that may be completed.
type candidate struct {
	name, detail string
	kind         protocol.CompletionItemKind
}

// contexts recognise, from the text of the line before the cursor, what
// kind of name is being written. Each regexp ends at the cursor; its last
// group is the part of the name already typed, and a quote group (when
// present) says that a quote is open. French forms accept their accents or
// none, as the grammar does.
var contexts = []struct {
	re   *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`\{\{\s*\$contact\.([\p{L}\p{N}_-]*)$`), "var"},
	{regexp.MustCompile(`\$contact\.([\p{L}\p{N}_-]*)$`), "var"},
	{regexp.MustCompile(`(?:^|[^\p{L}\p{N}_])@(["“]?)([\p{L}\p{N}_.'’&-]*)$`), "assignee"},
	{regexp.MustCompile(`(?:^|[^\p{L}\p{N}_])%(["“]?)([\p{L}\p{N}_.'’&-]*)$`), "tag"},
	{regexp.MustCompile(`(?:^|[^\p{L}\p{N}_])!(["“]?)([\p{L}\p{N}_.'’&-]*)$`), "run"},
	{regexp.MustCompile(`(?i)(?:closing note|note de cl[oô]ture)\s+(["“]|«\s?)?([^"”»\n,.]*)$`), "note"},
	{regexp.MustCompile(`(?i)(?:(?:lifecycle stage|lifecycle|stage) to|[ée]tape du cycle de vie [àa]|stage de vie [àa]|[àa] l['’][ée]tape)\s+(["“]|«\s?)?([^"”»\n,.]*)$`), "stage"},
	{regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:field|champ)\s+(["“]|«\s?)?([^"”»\n,.]*)$`), "field"},
}

// Completion proposes the workspace's names that fit where the cursor is:
// assignees after @, tags after %, workflows and actions after !, field ids
// after $contact., closing notes after "closing note", stages after
// "lifecycle stage to", fields after "field" (and the French forms).
func (s *Server) Completion(ctx context.Context, params *protocol.CompletionParams) (protocol.CompletionResult, error) {
	d := s.doc(params.TextDocument.URI)
	empty := &protocol.CompletionList{Items: []protocol.CompletionItem{}}
	if d == nil || d.res == nil || d.res.Workspace == nil {
		return empty, nil
	}
	cursor := d.m.offset(params.Position)
	lineStart := d.m.offset(protocol.Position{Line: params.Position.Line})
	before := string(d.text[lineStart:cursor])
	for _, c := range contexts {
		sm := c.re.FindStringSubmatchIndex(before)
		if sm == nil {
			continue
		}
		n := len(sm)
		typedStart := lineStart + sm[n-2]
		quoted := n >= 6 && sm[n-4] >= 0 && sm[n-4] < sm[n-3]
		cands := candidates(d.res.Workspace, c.what)
		items := make([]protocol.CompletionItem, 0, len(cands))
		for i, cd := range cands {
			insert := cd.name
			if !quoted && strings.Contains(cd.name, " ") && (c.what == "note" || c.what == "stage") {
				insert = `"` + cd.name + `"`
			}
			detail := cd.detail
			items = append(items, protocol.CompletionItem{
				Label:      cd.name,
				Kind:       cd.kind,
				Detail:     protocol.NewOptional(detail),
				SortText:   protocol.NewOptional(sortKey(i)),
				FilterText: protocol.NewOptional(cd.name),
				TextEdit: &protocol.TextEdit{
					Range:   d.m.rangeOf(typedStart, cursor),
					NewText: insert,
				},
			})
		}
		return &protocol.CompletionList{Items: items}, nil
	}
	return empty, nil
}

// sortKey keeps the workspace's own order.
func sortKey(i int) string {
	const digits = "0123456789"
	return string([]byte{digits[i/100%10], digits[i/10%10], digits[i%10]})
}

// candidates lists the names of one kind, in the workspace's order.
func candidates(ws *workspace.Workspace, what string) []candidate {
	var out []candidate
	add := func(names []workspace.Name, detail string, kind protocol.CompletionItemKind) {
		for _, n := range names {
			out = append(out, candidate{n.Name, detail, kind})
		}
	}
	switch what {
	case "assignee":
		for _, t := range ws.Teams {
			detail := "team"
			if len(t.Members) > 0 {
				detail += ": " + strings.Join(t.Members, ", ")
			}
			out = append(out, candidate{t.Name.Name, detail, protocol.CompletionItemKindClass})
		}
		add(ws.Users, "user", protocol.CompletionItemKindReference)
		add(ws.AIAgents, "AI agent", protocol.CompletionItemKindReference)
	case "tag":
		add(ws.Tags, "tag", protocol.CompletionItemKindEnumMember)
	case "run":
		for _, w := range ws.Workflows {
			if w.Published {
				out = append(out, candidate{w.Name.Name, "workflow", protocol.CompletionItemKindFunction})
			}
		}
		for _, a := range ws.Actions {
			detail := "custom action"
			if a.Description != "" {
				detail += ": " + a.Description
			}
			out = append(out, candidate{a.Name.Name, detail, protocol.CompletionItemKindFunction})
		}
	case "note":
		add(ws.ClosingNotes, "closing note", protocol.CompletionItemKindEnumMember)
	case "stage":
		add(ws.Stages, "lifecycle stage", protocol.CompletionItemKindEnumMember)
	case "field":
		for _, f := range ws.Fields {
			out = append(out, candidate{f.Name.Name, f.Type + " field", protocol.CompletionItemKindField})
		}
	case "var":
		// $contact.x takes one word: the field's id, or its name when that
		// is a single word.
		for _, f := range ws.Fields {
			name := f.ID
			if name == "" {
				name = f.Name.Name
			}
			if strings.ContainsAny(name, " \t") {
				continue
			}
			out = append(out, candidate{name, f.Name.Name + " (" + f.Type + ")", protocol.CompletionItemKindField})
		}
	}
	return out
}
