package config

// Defaults returns what instrc.yaml sets for every file it covers: the
// language of diagnostics and the workspace file (resolved against the
// configuration's folder), each "" when unset. The compiler applies them
// below the command line and below a file's own front matter
// (compiler.Options.WithDefaults), so the front matter is read once, by the
// parser.
func (c *Config) Defaults() (messages, workspacePath string) {
	if c == nil {
		return "", ""
	}
	return c.Language, c.WorkspacePath()
}
