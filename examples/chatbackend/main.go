// Command chatbackend is a small HTTP chat backend that embeds the instrc
// runtime over SQLite: each inbound message runs one turn of the compiled
// plan (actions first, then the reply) and the response says what was done.
//
//	go run ./examples/chatbackend -plan examples/chatbackend/plan.json -db chat.db
//	curl -d '{"messageId":"m1","text":"I want to cancel my contract"}' localhost:8080/conversations/c1/messages
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"log/slog"
	"net/http"
	"os"
	"sync"

	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/sqlitebackend"
)

func main() {
	planPath := flag.String("plan", "plan.json", "compiled plan (instrc compile agent.instr -o plan.json)")
	dbPath := flag.String("db", "chat.db", "SQLite database")
	addr := flag.String("addr", "localhost:8080", "address to listen on")
	flag.Parse()
	srv, err := open(*planPath, *dbPath)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("listening on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, srv))
}

// server is the chat backend: the engine, its SQLite backend and the
// message history the engine reads (kept in memory here; a real backend has
// its own message store).
type server struct {
	engine  *runtime.Engine
	mu      sync.Mutex
	history map[string][]runtime.Message
	mux     *http.ServeMux
}

// open loads the plan, opens the database, seeds the teams and builds the
// engine, with a model when INSTRC_MODEL is set.
func open(planPath, dbPath string) (*server, error) {
	f, err := os.Open(planPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	plan, err := ir.Read(f)
	if err != nil {
		return nil, err
	}
	db, err := sqlitebackend.Open(dbPath)
	if err != nil {
		return nil, err
	}
	if err := runtime.SeedWorkspace(context.Background(), db, plan.Workspace); err != nil {
		return nil, err
	}
	model, err := runtime.OpenModel(runtime.ModelConfigFromEnv(""))
	if err != nil {
		return nil, err
	}
	engine, err := runtime.New(plan, runtime.Options{Backend: db, Model: model, Logger: slog.Default()})
	if err != nil {
		return nil, err
	}
	s := &server{engine: engine, history: map[string][]runtime.Message{}, mux: http.NewServeMux()}
	s.mux.HandleFunc("POST /conversations/{id}/messages", s.message)
	s.mux.HandleFunc("GET /conversations/{id}", s.conversation)
	return s, nil
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// inbound is a message from a contact.
type inbound struct {
	MessageID string `json:"messageId"`
	ContactID string `json:"contactId"`
	Text      string `json:"text"`
}

// outbound is what the backend answers: what the agent did, then its reply.
type outbound struct {
	Duplicate bool                    `json:"duplicate,omitempty"`
	Scenario  string                  `json:"scenario,omitempty"`
	Why       string                  `json:"why"`
	Actions   []runtime.ActionOutcome `json:"actions"`
	Reply     string                  `json:"reply,omitempty"`
	ReplySent bool                    `json:"replySent"`
}

func (s *server) message(w http.ResponseWriter, r *http.Request) {
	var in inbound
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&in); err != nil || in.Text == "" {
		http.Error(w, `send {"messageId": "...", "contactId": "...", "text": "..."}`, http.StatusBadRequest)
		return
	}
	conv := r.PathValue("id")
	s.mu.Lock()
	history := append([]runtime.Message(nil), s.history[conv]...)
	s.mu.Unlock()
	res, err := s.engine.Turn(r.Context(), runtime.TurnInput{ConversationID: conv, ContactID: in.ContactID,
		MessageID: in.MessageID, Text: in.Text, History: history})
	if errors.Is(err, runtime.ErrNotProcessed) {
		// Nothing is lost: deliver the message again later.
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if !res.Duplicate {
		s.mu.Lock()
		s.history[conv] = append(s.history[conv], runtime.Message{Role: runtime.RoleContact, Text: in.Text})
		if res.ReplySent {
			s.history[conv] = append(s.history[conv], runtime.Message{Role: runtime.RoleAgent, Text: res.Reply})
		}
		s.mu.Unlock()
	}
	writeJSON(w, outbound{Duplicate: res.Duplicate, Scenario: res.Scenario, Why: res.Why, Actions: res.Actions,
		Reply: res.Reply, ReplySent: res.ReplySent})
}

func (s *server) conversation(w http.ResponseWriter, r *http.Request) {
	c, err := s.engine.Backend().Conversation(r.Context(), r.PathValue("id"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, c)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Print(err)
	}
}
