package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"

	"github.com/instrc/instrc/internal/redact"
	"github.com/instrc/instrc/ir"
)

// MaxResponseBody is how much of a custom action's response body is read,
// in bytes; a longer body is cut to it (Truncated), which is not an error.
const MaxResponseBody = 64 << 10

// MaxRedirects is how many redirects a custom action may answer with before
// the call fails. A redirect to another host, or from https to http, is
// never followed.
const MaxRedirects = 3

// DefaultAPIKeyHeader carries the secret of an api_key auth that names no
// header.
const DefaultAPIKeyHeader = "X-Api-Key"

// HTTPCallerOptions configure an HTTPCaller. Every field is optional.
type HTTPCallerOptions struct {
	// Client sends the requests. Default: a client whose transport refuses
	// loopback, private and link-local addresses (checked when it connects,
	// after DNS resolution) except the networks the request allows
	// (CallRequest.AllowedNetworks), and uses no HTTP proxy. A Client given
	// here is used as is: its transport decides where it may connect. Its
	// redirect policy is replaced by the
	// caller's (at most MaxRedirects, same host only); its Timeout, if any,
	// applies on top of the engine's CallTimeout.
	Client *http.Client
	// Getenv reads the environment variable that holds an action's secret.
	// Default: os.Getenv.
	Getenv func(string) string
}

// HTTPCaller sends custom actions as HTTP requests, the engine's default
// Caller:
//
//   - the method is the action's (GET by default);
//   - each `{input}` of the URL is replaced by the input's value, escaped
//     for where it sits (path segment or query value), so that no value can
//     change the scheme, the host or the path's structure; a placeholder in
//     the scheme or host is refused;
//   - inputs the URL does not use go in the query string for GET and
//     DELETE, and in a JSON object body for POST, PUT and PATCH;
//   - auth api_key sends the secret from the environment variable in the
//     action's header (X-Api-Key by default), bearer sends
//     `Authorization: Bearer <secret>`; an unset variable fails the call
//     before anything is sent;
//   - the body is read up to MaxResponseBody bytes; redirects are followed
//     at most MaxRedirects times, on the same host only.
//
// It is safe for concurrent use.
type HTTPCaller struct {
	// client is the Client of the options, nil for the guarded default.
	client *http.Client
	getenv func(string) string
	// guarded holds one guarded client per set of allowed networks, so
	// that a connection opened under one allow-list is never reused under
	// another.
	mu      sync.Mutex
	guarded map[string]*http.Client
}

var _ Caller = (*HTTPCaller)(nil)

// NewHTTPCaller returns a caller that sends real requests.
func NewHTTPCaller(opts HTTPCallerOptions) *HTTPCaller {
	var c *http.Client
	if opts.Client != nil {
		cp := *opts.Client
		c = &cp
		c.CheckRedirect = checkRedirect
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	return &HTTPCaller{client: c, getenv: getenv, guarded: map[string]*http.Client{}}
}

// clientFor returns the client that sends a request allowed to reach nets.
func (c *HTTPCaller) clientFor(nets []netip.Prefix) *http.Client {
	if c.client != nil {
		return c.client
	}
	var key strings.Builder
	for _, n := range nets {
		key.WriteString(n.String())
		key.WriteByte(' ')
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	hc := c.guarded[key.String()]
	if hc == nil {
		hc = &http.Client{Transport: guardedTransport(nets), CheckRedirect: checkRedirect}
		c.guarded[key.String()] = hc
	}
	return hc
}

// errRedirect marks a redirect the caller refused to follow.
var errRedirect = errors.New("redirect refused")

func checkRedirect(r *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return fmt.Errorf("%w: more than %d redirects", errRedirect, MaxRedirects)
	}
	orig := via[0].URL
	if !strings.EqualFold(r.URL.Host, orig.Host) {
		return fmt.Errorf("%w: it redirected to another host (%s), which is not followed", errRedirect, r.URL.Host)
	}
	if orig.Scheme == "https" && r.URL.Scheme != "https" {
		return fmt.Errorf("%w: it redirected from https to %s, which is not followed", errRedirect, r.URL.Scheme)
	}
	return nil
}

// Call sends the request and reads the answer. Any status is an answer
// (the engine judges it); an error means no answer: the request could not
// be built, the secret is not set, the network failed or the context ended.
func (c *HTTPCaller) Call(ctx context.Context, req CallRequest) (CallResponse, error) {
	name := req.Action.Name
	p, err := prepareCall(req.Action, req.Inputs)
	if err != nil {
		return CallResponse{}, err
	}
	var secret string
	if p.secretEnv != "" {
		secret = strings.TrimSpace(c.getenv(p.secretEnv))
		if secret == "" {
			return CallResponse{}, fmt.Errorf("the environment variable %s, which holds the secret of %s, is not set: nothing was sent", p.secretEnv, name)
		}
		// From now on no log line or output carries it.
		redact.AddSecret(secret)
	}
	resp, err := c.send(ctx, req, p, secret)
	if err != nil {
		if msg := redact.With(err.Error(), secret); msg != err.Error() {
			return resp, errors.New(msg)
		}
		return resp, err
	}
	// An API that echoes the secret, or a URL with credentials, back in
	// its answer: the answer goes to the reply's prompt and to outputs.
	resp.Body = redact.With(resp.Body, secret)
	return resp, nil
}

// send sends the prepared request and reads the answer.
func (c *HTTPCaller) send(ctx context.Context, req CallRequest, p preparedCall, secret string) (CallResponse, error) {
	name := req.Action.Name
	var body io.Reader
	if p.body != nil {
		body = bytes.NewReader(p.body)
	}
	hr, err := http.NewRequestWithContext(ctx, p.method, p.url, body)
	if err != nil {
		return CallResponse{}, fmt.Errorf("the request of %s cannot be built: %v", name, err)
	}
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("User-Agent", "instrc")
	if req.IdempotencyKey != "" {
		hr.Header.Set("Idempotency-Key", req.IdempotencyKey)
	}
	if p.body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if p.authHeader != "" {
		hr.Header.Set(p.authHeader, p.authPrefix+secret)
	}
	resp, err := c.clientFor(req.AllowedNetworks).Do(hr)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return CallResponse{}, cerr
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		var blocked *BlockedAddressError
		if errors.As(err, &blocked) {
			return CallResponse{}, fmt.Errorf("calling %s was refused: %w; nothing was sent", name, blocked)
		}
		if errors.Is(err, errRedirect) {
			return CallResponse{}, fmt.Errorf("calling %s failed: %s", name, strings.TrimPrefix(err.Error(), errRedirect.Error()+": "))
		}
		return CallResponse{}, fmt.Errorf("calling %s failed: %v", name, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBody+1))
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return CallResponse{}, cerr
		}
		return CallResponse{}, fmt.Errorf("reading the answer of %s failed: %v", name, err)
	}
	out := CallResponse{StatusCode: resp.StatusCode}
	if len(b) > MaxResponseBody {
		b, out.Truncated = b[:MaxResponseBody], true
	}
	out.Body = string(b)
	return out, nil
}

// preparedCall is the request a call sends, built once for the HTTPCaller
// and the DryRunCaller alike. It holds where the secret goes, never the
// secret.
type preparedCall struct {
	method     string
	url        string
	body       []byte // a JSON object, nil for none
	authHeader string // the header that carries the secret, "" for none
	authPrefix string // "Bearer " for bearer
	secretEnv  string
}

// String is the request as a line: `GET https://…`, with ` with body {…}`
// when it has one.
func (p preparedCall) String() string {
	s := p.method + " " + p.url
	if p.body != nil {
		s += " with body " + string(p.body)
	}
	return redact.String(s)
}

var placeholder = regexp.MustCompile(`\{([^{}]*)\}`)

// bodyMethods send the inputs the URL does not use as a JSON body; the
// others send them in the query string.
var bodyMethods = map[string]bool{http.MethodPost: true, http.MethodPut: true, http.MethodPatch: true}

// prepareCall builds the request of a custom action from its inputs. The
// URL's scheme, host and path segments are the author's: an input's value
// only ever fills a placeholder, escaped as a path segment or a query
// value, and the result is checked against the template.
func prepareCall(a ir.CustomAction, inputs map[string]string) (preparedCall, error) {
	p := preparedCall{method: strings.ToUpper(strings.TrimSpace(a.Method))}
	if p.method == "" {
		p.method = http.MethodGet
	}
	tmpl := strings.TrimSpace(a.URL)
	if tmpl == "" {
		return p, fmt.Errorf("custom action %s has no request URL", a.Name)
	}
	if i := strings.IndexByte(tmpl, '#'); i >= 0 {
		tmpl = tmpl[:i] // a fragment is never sent
	}
	rest, query, hasQuery := strings.Cut(tmpl, "?")
	schemeEnd := strings.Index(rest, "://")
	if schemeEnd < 0 {
		return p, fmt.Errorf("the URL of %s (%s) does not start with https:// or http://", a.Name, a.URL)
	}
	origin, path := rest, ""
	if i := strings.IndexByte(rest[schemeEnd+3:], '/'); i >= 0 {
		origin, path = rest[:schemeEnd+3+i], rest[schemeEnd+3+i:]
	}
	if m := placeholder.FindString(origin); m != "" {
		return p, fmt.Errorf("the URL of %s takes its scheme or host from %s: an input may only fill the path or the query", a.Name, m)
	}
	base, err := url.Parse(origin)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return p, fmt.Errorf("the URL of %s (%s) does not start with https:// or http:// and a host", a.Name, a.URL)
	}
	declared := map[string]bool{}
	for _, in := range a.Inputs {
		declared[in.Name] = true
	}
	used := map[string]bool{}
	var unknown string
	fill := func(s string, escape func(string) string) string {
		return placeholder.ReplaceAllStringFunc(s, func(m string) string {
			name := m[1 : len(m)-1]
			if !declared[name] {
				if unknown == "" {
					unknown = m
				}
				return m
			}
			used[name] = true
			return escape(inputs[name])
		})
	}
	filledPath := fill(path, url.PathEscape)
	filledQuery := fill(query, url.QueryEscape)
	if unknown != "" {
		return p, fmt.Errorf("the URL of %s has %s, which is not one of its inputs", a.Name, unknown)
	}
	// PathEscape escapes "/", so the segments line up with the template's;
	// a value may still not be a whole "." or ".." segment.
	tmplSegs, segs := strings.Split(path, "/"), strings.Split(filledPath, "/")
	if len(tmplSegs) != len(segs) {
		return p, fmt.Errorf("an input of %s would change the URL's path", a.Name)
	}
	for i, s := range segs {
		if (s == "." || s == "..") && s != tmplSegs[i] {
			return p, fmt.Errorf("an input of %s is %q, which cannot be a segment of the URL's path", a.Name, s)
		}
	}
	var rest2 []string // inputs the URL does not use, in declaration order
	for _, in := range a.Inputs {
		if !used[in.Name] {
			rest2 = append(rest2, in.Name)
		}
	}
	if len(rest2) > 0 {
		if bodyMethods[p.method] {
			obj := make(map[string]string, len(rest2))
			for _, n := range rest2 {
				obj[n] = inputs[n]
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(obj); err != nil {
				return p, fmt.Errorf("the body of %s cannot be written: %v", a.Name, err)
			}
			p.body = bytes.TrimRight(buf.Bytes(), "\n")
		} else {
			var qs []string
			for _, n := range rest2 {
				qs = append(qs, url.QueryEscape(n)+"="+url.QueryEscape(inputs[n]))
			}
			if filledQuery != "" && !strings.HasSuffix(filledQuery, "&") {
				filledQuery += "&"
			}
			filledQuery += strings.Join(qs, "&")
			hasQuery = true
		}
	}
	p.url = origin + filledPath
	if hasQuery {
		p.url += "?" + filledQuery
	}
	got, err := url.Parse(p.url)
	if err != nil {
		return p, fmt.Errorf("the URL of %s is not valid: %v", a.Name, err)
	}
	if got.Scheme != base.Scheme || got.Host != base.Host || got.User.String() != base.User.String() {
		return p, fmt.Errorf("an input of %s would change the URL's host", a.Name)
	}
	if au := a.Auth; au != nil && au.Type != ir.AuthNone {
		switch au.Type {
		case "", ir.AuthAPIKey:
			p.authHeader = strings.TrimSpace(au.Header)
			if p.authHeader == "" {
				p.authHeader = DefaultAPIKeyHeader
			}
		case ir.AuthBearer:
			p.authHeader, p.authPrefix = "Authorization", "Bearer "
		default:
			return p, fmt.Errorf("the auth type of %s is %q: use api_key, bearer or none", a.Name, au.Type)
		}
		p.secretEnv = strings.TrimSpace(au.SecretEnv)
		if p.secretEnv == "" {
			return p, fmt.Errorf("the auth of %s names no secret_env: the environment variable that holds its secret", a.Name)
		}
	}
	return p, nil
}
