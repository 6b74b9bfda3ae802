package main

import (
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// speakFile has espeak-ng say text into dir/name (WAV) and returns the
// file's bytes.
func speakFile(t *testing.T, dir, name, voice, text string) []byte {
	t.Helper()
	bin, err := exec.LookPath("espeak-ng")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("espeak-ng is not installed (.ci/run installs it)")
		}
		t.Skip("espeak-ng is not installed")
	}
	p := filepath.Join(dir, name)
	out, err := exec.Command(bin, "-v", voice, "-w", p, text).CombinedOutput()
	require.NoError(t, err, string(out))
	data, err := os.ReadFile(p)
	require.NoError(t, err)
	return data
}

// fakeTranscriptions serves /v1/audio/transcriptions for the files it was
// told about (by content), and points OPENAI_BASE_URL at itself.
func fakeTranscriptions(t *testing.T, known map[[32]byte]string) *int {
	var mu sync.Mutex
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, _, err := r.FormFile("file")
		if r.URL.Path != "/v1/audio/transcriptions" || err != nil || r.FormValue("model") != "whisper-1" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		data, _ := io.ReadAll(f)
		text, ok := known[sha256.Sum256(data)]
		if !ok {
			http.Error(w, "unknown audio", http.StatusBadRequest)
			return
		}
		mu.Lock()
		calls++
		mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]string{"text": text})
	}))
	t.Cleanup(srv.Close)
	t.Setenv("OPENAI_BASE_URL", srv.URL+"/v1")
	t.Setenv("OPENAI_API_KEY", "test-key")
	t.Setenv("INSTRC_MODEL", "")
	return &calls
}

// `instrc chat` takes a voice message with /audio FILE: it shows what was
// heard, then handles it as text.
func TestChatAudioMessage(t *testing.T) {
	dir := t.TempDir()
	const said = "I want to cancel my contract"
	wav := speakFile(t, dir, "voice.wav", "en", said)
	calls := fakeTranscriptions(t, map[[32]byte]string{sha256.Sum256(wav): said})
	cmd := &ChatCmd{RunFlags: RunFlags{File: "../../examples/support/agent.instr"}}
	stdout, stderr, err := runCmd(t, cmd.Run, "/audio "+filepath.Join(dir, "voice.wav")+"\n/audio "+filepath.Join(dir, "missing.ogg")+"\n/quit\n")
	require.NoError(t, err, stderr)
	assert.Contains(t, stdout, "  heard: "+said+"\n  scenario: s11")
	assert.Contains(t, stdout, "cannot read the audio file")
	assert.Equal(t, 1, *calls)
}

// `instrc simulate` reads a message's "audio" file (relative to the
// conversations file), in English and in French, and shows the transcript.
func TestSimulateAudioMessages(t *testing.T) {
	dir := t.TempDir()
	en := speakFile(t, dir, "en.wav", "en", "I want to cancel my contract")
	fr := speakFile(t, dir, "fr.wav", "fr", "Je veux résilier mon contrat")
	fakeTranscriptions(t, map[[32]byte]string{sha256.Sum256(en): "I want to cancel my contract", sha256.Sum256(fr): "Je veux résilier mon contrat"})
	convs := writeFile(t, dir, "convs.jsonl", `{"id": "c1", "messages": [{"role": "contact", "audio": "en.wav"}, {"role": "agent", "text": "Sorry to see you go."}, {"role": "contact", "text": "thanks"}]}
{"id": "c2", "messages": [{"role": "contact", "audio": "fr.wav"}]}
`)
	cmd := &SimulateCmd{RunFlags: RunFlags{File: "../../examples/support/agent.instr"}, Conversations: convs, Report: "json", Now: "2025-03-05T10:00:00Z"}
	stdout, stderr, err := runCmd(t, cmd.Run, "")
	require.NoError(t, err, stderr)
	var got struct {
		Conversations []struct {
			Turns []struct {
				Scenario   *string `json:"scenario"`
				Transcript string  `json:"transcript"`
				Language   string  `json:"language"`
				Fallback   string  `json:"fallback"`
			} `json:"turns"`
		} `json:"conversations"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &got))
	require.Len(t, got.Conversations, 2)
	t1 := got.Conversations[0].Turns[0]
	assert.Equal(t, "I want to cancel my contract", t1.Transcript)
	require.NotNil(t, t1.Scenario, t1.Fallback)
	assert.Equal(t, "s11", *t1.Scenario)
	assert.Equal(t, "en", t1.Language)
	assert.Empty(t, got.Conversations[0].Turns[1].Transcript, "a text message has no transcript")
	t2 := got.Conversations[1].Turns[0]
	assert.Equal(t, "Je veux résilier mon contrat", t2.Transcript)
	assert.Equal(t, "fr", t2.Language)
	assert.True(t, strings.Contains(stdout, `"transcript"`))
}
