package runtime

import (
	"sync"

	tiktoken "github.com/pkoukk/tiktoken-go"
	tiktokenloader "github.com/pkoukk/tiktoken-go-loader"
)

// Tokenizer is the encoding the runtime counts tokens with: OpenAI's
// o200k_base (GPT-4o and later). Other models split text differently, but
// within a few percent for English and French prose; the count is the same
// for every setup compared in BENCHMARKS.md.
const Tokenizer = "o200k_base"

// Per-message overhead of the chat format in tokens (role and separators),
// and the tokens that prime the answer, as OpenAI documents for its chat
// models.
const (
	tokensPerMessage = 3
	tokensPerReply   = 3
)

var (
	encOnce sync.Once
	enc     *tiktoken.Tiktoken
)

func encoding() *tiktoken.Tiktoken {
	encOnce.Do(func() {
		// The encodings are embedded: nothing is downloaded, ever.
		tiktoken.SetBpeLoader(tiktokenloader.NewOfflineLoader())
		e, err := tiktoken.GetEncoding(Tokenizer)
		if err != nil {
			panic("runtime: the embedded " + Tokenizer + " encoding does not load: " + err.Error())
		}
		enc = e
	})
	return enc
}

// CountTokens is the number of o200k_base tokens of text.
//
// The text is counted a line at a time, each line's count kept in a
// bounded cache: a conversation's history, the rules and the outcomes come
// back from turn to turn, so that a turn mostly counts its new message.
// The sum is exact: a line break followed by a character other than white
// space is a boundary no piece of the encoding's pre-tokenizer crosses.
func CountTokens(text string) int {
	n := 0
	for len(text) > 0 {
		end := len(text)
		for i := 0; i+1 < len(text); i++ {
			if text[i] == '\n' && !isSpace(text[i+1]) {
				end = i + 1
				break
			}
		}
		n += lines.count(text[:end])
		text = text[end:]
	}
	return n
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f'
}

// lineTokens caches the token counts of lines.
type lineTokens struct {
	mu sync.Mutex
	n  map[string]int
}

// maxCachedLines bounds the line cache: when full, it starts over.
const maxCachedLines = 8192

var lines lineTokens

func (c *lineTokens) count(s string) int {
	c.mu.Lock()
	n, ok := c.n[s]
	c.mu.Unlock()
	if ok {
		return n
	}
	n = len(encoding().EncodeOrdinary(s))
	c.mu.Lock()
	if c.n == nil || len(c.n) >= maxCachedLines {
		c.n = map[string]int{}
	}
	c.n[s] = n
	c.mu.Unlock()
	return n
}

// countWhole counts text in one piece, for tests of CountTokens.
func countWhole(text string) int { return len(encoding().EncodeOrdinary(text)) }

// prefixTokens remembers the token counts of system prompts: a plan's
// system prompts are few and fixed (one per purpose and plan), so each is
// counted once.
type prefixTokens struct {
	mu sync.Mutex
	n  map[string]int
}

// maxPrefixes bounds the memory: past it, counts are not kept.
const maxPrefixes = 64

func (p *prefixTokens) count(s string) int {
	p.mu.Lock()
	n, ok := p.n[s]
	p.mu.Unlock()
	if ok {
		return n
	}
	n = CountTokens(s)
	p.mu.Lock()
	if p.n == nil {
		p.n = map[string]int{}
	}
	if len(p.n) < maxPrefixes {
		p.n[s] = n
	}
	p.mu.Unlock()
	return n
}

// requestTokens counts a request as a chat API sends it: the system
// message's fixed prefix (counted once per plan and purpose), the rest of
// it, the user message, the chat format's overhead. prefix is the fixed
// prefix's share.
func (e *Engine) requestTokens(req ModelRequest) (total, prefix int) {
	p := min(max(req.Prefix, 0), len(req.System))
	prefix = tokensPerMessage + e.prefixes.count(req.System[:p])
	return prefix + CountTokens(req.System[p:]) + CountTokens(req.User) + tokensPerMessage + tokensPerReply, prefix
}
