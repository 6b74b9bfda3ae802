package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path"
	"strings"
	"unicode/utf8"
)

// Audio is a contact message that is a voice note or an audio file: it is
// transcribed (Options.Transcriber), then handled as the text it says.
type Audio struct {
	// Name is the file's name ("voice.ogg"): its extension names the
	// format when the content does not.
	Name string
	Data []byte
}

// Audio formats a message may be in: those of respond.io's voice messages
// and OpenAI's transcription endpoint.
var AudioFormats = []string{"mp3", "wav", "ogg", "m4a", "webm", "flac", "aac", "amr", "mp4", "mpeg", "opus"}

// MaxAudioBytes caps an audio message (the transcription endpoints' own
// limit is 25 MB).
const MaxAudioBytes = 25 << 20

// MaxTranscript caps a transcript, in characters: longer, it is cut.
const MaxTranscript = 4000

// AudioFormat names an audio file's format from its first bytes (ID3 or an
// MPEG frame for mp3, RIFF/WAVE, OggS, an ISO box "ftyp" for m4a/mp4, EBML
// for webm, fLaC, an ADTS header for aac, #!AMR), else from the name's
// extension. An error when it is neither: the file is not sent anywhere.
func AudioFormat(a Audio) (string, error) {
	d := a.Data
	switch {
	case len(d) == 0:
		return "", errors.New("the audio message is empty")
	case len(d) > MaxAudioBytes:
		return "", fmt.Errorf("the audio message is %d bytes, over the %d-byte cap", len(d), MaxAudioBytes)
	case bytes.HasPrefix(d, []byte("ID3")):
		return "mp3", nil
	case len(d) >= 12 && bytes.Equal(d[:4], []byte("RIFF")) && bytes.Equal(d[8:12], []byte("WAVE")):
		return "wav", nil
	case bytes.HasPrefix(d, []byte("OggS")):
		return "ogg", nil
	case len(d) >= 12 && bytes.Equal(d[4:8], []byte("ftyp")):
		if ext := strings.ToLower(strings.TrimPrefix(path.Ext(a.Name), ".")); ext == "mp4" {
			return "mp4", nil
		}
		return "m4a", nil
	case bytes.HasPrefix(d, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		return "webm", nil
	case bytes.HasPrefix(d, []byte("fLaC")):
		return "flac", nil
	case bytes.HasPrefix(d, []byte("#!AMR")):
		return "amr", nil
	case len(d) >= 2 && d[0] == 0xFF && d[1]&0xF6 == 0xF0:
		return "aac", nil
	case len(d) >= 2 && d[0] == 0xFF && d[1]&0xE0 == 0xE0:
		return "mp3", nil
	}
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(a.Name), "."))
	switch ext {
	case "oga", "opus":
		return "ogg", nil
	case "mpga":
		return "mp3", nil
	}
	for _, f := range AudioFormats {
		if ext == f {
			return f, nil
		}
	}
	return "", fmt.Errorf("%q is not an audio file instrc reads (%s)", a.Name, strings.Join(AudioFormats, ", "))
}

// Transcriber turns an audio message into text. lang is a hint ("en",
// "fr"), empty when unknown.
type Transcriber interface {
	Transcribe(ctx context.Context, a Audio, lang string) (string, error)
}

// OpenAITranscriber calls an OpenAI-compatible transcription endpoint:
// POST {BaseURL}/audio/transcriptions, multipart with the file and the
// model, answered with {"text": "..."} (OpenAI, Groq, whisper.cpp's
// server, faster-whisper servers, LocalAI).
type OpenAITranscriber struct {
	BaseURL    string // default https://api.openai.com/v1
	APIKey     string
	Model      string // default DefaultTranscribeModel
	HTTPClient *http.Client
}

// DefaultTranscribeModel is the transcription model unless told otherwise.
const DefaultTranscribeModel = "whisper-1"

// maxTranscriptionAnswer caps the endpoint's answer before it is parsed.
const maxTranscriptionAnswer = 256 << 10

// Transcribe implements Transcriber.
func (o *OpenAITranscriber) Transcribe(ctx context.Context, a Audio, lang string) (string, error) {
	format, err := AudioFormat(a)
	if err != nil {
		return "", err
	}
	base := strings.TrimRight(o.BaseURL, "/")
	if base == "" {
		base = "https://api.openai.com/v1"
	}
	model := o.Model
	if model == "" {
		model = DefaultTranscribeModel
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	name := path.Base(strings.ReplaceAll(a.Name, "\\", "/"))
	if name == "" || name == "." || name == "/" || !strings.EqualFold(strings.TrimPrefix(path.Ext(name), "."), format) {
		name = "audio." + format
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
	h.Set("Content-Type", audioMIME[format])
	fw, err := w.CreatePart(h)
	if err == nil {
		_, err = fw.Write(a.Data)
	}
	if err == nil {
		err = w.WriteField("model", model)
	}
	if err == nil {
		err = w.WriteField("response_format", "json")
	}
	if err == nil && (lang == "en" || lang == "fr") {
		err = w.WriteField("language", lang)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/audio/transcriptions", &body)
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	if o.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+o.APIKey)
	}
	client := o.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxTranscriptionAnswer+1))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("the transcription endpoint answered HTTP %d", resp.StatusCode)
	}
	if len(raw) > maxTranscriptionAnswer {
		return "", fmt.Errorf("the transcription is over %d bytes", maxTranscriptionAnswer)
	}
	var out struct {
		Text *string `json:"text"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || out.Text == nil {
		return "", errors.New("the transcription endpoint's answer is not {\"text\": ...}")
	}
	return *out.Text, nil
}

var audioMIME = map[string]string{
	"mp3": "audio/mpeg", "mpeg": "audio/mpeg", "wav": "audio/wav", "ogg": "audio/ogg", "opus": "audio/ogg",
	"m4a": "audio/mp4", "mp4": "audio/mp4", "webm": "audio/webm", "flac": "audio/flac", "aac": "audio/aac", "amr": "audio/amr",
}

// transcribe turns the turn's audio message into its text: the transcript,
// cut to MaxTranscript characters, in one line. It reports why it could
// not; the turn then has no text, so nothing matches and nothing runs.
func (e *Engine) transcribe(ctx context.Context, a *Audio, lang string) (string, error) {
	if e.opts.Transcriber == nil {
		return "", errors.New("no transcriber is configured")
	}
	ctx, cancel := context.WithTimeout(ctx, e.opts.ModelTimeout)
	defer cancel()
	text, err := safeTranscribe(ctx, e.opts.Transcriber, *a, lang)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return "", fmt.Errorf("the transcription did not come within %s", e.opts.ModelTimeout)
		}
		return "", err
	}
	text = strings.Join(strings.Fields(strings.ToValidUTF8(text, "")), " ")
	if utf8.RuneCountInString(text) > MaxTranscript {
		text = truncate(text, MaxTranscript)
	}
	if text == "" {
		return "", errors.New("the transcript is empty")
	}
	return text, nil
}

func safeTranscribe(ctx context.Context, t Transcriber, a Audio, lang string) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			text, err = "", fmt.Errorf("the transcriber panicked: %v", r)
		}
	}()
	return t.Transcribe(ctx, a, lang)
}

// TranscriberFromEnv returns the transcriber for audio messages: an
// OpenAITranscriber at OPENAI_BASE_URL with OPENAI_API_KEY, the model
// named (else INSTRC_TRANSCRIBE_MODEL, else DefaultTranscribeModel). Nil
// when neither the base URL nor the key is set: audio messages are then
// not understood.
func TranscriberFromEnv(model string) Transcriber {
	base, key := os.Getenv("OPENAI_BASE_URL"), os.Getenv("OPENAI_API_KEY")
	if base == "" && key == "" {
		return nil
	}
	if model == "" {
		model = os.Getenv("INSTRC_TRANSCRIBE_MODEL")
	}
	return &OpenAITranscriber{BaseURL: base, APIKey: key, Model: model}
}
