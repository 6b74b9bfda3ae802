package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/config"
	"github.com/instrc/instrc/diag"
)

// LintCmd reports every problem in instruction files.
type LintCmd struct {
	Workspace   string   `short:"w" help:"Workspace file (overrides the files' front matter)." type:"path"`
	Format      string   `short:"f" enum:"text,json,sarif,github" default:"text" help:"Output format: text, json, sarif (code scanning) or github (workflow annotations)."`
	Messages    string   `enum:"en,fr," default:"" help:"Language of the messages (en or fr); by default instrc.yaml's, else each file's language."`
	Config      string   `help:"Project file (default: the instrc.yaml found above the files)." type:"path"`
	MaxWarnings int      `default:"-1" help:"Fail (exit 1) when there are more than N warnings; -1 for no limit."`
	Stats       bool     `help:"Print the time each compiler stage took, summed over the files, on standard error."`
	Fix         bool     `help:"Apply every unambiguous suggestion to the files, print each change on standard error, then report what is left."`
	Paths       []string `arg:"" name:"path" help:"Instruction files (.instr) or directories to search for them; - reads standard input (see --stdin-filename)."`
}

// toStderr is g printing to standard error, for commands whose standard
// output is their result (a plan).
func (g *Globals) toStderr() *Globals {
	c := *g
	c.Stdout = g.Stderr
	return &c
}

// Run lints every file and prints the diagnostics.
func (l *LintCmd) Run(g *Globals) error {
	// Standard input (-) is linted under --stdin-filename, which also
	// finds instrc.yaml and the front matter's workspace from its folder.
	var paths, cfgPaths []string
	useStdin := false
	for _, p := range l.Paths {
		if p == "-" {
			useStdin = true
			name := g.StdinFilename
			if name == "" {
				name = stdinName
			}
			cfgPaths = append(cfgPaths, name)
			continue
		}
		paths = append(paths, p)
		cfgPaths = append(cfgPaths, p)
	}
	files, bad, err := instrFiles(paths)
	if err != nil {
		return cannot("%v", err)
	}
	cfg, cfgDiags, err := config.ForPaths(l.Config, cfgPaths)
	if err != nil {
		return cannot("%v", err)
	}
	if len(cfgDiags) > 0 {
		_ = diag.WriteText(g.Stderr, cfgDiags, nil)
		return cannot("%s has errors", cfg.File)
	}
	// Ignore globs skip files found by walking directories; a file named on
	// the command line is always linted, as with .gitignore.
	named := map[string]bool{}
	for _, p := range l.Paths {
		named[filepath.Clean(p)] = true
	}
	files = slices.DeleteFunc(files, func(f string) bool { return !named[filepath.Clean(f)] && cfg.Ignored(f) })
	if useStdin {
		files = append(files, "-")
	}
	if l.Fix {
		if useStdin {
			return cannot("--fix needs files to write, not standard input")
		}
		if err := fixFiles(g, files, compiler.Options{WorkspacePath: l.Workspace, Messages: l.Messages}, cfg); err != nil {
			return cannot("%v", err)
		}
	}
	var st *stageStats
	if l.Stats {
		st = &stageStats{}
	}
	all, srcs, unreadable := lintFiles(g, files, compiler.Options{WorkspacePath: l.Workspace, Messages: l.Messages}, cfg, st)
	st.write(g.Stderr, len(files))
	for _, b := range bad {
		all = append(all, diag.Unreadable(b.path, b.err, messagesOf(l.Messages, cfg)))
		unreadable++
	}
	all.Sort()
	if err := printDiagnostics(g, l.Format, all, srcs); err != nil {
		return cannot("%v", err)
	}
	if unreadable > 0 {
		// Every other file was linted and reported; the run is still
		// incomplete.
		return &exitError{code: exitCannot}
	}
	if all.HasErrors() {
		return failed
	}
	if _, warns := all.Count(); l.MaxWarnings >= 0 && warns > l.MaxWarnings {
		fmt.Fprintf(g.Stderr, "instrc: %s, more than --max-warnings %d\n", plural(warns, "warning"), l.MaxWarnings)
		return failed
	}
	return nil
}

// UnreadableCode is the diagnostic code of a file lint cannot read.
const UnreadableCode = diag.CodeUnreadable

// messagesOf is the language of messages about a file that cannot be read
// (and so has no language of its own): --messages, else instrc.yaml's.
func messagesOf(flag string, cfg *config.Config) string {
	if flag != "" {
		return flag
	}
	lang, _ := cfg.Defaults()
	return lang
}

// lintFiles compiles each file and gathers the diagnostics, once each even
// when several files share a workspace. A file that cannot be read is one
// diagnostic, and the others are still linted; unreadable counts them.
func lintFiles(g *Globals, files []string, opts compiler.Options, cfg *config.Config, st *stageStats) (all diag.Diagnostics, srcs diag.Sources, unreadable int) {
	srcs = diag.Sources{}
	seen := map[string]bool{}
	for _, f := range files {
		f, text, err := g.readInput(f)
		if err != nil {
			all = append(all, diag.Unreadable(f, err, messagesOf(opts.Messages, cfg)))
			unreadable++
			continue
		}
		res := compiler.Run(compiler.Source{Filename: f, Text: text}, opts.WithDefaults(cfg.Defaults()))
		lang := opts.Messages
		if lang == "" && res.File != nil {
			lang = res.File.Language
		}
		// The compiler has applied the file's instrc-disable comments.
		res.Diagnostics = cfg.Apply(res.Diagnostics)
		st.add(res.Timings, len(text))
		for name, s := range res.Sources {
			srcs[name] = s
		}
		for _, d := range res.Diagnostics {
			key := fmt.Sprintf("%s\x00%d\x00%d\x00%s\x00%s", d.Range.Filename, d.Range.Start.Offset, d.Range.End.Offset, d.Code, d.Message)
			if seen[key] {
				continue
			}
			seen[key] = true
			all = append(all, d)
		}
	}
	all.Sort()
	return all, srcs, unreadable
}

// printDiagnostics prints ds in a format (text, json, sarif, github); with
// --quiet only the errors.
func printDiagnostics(g *Globals, format string, ds diag.Diagnostics, srcs diag.Sources) error {
	ds = g.shown(ds)
	switch format {
	case "sarif":
		return writeSARIF(g.Stdout, ds, srcs)
	case "github":
		return writeGitHub(g.Stdout, ds)
	case "json":
		return diag.WriteJSON(g.Stdout, ds)
	default:
		style := diag.Plain
		if g.colored(g.Stdout) {
			style = colors
		}
		if err := diag.WriteTextStyled(g.Stdout, ds, srcs, style); err != nil {
			return err
		}
		errs, warns := ds.Count()
		if errs+warns > 0 {
			fmt.Fprintf(g.Stderr, "%s, %s\n", plural(errs, "error"), plural(warns, "warning"))
		}
		return nil
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// instrFiles expands directories into the .instr files below them, sorted.
func instrFiles(paths []string) ([]string, []pathError, error) {
	return findFiles(paths, func(name string) bool { return strings.HasSuffix(name, ".instr") }, ".instr files", true)
}
