package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// multitoolFindings validates a SARIF log with the SARIF Multitool, its
// GitHub rules (what code scanning requires) and its SARIF rules, and
// returns each finding as "RULE level: message".
func multitoolFindings(t *testing.T, tool string, log []byte) []string {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.sarif"), filepath.Join(dir, "out.sarif")
	require.NoError(t, os.WriteFile(in, log, 0o644))
	cmd := exec.Command(tool, "validate", "--rule-kind", "Gh;Sarif", "--level", "Error;Warning;Note", "--output", out, in)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", msg)
	b, err := os.ReadFile(out)
	require.NoError(t, err, "%s", msg)
	var res struct {
		Runs []struct {
			Results []struct {
				RuleID  string `json:"ruleId"`
				Level   string `json:"level"`
				Message struct {
					ID        string   `json:"id"`
					Arguments []string `json:"arguments"`
				} `json:"message"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(b, &res))
	var found []string
	for _, r := range res.Runs[0].Results {
		found = append(found, r.RuleID+" "+r.Level+": "+r.Message.ID+" "+strings.Join(r.Message.Arguments, ", "))
	}
	return found
}

// TestSARIFMultitool checks lint's SARIF with the SARIF Multitool
// (npm @microsoft/sarif-multitool): no finding of a GitHub rule (GH…), no
// error or warning of a SARIF rule. It runs when SARIF_MULTITOOL names the
// tool's binary; CI (.ci/run) installs it.
func TestSARIFMultitool(t *testing.T) {
	tool := os.Getenv("SARIF_MULTITOOL")
	if tool == "" {
		t.Skip("SARIF_MULTITOOL is not set (npm install @microsoft/sarif-multitool; the binary is node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool)")
	}
	tool, err := filepath.Abs(tool)
	require.NoError(t, err)
	// From the repository root, as CI runs lint: relative paths.
	t.Chdir(filepath.Join("..", ".."))
	var out, errb bytes.Buffer
	run([]string{"lint", "--format", "sarif", "examples/mistakes/agent.instr", "examples/boutique/agent.instr", "missing.instr"}, strings.NewReader(""), &out, &errb)
	require.Contains(t, out.String(), `"ruleId": "unreadable"`)

	for _, f := range multitoolFindings(t, tool, out.Bytes()) {
		rule, level, _ := strings.Cut(f, " ")
		level, _, _ = strings.Cut(level, ":")
		if strings.HasPrefix(rule, "GH") || level == "error" {
			t.Errorf("SARIF Multitool: %s", f)
		}
		// A development build's version is "devel", which SARIF2005 asks
		// to be numeric; an installed instrc has its module version.
		if level == "warning" && !strings.Contains(f, "UseNumericToolVersions") {
			t.Errorf("SARIF Multitool: %s", f)
		}
	}

	// The check can fail: a result without a location breaks GitHub's rules.
	var log map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &log))
	res := log["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)
	delete(res, "locations")
	bad, err := json.Marshal(log)
	require.NoError(t, err)
	gh := 0
	for _, f := range multitoolFindings(t, tool, bad) {
		if strings.HasPrefix(f, "GH") {
			gh++
		}
	}
	assert.Positive(t, gh, "a result without locations gets GitHub-rule findings")
}
