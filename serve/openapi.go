package serve

import (
	_ "embed"
	"net/http"
)

// OpenAPI is the API described in OpenAPI 3.1; a test checks it against the
// registered routes.
//
//go:embed openapi.json
var OpenAPI []byte

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(OpenAPI)
}
