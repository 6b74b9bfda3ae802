package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/config"
	"github.com/instrc/instrc/diag"
)

// lintWith runs `instrc lint` with args and returns stdout, stderr and the
// exit status.
func lintWith(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"lint"}, args...), nil, &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

// sarifSchema compiles the official SARIF 2.1.0 schema kept in testdata
// (OASIS errata01), with format assertions on.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	require.NoError(t, c.AddResource("sarif-schema-2.1.0.json", doc))
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	require.NoError(t, err)
	return sch
}

func TestSARIFIsValidAgainstTheOfficialSchema(t *testing.T) {
	sch := sarifSchema(t)
	for _, file := range []string{"../../examples/mistakes/agent.instr", "../../examples/boutique/agent.instr"} {
		out, stderr, _ := lintWith(t, "--format", "sarif", file)
		require.Empty(t, stderr)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(out)))
		require.NoError(t, err)
		assert.NoError(t, sch.Validate(inst), file)
	}
}

func TestSchemaRejectsBrokenSARIF(t *testing.T) {
	// The schema check must be able to fail: a result without a message is
	// not SARIF.
	sch := sarifSchema(t)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"a"}]}]}`)))
	require.NoError(t, err)
	assert.Error(t, sch.Validate(inst))
}

// sarifLog is the part of a SARIF log the tests look at.
type sarifLog struct {
	Runs []struct {
		ColumnKind string `json:"columnKind"`
		Tool       struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID               string `json:"id"`
					ShortDescription struct{ Text string }
					Help             struct{ Text, Markdown string }
					Default          struct{ Level string } `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []sarifResultView `json:"results"`
	} `json:"runs"`
}

type sarifRegionView struct {
	StartLine, StartColumn, EndLine, EndColumn int
}

type sarifResultView struct {
	RuleID    string `json:"ruleId"`
	RuleIndex int    `json:"ruleIndex"`
	Level     string `json:"level"`
	Message   struct{ Text string }
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation struct{ URI string }
			Region           sarifRegionView
		}
	}
	Fixes []struct {
		ArtifactChanges []struct {
			ArtifactLocation struct{ URI string }
			Replacements     []struct {
				DeletedRegion   sarifRegionView
				InsertedContent struct{ Text string }
			}
		}
	}
}

func TestSARIFHasOneRulePerCodeAndFixesForSuggestions(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "workspace.yaml")
	require.NoError(t, os.WriteFile(ws, []byte("tags: [Pricing]\nclosing_notes: [Issue Resolved]\n"), 0o644))
	// "Prícing" has an accent: columns count characters, not bytes.
	file := filepath.Join(dir, "agent.instr")
	require.NoError(t, os.WriteFile(file, []byte("---\nworkspace: workspace.yaml\n---\n- If the contact asks about the prices, add %Prícing.\n"), 0o644))

	out, _, code := lintWith(t, "-f", "sarif", file)
	assert.Equal(t, exitErrors, code)
	var log sarifLog
	require.NoError(t, json.Unmarshal([]byte(out), &log))
	require.Len(t, log.Runs, 1)
	r := log.Runs[0]
	assert.Equal(t, "unicodeCodePoints", r.ColumnKind)
	assert.Equal(t, "instrc", r.Tool.Driver.Name)
	require.Len(t, r.Tool.Driver.Rules, len(diag.Rules))
	for i, rule := range r.Tool.Driver.Rules {
		assert.Equal(t, diag.Rules[i].Code, rule.ID)
		assert.NotEmpty(t, rule.Help.Text, rule.ID)
		assert.NotEmpty(t, rule.Help.Markdown, rule.ID)
		assert.Equal(t, diag.Rules[i].Severity.String(), rule.Default.Level, rule.ID)
	}
	require.Len(t, r.Results, 1)
	got := r.Results[0]
	assert.Equal(t, "unknown-tag", got.RuleID)
	assert.Equal(t, "unknown-tag", r.Tool.Driver.Rules[got.RuleIndex].ID)
	assert.Equal(t, "error", got.Level)
	uri := sarifURI(file)
	wantRegion := sarifRegionView{StartLine: 4, StartColumn: 45, EndLine: 4, EndColumn: 53}
	if diff := cmp.Diff(wantRegion, got.Locations[0].PhysicalLocation.Region); diff != "" {
		t.Errorf("region (-want +got):\n%s", diff)
	}
	assert.Equal(t, uri, got.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	require.Len(t, got.Fixes, 1)
	ch := got.Fixes[0].ArtifactChanges[0]
	assert.Equal(t, uri, ch.ArtifactLocation.URI)
	assert.Equal(t, "%Pricing", ch.Replacements[0].InsertedContent.Text, "the sigil stays")
	assert.Equal(t, got.Locations[0].PhysicalLocation.Region, ch.Replacements[0].DeletedRegion)
}

func TestSARIFURI(t *testing.T) {
	wd, err := os.Getwd()
	require.NoError(t, err)
	assert.Equal(t, "a/b%20c.instr", sarifURI(filepath.Join(wd, "a", "b c.instr")))
	assert.Equal(t, "x.instr", sarifURI("./x.instr"))
	assert.Equal(t, "file:///elsewhere/x.instr", sarifURI("/elsewhere/x.instr"))
}

// githubAnchors returns the anchors GitHub gives the headings of a Markdown
// file: lower case, punctuation other than hyphens dropped, spaces as
// hyphens.
func githubAnchors(t *testing.T, path string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	out := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		title := strings.TrimSpace(strings.TrimLeft(line, "#"))
		var a strings.Builder
		for _, r := range strings.ToLower(title) {
			switch {
			case r == ' ':
				a.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				a.WriteRune(r)
			}
		}
		out[a.String()] = true
	}
	return out
}

func TestSARIFRulesLinkToTheirSectionAndResultsHaveFingerprints(t *testing.T) {
	anchors := githubAnchors(t, filepath.Join("..", "..", "docs", "diagnostics.md"))
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--format", "sarif", "../../examples/mistakes/agent.instr", filepath.Join(dir, "missing.instr")},
		{"--format", "sarif", "--quiet", "../../examples/mistakes/agent.instr", "../../examples/boutique/agent.instr"},
	} {
		out, _, _ := lintWith(t, args...)
		assert.NotContains(t, out, "-1", "a placeholder -1 is left in the log")
		var log struct {
			Runs []struct {
				Tool struct {
					Driver struct {
						Version string
						Rules   []struct{ ID, HelpURI string }
					}
				}
				Results []struct {
					RuleID              string
					RuleIndex           int
					PartialFingerprints map[string]string
				}
			}
		}
		require.NoError(t, json.Unmarshal([]byte(out), &log))
		run := log.Runs[0]
		assert.Equal(t, version(), run.Tool.Driver.Version)
		for _, r := range run.Tool.Driver.Rules {
			anchor, ok := strings.CutPrefix(r.HelpURI, sarifHelpBase)
			if assert.True(t, ok, "rule %s has helpUri %q", r.ID, r.HelpURI) {
				assert.True(t, anchors[anchor], "docs/diagnostics.md has no section #%s for rule %s", anchor, r.ID)
			}
		}
		seen := map[string]bool{}
		for _, res := range run.Results {
			assert.Equal(t, res.RuleID, run.Tool.Driver.Rules[res.RuleIndex].ID)
			fp := res.PartialFingerprints[fingerprintKey]
			assert.Regexp(t, `^[0-9a-f]{32}:\d+$`, fp, "result %s", res.RuleID)
			assert.False(t, seen[fp], "two results share fingerprint %s", fp)
			seen[fp] = true
		}
		assert.NotEmpty(t, run.Results)
	}
	// Every code lint can report has its section, the rule table's and
	// those outside it.
	for _, r := range diag.Rules {
		assert.True(t, anchors[r.Code], "docs/diagnostics.md has no section for %s", r.Code)
	}
	for _, code := range []string{UnreadableCode, config.Code, diag.CodeUnusedDisable} {
		assert.True(t, anchors[code], "docs/diagnostics.md has no section for %s", code)
	}
}

func TestFingerprintIgnoresLineMoves(t *testing.T) {
	text := "- If the contact asks, add %Pricng.\n"
	a := diag.NewSource("a.instr", []byte(text))
	b := diag.NewSource("a.instr", []byte("# Heading\n\n"+text))
	at := func(s *diag.Source) diag.Diagnostic {
		i := strings.Index(string(s.Text), "%Pricng")
		return diag.Diagnostic{Code: "unknown-tag", Range: s.Range(i, i+7)}
	}
	assert.Equal(t, fingerprint(at(a), a), fingerprint(at(b), b))
	other := at(a)
	other.Code = "syntax"
	assert.NotEqual(t, fingerprint(at(a), a), fingerprint(other, a))
}
