package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const historyDir = "../../examples/support/history"

func TestSimulateCSVMatchesJSONL(t *testing.T) {
	j, err := readConversations(filepath.Join(historyDir, "conversations.jsonl"))
	require.NoError(t, err)
	c, err := readConversations(filepath.Join(historyDir, "conversations.csv"))
	require.NoError(t, err)
	require.Len(t, c, len(j))
	for i := range j {
		assert.Equal(t, j[i].ID, c[i].ID)
		// The CSV export carries no expected scenarios.
		assert.Empty(t, cmp.Diff(j[i].Messages, c[i].Messages, cmpopts.IgnoreFields(simMessage{}, "Expect")), j[i].ID)
	}
}

func TestCSVOrderAndErrors(t *testing.T) {
	got, err := parseCSVConversations("h.csv", strings.NewReader("conversation_id,timestamp,role,text\n"+
		"b,2025-03-05T10:00:05Z,customer,second\nb,2025-03-05T10:00:01Z,contact,\"first, with a comma\"\na,1741168800,agent,hello\n"))
	require.NoError(t, err)
	want := []simConversation{
		{ID: "b", Messages: []simMessage{{Role: "contact", Text: "first, with a comma"}, {Role: "contact", Text: "second"}}},
		{ID: "a", Messages: []simMessage{{Role: "agent", Text: "hello"}}},
	}
	assert.Empty(t, cmp.Diff(want, got))
	for text, msg := range map[string]string{
		"a,2025-03-05T10:00:00Z,contact,hi\na,yesterday,contact,hi\n": `h.csv:2: timestamp "yesterday"`,
		"a,2025-03-05T10:00:00Z,robot,hi\n":                           `h.csv:1: role "robot": use contact or agent`,
		"a,2025-03-05T10:00:00Z,contact\n":                            "h.csv:1: 3 columns",
		"a,2025-03-05T10:00:00Z,contact,\"open\n":                     "h.csv:1:",
		",2025-03-05T10:00:00Z,contact,hi\n":                          "h.csv:1: the conversation id is empty",
	} {
		_, err := parseCSVConversations("h.csv", strings.NewReader(text))
		if assert.Error(t, err, text) {
			assert.Contains(t, err.Error(), msg)
		}
	}
}

func TestSimulateTextReport(t *testing.T) {
	cmd := &SimulateCmd{RunFlags: RunFlags{File: "../../examples/support/agent.instr"}, Report: "text",
		Conversations: filepath.Join(historyDir, "conversations.csv"), Now: "2025-03-05T10:00:00Z"}
	stdout, stderr, err := runCmd(t, cmd.Run, "")
	require.NoError(t, err, stderr)
	assert.Contains(t, stdout, "Simulation: 300 conversations, 536 contact messages")
	assert.Regexp(t, `automated +\d+ +\d+\.\d%`, stdout)
	assert.Contains(t, stdout, `s11  line 35     29    87 /   0 /   0    29  the contact wants to cancel their contract`)
	assert.Regexp(t, `\d+ × "do you have parental controls\?"`, stdout)
	assert.Contains(t, stdout, "7 scenarios never fired")
}

// TestHTMLReportRendersInChromium renders the support example's report in
// headless Chromium, checks that the charts and tables are in the DOM and
// keeps a screenshot in the test's artifact folder.
func TestHTMLReportRendersInChromium(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is needed to check the HTML report: install it (apt-get install -y chromium): %v", err)
	}
	out := t.ArtifactDir() // kept with go test -artifacts
	html := filepath.Join(out, "report.html")
	cmd := &SimulateCmd{RunFlags: RunFlags{File: "../../examples/support/agent.instr"}, Report: "json", HTML: html,
		Conversations: filepath.Join(historyDir, "conversations.jsonl"), Now: "2025-03-05T10:00:00Z"}
	_, stderr, err := runCmd(t, cmd.Run, "")
	require.NoError(t, err, stderr)
	page, err := os.ReadFile(html)
	require.NoError(t, err)
	assert.NotRegexp(t, `(src|href)=`, string(page), "the report is self-contained")

	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--user-data-dir=" + t.TempDir()}
	shot := filepath.Join(out, "report.png")
	run := exec.Command(chromium, append(args, "--screenshot="+shot, "--window-size=1280,2000", "file://"+html)...)
	b, err := run.CombinedOutput()
	require.NoError(t, err, string(b))
	info, err := os.Stat(shot)
	require.NoError(t, err, "the screenshot is written")
	assert.Greater(t, info.Size(), int64(10000))
	t.Logf("screenshot: %s", shot)

	dom, err := exec.Command(chromium, append(args, "--dump-dom", "file://"+html)...).Output()
	require.NoError(t, err)
	d := string(dom)
	for _, id := range []string{`<svg id="outcome-chart"`, `<svg id="fires-chart"`, `<table id="scenarios"`, `<table id="gaps"`, `<table id="failures"`} {
		assert.Contains(t, d, id)
	}
	assert.GreaterOrEqual(t, strings.Count(d, "<rect"), 10, "the charts have bars")
	assert.Contains(t, d, "the contact wants to cancel their contract")
}
