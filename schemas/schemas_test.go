package schemas

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/config"
	"github.com/instrc/instrc/internal/golden"
	"github.com/instrc/instrc/scenariotest"
	"github.com/instrc/instrc/workspace"
)

// TestSchemasUpToDate checks that the published schemas are what the types
// generate (go test ./schemas -update rewrites them).
func TestSchemasUpToDate(t *testing.T) {
	got, err := Generate()
	require.NoError(t, err)
	for name, b := range got {
		golden.CheckFile(t, name, b)
	}
}

// compile reads a published schema.
func compile(t *testing.T, file string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	require.NoError(t, c.AddResource(Base+file, doc))
	s, err := c.Compile(Base + file)
	require.NoError(t, err, "%s is no valid JSON Schema", file)
	return s
}

// asJSON reads YAML text as the JSON value a YAML language server checks.
func asJSON(t *testing.T, text []byte) any {
	t.Helper()
	var v any
	require.NoError(t, yaml.Unmarshal(text, &v))
	b, err := json.Marshal(v)
	require.NoError(t, err)
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	require.NoError(t, err)
	return out
}

// examples returns the files below ../examples whose names match.
func examples(t *testing.T, match func(name string) bool) []string {
	var out []string
	require.NoError(t, filepath.WalkDir(filepath.Join("..", "examples"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && match(d.Name()) {
			out = append(out, path)
		}
		return err
	}))
	require.NotEmpty(t, out)
	return out
}

// TestExamplesValidate checks every workspace, instrc.yaml and scenario
// test file of the examples against its schema; each is also loaded by
// instrc's own loader, which must accept it, so that the schema is never
// stricter than instrc.
func TestExamplesValidate(t *testing.T) {
	ws, cfg, tests := compile(t, WorkspaceFile), compile(t, ConfigFile), compile(t, TestFileFile)
	for _, path := range examples(t, func(n string) bool { return n == "workspace.yaml" || strings.HasSuffix(n, ".workspace.yaml") }) {
		text, err := os.ReadFile(path)
		require.NoError(t, err)
		_, ds := workspace.Load(path, text)
		require.Empty(t, ds, "%s loads", path)
		assert.NoError(t, ws.Validate(asJSON(t, text)), path)
	}
	for _, path := range examples(t, func(n string) bool { return n == config.FileName }) {
		text, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.NoError(t, cfg.Validate(asJSON(t, text)), path)
	}
	n := 0
	for _, path := range examples(t, func(n string) bool { return strings.HasSuffix(n, ".test.yaml") }) {
		_, err := scenariotest.LoadFile(path)
		require.NoError(t, err, "%s loads", path)
		text, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.NoError(t, tests.Validate(asJSON(t, text)), path)
		n++
	}
	t.Logf("%d scenario test files valid", n)
}

// TestGoldenWorkspaces checks the schema against the loader on the
// workspaces of the diagnostics goldens: each one the loader accepts is
// valid; the one with unknown keys and types is not.
func TestGoldenWorkspaces(t *testing.T) {
	ws := compile(t, WorkspaceFile)
	paths, err := filepath.Glob(filepath.Join("..", "compiler", "testdata", "diagnostics", "*.txtar"))
	require.NoError(t, err)
	for _, path := range paths {
		text, ok := golden.Read(t, path).File("workspace.yaml")
		require.True(t, ok)
		_, ds := workspace.Load("workspace.yaml", text)
		err := ws.Validate(asJSON(t, text))
		if ds.HasErrors() {
			assert.Error(t, err, "%s: the loader reports errors, the schema none", path)
		} else {
			assert.NoError(t, err, path)
		}
	}
}

var allowedRE = regexp.MustCompile(`allowed keys are ([a-z_, ]+)`)

// TestKeysAreTheLoaders checks that each mapping of the schemas has the keys
// the loader allows there, read from the loader's own message about an
// unknown key.
func TestKeysAreTheLoaders(t *testing.T) {
	props := func(t *testing.T, file string, path ...string) []string {
		b, err := os.ReadFile(file)
		require.NoError(t, err)
		var s map[string]any
		require.NoError(t, json.Unmarshal(b, &s))
		for _, p := range path {
			switch p {
			case "items":
				s = s["items"].(map[string]any)
			case "object": // the mapping of a name-or-mapping value
				for _, alt := range s["anyOf"].([]any) {
					if alt.(map[string]any)["type"] == "object" {
						s = alt.(map[string]any)
					}
				}
			default:
				s = s["properties"].(map[string]any)[p].(map[string]any)
			}
		}
		var keys []string
		for k := range s["properties"].(map[string]any) {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return keys
	}
	loaderKeys := func(t *testing.T, msgs []string) []string {
		for _, m := range msgs {
			if sm := allowedRE.FindStringSubmatch(m); sm != nil {
				keys := strings.Split(sm[1], ", ")
				slices.Sort(keys)
				return keys
			}
		}
		t.Fatalf("no message lists the allowed keys: %q", msgs)
		return nil
	}
	wsMessages := func(text string) []string {
		_, ds := workspace.Load("workspace.yaml", []byte(text))
		var out []string
		for _, d := range ds {
			out = append(out, d.Message)
		}
		return out
	}
	tests := []struct {
		name string
		yaml string
		path []string
	}{
		{"workspace", "zzz: 1\n", nil},
		{"contact field", "contact_fields:\n  - {name: A, zzz: 1}\n", []string{"contact_fields", "items"}},
		{"team", "teams:\n  - {name: A, zzz: 1}\n", []string{"teams", "items", "object"}},
		{"workflow", "workflows:\n  - {name: a, zzz: 1}\n", []string{"workflows", "items", "object"}},
		{"action", "actions:\n  - {name: a, zzz: 1}\n", []string{"actions", "items"}},
		{"input", "actions:\n  - {name: a, inputs: [{name: b, zzz: 1}]}\n", []string{"actions", "items", "inputs", "items"}},
		{"request", "actions:\n  - {name: a, request: {zzz: 1}}\n", []string{"actions", "items", "request"}},
		{"auth", "actions:\n  - {name: a, request: {auth: {zzz: 1}}}\n", []string{"actions", "items", "request", "auth"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, loaderKeys(t, wsMessages(tt.yaml)), props(t, WorkspaceFile, tt.path...))
		})
	}
	t.Run("instrc.yaml", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, config.FileName)
		require.NoError(t, os.WriteFile(p, []byte("zzz: 1\n"), 0o644))
		_, ds, err := config.LoadFile(p)
		require.NoError(t, err)
		var msgs []string
		for _, d := range ds {
			msgs = append(msgs, d.Message)
		}
		assert.Equal(t, loaderKeys(t, msgs), props(t, ConfigFile))
	})
}

// TestTestFileSchema checks small test files in English and French: the
// schema agrees with the loader on each.
func TestTestFileSchema(t *testing.T) {
	s := compile(t, TestFileFile)
	tests := []struct {
		name, yaml string
		valid      bool
	}{
		{"English", "cases:\n  - name: pricing\n    contact: {fields: {Budget: 5000}}\n    conversation:\n      - contact: How much is it?\n        expect: {scenario: line 3, actions: [update_tags, {kind: assign, target: Sales Team, status: ok}], reply_contains: price, no_reply: false}\n", true},
		{"French", "cas:\n  - nom: tarifs\n    client: {champs: {Prénom: Léa}, étiquettes: [VIP]}\n    appels:\n      statut_commande: {statut: 404, corps: {erreur: introuvable}}\n    conversation:\n      - client: Combien ça coûte ? 😀\n        attendu: {scénario: aucun, actions: [{type: update_tags, cible: Cadeau, statut: réussi}], réponse_contient: [prix]}\n", true},
		{"unknown key", "cases:\n  - name: x\n    conversation:\n      - contact: hi\n        expected: {scenario: s1}\n", false},
		{"no cases", "agent: agent.instr\n", false},
		{"bad status", "cases:\n  - conversation:\n      - contact: hi\n        expect: {actions: [{kind: close, status: done}]}\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, loadErr := scenariotest.Parse("agent.test.yaml", []byte(tt.yaml))
			err := s.Validate(asJSON(t, []byte(tt.yaml)))
			if tt.valid {
				assert.NoError(t, loadErr, "the loader accepts it")
				assert.NoError(t, err)
			} else {
				assert.Error(t, loadErr, "the loader refuses it")
				assert.Error(t, err)
			}
		})
	}
}
