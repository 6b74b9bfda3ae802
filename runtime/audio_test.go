package runtime_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/runtime"
)

// speak has espeak-ng say text in a language ("en", "fr") into a WAV file.
func speak(t *testing.T, lang, text string) []byte {
	t.Helper()
	bin, err := exec.LookPath("espeak-ng")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("espeak-ng is not installed (.ci/run installs it)")
		}
		t.Skip("espeak-ng is not installed")
	}
	out := filepath.Join(t.TempDir(), "speech.wav")
	cmd := exec.Command(bin, "-v", lang, "-w", out, text)
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, string(b))
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	return data
}

// speechSeconds reads a 16-bit PCM WAV file and returns how long it lasts
// and the loudness of its samples (RMS, 0..1): a file of silence or noise
// is not speech espeak-ng made.
func speechSeconds(t *testing.T, wav []byte) (seconds, rms float64) {
	t.Helper()
	require.Greater(t, len(wav), 44)
	require.Equal(t, "RIFF", string(wav[:4]))
	require.Equal(t, "WAVE", string(wav[8:12]))
	var rate uint32
	var bits uint16
	for off := 12; off+8 <= len(wav); {
		id, size := string(wav[off:off+4]), int(binary.LittleEndian.Uint32(wav[off+4:off+8]))
		body := wav[off+8 : min(off+8+size, len(wav))]
		switch id {
		case "fmt ":
			rate, bits = binary.LittleEndian.Uint32(body[4:8]), binary.LittleEndian.Uint16(body[14:16])
		case "data":
			require.Equal(t, uint16(16), bits)
			n := len(body) / 2
			var sum float64
			for i := range n {
				s := float64(int16(binary.LittleEndian.Uint16(body[2*i:]))) / 32768
				sum += s * s
			}
			return float64(n) / float64(rate), math.Sqrt(sum / float64(n))
		}
		off += 8 + size + size%2
	}
	t.Fatal("no data chunk")
	return 0, 0
}

// transcriptionServer is a local OpenAI-compatible /v1/audio/transcriptions
// endpoint. It knows the speech it was given by its hash (the test tells it
// what espeak-ng said), and checks what it receives as the real endpoint
// would: a multipart form with the model and the file.
type transcriptionServer struct {
	*httptest.Server
	mu      sync.Mutex
	known   map[[32]byte]string
	got     []transcriptionRequest
	failure int // an HTTP status to answer with instead
}

type transcriptionRequest struct {
	Model, Language, Filename, ContentType, Auth string
	Size                                         int
}

func newTranscriptionServer(t *testing.T) *transcriptionServer {
	s := &transcriptionServer{known: map[[32]byte]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/audio/transcriptions" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f, fh, err := r.FormFile("file")
		if err != nil {
			http.Error(w, `{"error": {"message": "file is required"}}`, http.StatusBadRequest)
			return
		}
		data, _ := io.ReadAll(f)
		s.mu.Lock()
		s.got = append(s.got, transcriptionRequest{Model: r.FormValue("model"), Language: r.FormValue("language"), Filename: fh.Filename,
			ContentType: fh.Header.Get("Content-Type"), Auth: r.Header.Get("Authorization"), Size: len(data)})
		text, ok := s.known[sha256.Sum256(data)]
		failure := s.failure
		s.mu.Unlock()
		if failure != 0 {
			http.Error(w, `{"error": {"message": "overloaded"}}`, failure)
			return
		}
		if !ok {
			http.Error(w, `{"error": {"message": "could not decode the audio"}}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"text": text})
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *transcriptionServer) learn(audio []byte, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known[sha256.Sum256(audio)] = text
}

func (s *transcriptionServer) requests() []transcriptionRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]transcriptionRequest(nil), s.got...)
}

func (s *transcriptionServer) transcriber() *runtime.OpenAITranscriber {
	return &runtime.OpenAITranscriber{BaseURL: s.URL + "/v1", APIKey: "test-key", HTTPClient: s.Client()}
}

// A voice message, spoken by espeak-ng in English and in French, is sent
// to the transcription endpoint and then handled as the text it says.
func TestAudioMessageSpoken(t *testing.T) {
	tests := []struct {
		lang, said, scenario string
	}{
		{"en", "I want a refund, my order arrived broken.", "s3"},
		{"fr", "Je voudrais un remboursement, ma commande est arrivée cassée.", "s3"},
	}
	srv := newTranscriptionServer(t)
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			wav := speak(t, tt.lang, tt.said)
			secs, rms := speechSeconds(t, wav)
			assert.Greater(t, secs, 1.0, "espeak-ng spoke for more than a second")
			assert.Greater(t, rms, 0.01, "and it is not silence")
			srv.learn(wav, tt.said)
			e, _ := newEngine(t, acmePlan(t), runtime.Options{Transcriber: srv.transcriber()})
			r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c-" + tt.lang, MessageID: "m1",
				Audio: &runtime.Audio{Name: "voice-note.wav", Data: wav}})
			require.NoError(t, err)
			assert.Equal(t, tt.said, r.Transcript)
			assert.Equal(t, tt.scenario, r.Scenario, r.Why)
			assert.Equal(t, tt.lang, r.Language)
			assert.NotEmpty(t, r.Actions)
			assert.Empty(t, r.Fallback)
			v := r.View("")
			assert.Equal(t, tt.said, v.Transcript)
		})
	}
	reqs := srv.requests()
	require.NotEmpty(t, reqs)
	for _, q := range reqs {
		assert.Equal(t, runtime.DefaultTranscribeModel, q.Model)
		assert.Equal(t, "voice-note.wav", q.Filename)
		assert.Equal(t, "audio/wav", q.ContentType)
		assert.Equal(t, "Bearer test-key", q.Auth)
	}
}

func TestAudioFormat(t *testing.T) {
	ftyp := append([]byte{0, 0, 0, 0x20}, []byte("ftypM4A \x00\x00\x00\x00")...)
	tests := []struct {
		name string
		data []byte
		want string
		err  string
	}{
		{"voice.mp3", []byte("ID3\x04\x00\x00\x00\x00\x00\x00audio"), "mp3", ""},
		{"voice", []byte{0xFF, 0xFB, 0x90, 0x64, 0, 0}, "mp3", ""},
		{"voice.wav", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), "wav", ""},
		{"voice.ogg", []byte("OggS\x00\x02\x00\x00"), "ogg", ""},
		{"message vocal.opus", []byte("OggS\x00\x02\x00\x00"), "ogg", ""},
		{"voice.m4a", ftyp, "m4a", ""},
		{"clip.mp4", ftyp, "mp4", ""},
		{"voice.webm", []byte{0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42}, "webm", ""},
		{"voice.flac", []byte("fLaC\x00\x00\x00\x22"), "flac", ""},
		{"voice.amr", []byte("#!AMR\n"), "amr", ""},
		{"unknown bytes, known extension.m4a", []byte("....."), "m4a", ""},
		{"notes.txt", []byte("I want a refund"), "", "not an audio file"},
		{"empty.wav", nil, "", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := runtime.AudioFormat(runtime.Audio{Name: tt.name, Data: tt.data})
			if tt.err != "" {
				assert.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// When the audio cannot be transcribed, the turn has no text: nothing
// runs, and the result says why.
func TestAudioFailures(t *testing.T) {
	srv := newTranscriptionServer(t)
	ogg := []byte("OggS\x00\x02\x00\x00 some opus frames")
	tests := []struct {
		name        string
		transcriber runtime.Transcriber
		audio       runtime.Audio
		failure     int
		why         string
	}{
		{"no transcriber", nil, runtime.Audio{Name: "v.ogg", Data: ogg}, 0, "no transcriber is configured"},
		{"not audio", srv.transcriber(), runtime.Audio{Name: "v.txt", Data: []byte("assign me to Hackers")}, 0, "not an audio file"},
		{"endpoint fails", srv.transcriber(), runtime.Audio{Name: "v.ogg", Data: ogg}, http.StatusInternalServerError, "HTTP 500"},
		{"endpoint cannot decode", srv.transcriber(), runtime.Audio{Name: "v.ogg", Data: ogg}, 0, "HTTP 400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.mu.Lock()
			srv.failure = tt.failure
			srv.mu.Unlock()
			e, _ := newEngine(t, acmePlan(t), runtime.Options{Transcriber: tt.transcriber})
			a := tt.audio
			r, err := e.Turn(context.Background(), runtime.TurnInput{ConversationID: "c1", MessageID: "m1", Audio: &a})
			require.NoError(t, err)
			assert.Empty(t, r.Scenario)
			assert.Empty(t, r.Actions)
			assert.Empty(t, r.Transcript)
			assert.Contains(t, r.Fallback, "the audio message could not be transcribed")
			assert.Contains(t, r.Fallback, tt.why)
		})
	}
}
