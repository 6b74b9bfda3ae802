package ir

// Workspace is the part of the workspace a plan carries for the runtime.
type Workspace struct {
	Name          string         `json:"name,omitempty"`
	Fields        []Field        `json:"fields,omitempty"`
	Stages        []string       `json:"stages,omitempty"`
	ClosingNotes  []string       `json:"closingNotes,omitempty"`
	Teams         []Team         `json:"teams,omitempty"`
	Users         []string       `json:"users,omitempty"`
	AIAgents      []string       `json:"aiAgents,omitempty"`
	Tags          []string       `json:"tags,omitempty"`
	Workflows     []string       `json:"workflows,omitempty"`
	CustomActions []CustomAction `json:"customActions,omitempty"`
	// PhoneRegion is the ISO 3166 country assumed for phone numbers written
	// without a +country prefix ("FR", "GB"); empty means the plan
	// language's default (FR for French, US otherwise).
	PhoneRegion string `json:"phoneRegion,omitempty"`
	// AllowPrivateNetworks lists the loopback, private and link-local
	// networks (CIDR prefixes) custom actions may reach; requests to any
	// other such address are refused (docs/runtime.md).
	AllowPrivateNetworks []string `json:"allowPrivateNetworks,omitempty"`
}

// Field is a contact field with its type (text, number, email, phone, date,
// list, checkbox, url) and, for lists, its options.
type Field struct {
	Name    string   `json:"name"`
	ID      string   `json:"id,omitempty"`
	Type    string   `json:"type"`
	Options []string `json:"options,omitempty"`
}

// Team is a team and its members (user names).
type Team struct {
	Name    string   `json:"name"`
	Members []string `json:"members,omitempty"`
}

// CustomAction is a custom HTTP action a plan may call.
type CustomAction struct {
	Name                 string        `json:"name"`
	Description          string        `json:"description,omitempty"`
	Inputs               []ActionInput `json:"inputs,omitempty"`
	Method               string        `json:"method,omitempty"`
	URL                  string        `json:"url,omitempty"`
	Auth                 *ActionAuth   `json:"auth,omitempty"`
	ResponseInstructions string        `json:"responseInstructions,omitempty"`
}

// Auth types of a custom action.
const (
	// AuthAPIKey sends the secret as is in the header Header.
	AuthAPIKey = "api_key"
	// AuthBearer sends the secret as `Authorization: Bearer <secret>`.
	AuthBearer = "bearer"
	// AuthNone sends no secret: the API is open.
	AuthNone = "none"
)

// ActionAuth is how a custom action authenticates. The plan names the
// environment variable that holds the secret, never the secret itself: the
// runtime reads it when it sends the request.
type ActionAuth struct {
	Type      string `json:"type,omitempty"`   // AuthAPIKey (also when empty), AuthBearer or AuthNone
	Header    string `json:"header,omitempty"` // for api_key: the header that carries the secret
	SecretEnv string `json:"secretEnv,omitempty"`
}

// ActionInput is one input a custom action needs from the conversation.
type ActionInput struct {
	Name         string `json:"name"`
	Instructions string `json:"instructions,omitempty"`
}

// FieldName returns the name of the field whose name or id is key, or key
// itself when no field has it: the one canonical-field lookup, used
// wherever a contact's fields are written or read by name or id.
func (w *Workspace) FieldName(key string) string {
	if f, ok := w.Field(key); ok {
		return f.Name
	}
	return key
}

// Field returns the workspace field with the given name or id.
func (w *Workspace) Field(name string) (Field, bool) {
	if w == nil {
		return Field{}, false
	}
	for _, f := range w.Fields {
		if f.Name == name || (f.ID != "" && f.ID == name) {
			return f, true
		}
	}
	return Field{}, false
}
