package schemas

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"

	"github.com/invopop/jsonschema"

	"github.com/instrc/instrc/scenariotest"
)

// Base is where the schemas are published: their $id is Base + file name.
const Base = "https://raw.githubusercontent.com/instrc/instrc/main/schemas/"

// File names of the schemas, in this folder.
const (
	WorkspaceFile = "workspace.schema.json"
	ConfigFile    = "instrc.schema.json"
	TestFileFile  = "scenario-test.schema.json"
)

// Generate returns each schema by file name, as indented JSON.
func Generate() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, s := range []struct {
		file, title string
		v           any
		french      bool
	}{
		{WorkspaceFile, "instrc workspace (workspace.yaml)", &Workspace{}, false},
		{ConfigFile, "instrc project settings (instrc.yaml)", &Config{}, false},
		{TestFileFile, "instrc scenario tests (*.test.yaml)", &TestFile{}, true},
	} {
		r := &jsonschema.Reflector{RequiredFromJSONSchemaTags: true, DoNotReference: true}
		schema := r.Reflect(s.v)
		schema.ID = jsonschema.ID(Base + s.file)
		schema.Title = s.title
		if s.french {
			addAliases(schema, scenariotest.KeyAliases())
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(schema); err != nil {
			return nil, err
		}
		out[s.file] = buf.Bytes()
	}
	return out, nil
}

// nameOr is the schema of a value written as a bare name or as the mapping
// v describes.
func nameOr(v any, nameDescription string) *jsonschema.Schema {
	r := &jsonschema.Reflector{RequiredFromJSONSchemaTags: true, DoNotReference: true}
	obj := r.Reflect(v)
	obj.Version, obj.ID = "", ""
	return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{{Type: "string", Description: nameDescription}, obj}}
}

// addAliases adds, next to each property of every object, the other
// spellings of its key (French ones: nom for name, attendu for expect),
// with the same schema, and lets required keys be given in either.
func addAliases(s *jsonschema.Schema, aliases map[string]string) {
	if s == nil {
		return
	}
	if s.Properties != nil {
		var keys []string
		for p := s.Properties.Oldest(); p != nil; p = p.Next() {
			keys = append(keys, p.Key)
		}
		for _, k := range keys {
			sub, _ := s.Properties.Get(k)
			addAliases(sub, aliases)
			for _, a := range slices.Sorted(maps.Keys(aliases)) {
				if aliases[a] == k && a != k {
					s.Properties.Set(a, sub)
				}
			}
		}
		// A required key may be written in any of its spellings.
		var any []*jsonschema.Schema
		var required []string
		for _, k := range s.Required {
			var one []*jsonschema.Schema
			for _, a := range slices.Sorted(maps.Keys(aliases)) {
				if aliases[a] == k {
					one = append(one, &jsonschema.Schema{Required: []string{a}})
				}
			}
			if len(one) > 1 {
				any = append(any, &jsonschema.Schema{AnyOf: one})
			} else {
				required = append(required, k)
			}
		}
		s.Required = required
		s.AllOf = append(s.AllOf, any...)
	}
	addAliases(s.Items, aliases)
	if s.AdditionalProperties != nil {
		addAliases(s.AdditionalProperties, aliases)
	}
	for _, sub := range s.AnyOf {
		addAliases(sub, aliases)
	}
	for _, sub := range s.OneOf {
		addAliases(sub, aliases)
	}
}
