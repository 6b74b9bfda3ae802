package config

import (
	"bytes"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/grammar"
)

// Options returns the compiler options for one instruction file, applying
// the precedence lint documents: an explicit workspace (--workspace) wins,
// then the file's own front matter, then instrc.yaml. The messages' language
// is the explicit one, else instrc.yaml's, else the file's.
func (c *Config) Options(text []byte, base compiler.Options) compiler.Options {
	if c == nil {
		return base
	}
	if base.Messages == "" {
		base.Messages = c.Language
	}
	if base.Workspace != nil || base.WorkspacePath != "" || c.Workspace == "" {
		return base
	}
	if FrontMatterWorkspace(text) == "" {
		base.WorkspacePath = c.WorkspacePath()
	}
	return base
}

// FrontMatterWorkspace returns the `workspace:` of a file's front matter, or
// "". Only the front matter is parsed, so asking costs nothing on a large
// file.
func FrontMatterWorkspace(text []byte) string {
	head := text
	if rest, ok := bytes.CutPrefix(head, []byte("\uFEFF")); ok {
		head = rest
	}
	if !bytes.HasPrefix(head, []byte("---\n")) && !bytes.HasPrefix(head, []byte("---\r\n")) {
		return ""
	}
	i := bytes.IndexByte(head, '\n') + 1
	for i < len(head) {
		j := bytes.IndexByte(head[i:], '\n')
		end := len(head)
		if j >= 0 {
			end = i + j
		}
		if string(bytes.TrimSpace(head[i:end])) == "---" {
			f := grammar.Parse("", head[:min(end+1, len(head))])
			return f.Front.Workspace
		}
		i = end + 1
	}
	return ""
}
