package serve

import (
	"encoding/json"
	"net/http"

	"github.com/instrc/instrc/internal/redact"
)

// Error codes of the API: stable, for clients to branch on. The message next
// to a code says what to do and may change.
const (
	CodeUnauthorized         = "unauthorized"           // 401: missing or wrong bearer token
	CodeNotFound             = "not_found"              // 404: unknown path, conversation or contact
	CodeMethodNotAllowed     = "method_not_allowed"     // 405: the path exists, not with this method
	CodeMalformedJSON        = "malformed_json"         // 400: the body is not one JSON object
	CodeInvalidRequest       = "invalid_request"        // 400: JSON, but a field is missing or wrong
	CodeBodyTooLarge         = "body_too_large"         // 413: over the size limit
	CodeUnsupportedMediaType = "unsupported_media_type" // 415: a Content-Type that is not JSON
	CodeTimeout              = "timeout"                // 503: waited too long for the conversation's turn
	CodeShuttingDown         = "shutting_down"          // 503: the server is stopping; send to another replica
	CodeTurnFailed           = "turn_failed"            // 500: the turn could not start (e.g. the database failed); retry
	CodeInternal             = "internal"               // 500: a bug; the message says what failed
)

// ErrorBody is every error answer: {"error": {"code", "message"}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the code and message of an error answer.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(ErrorBody{ErrorDetail{Code: CodeInternal, Message: "encoding the answer: " + err.Error()}})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, ErrorBody{ErrorDetail{Code: code, Message: redact.String(msg)}})
}
