// Command instrc compiles and runs the instructions support teams write for
// their AI agents: `instrc lint` reports every problem, `instrc compile`
// writes the action plan, `instrc explain` shows it as a person reads it.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/alecthomas/kong"
	kongcompletion "github.com/jotaen/kong-completion"
)

// Exit statuses (docs/design.md): 0 no errors, 1 errors, 2 could not run.
const (
	exitOK     = 0
	exitErrors = 1
	exitCannot = 2
)

// exitError carries an exit status out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

// cannot reports that a command could not run (exit 2).
func cannot(format string, args ...any) error {
	return &exitError{code: exitCannot, err: fmt.Errorf(format, args...)}
}

// failed reports that a command ran and found errors (exit 1), already
// printed.
var failed = &exitError{code: exitErrors}

// Globals are the flags every command shares.
type Globals struct {
	Color         string `enum:"auto,always,never" default:"auto" help:"Colour diagnostics: auto (on a terminal, unless NO_COLOR is set), always or never."`
	Quiet         bool   `short:"q" help:"Report errors only, not warnings."`
	StdinFilename string `name:"stdin-filename" placeholder:"NAME" help:"Name of the file read from standard input (-): for positions, the workspace path in its front matter and instrc.yaml."`

	Stdout io.Writer `kong:"-"`
	Stderr io.Writer `kong:"-"`
	Stdin  io.Reader `kong:"-"`

	stdinRead bool
}

// CLI is the command line.
type CLI struct {
	Globals
	Lint     LintCmd     `cmd:"" help:"Report every problem in instruction files."`
	Compile  CompileCmd  `cmd:"" help:"Compile an instruction file to an action plan (JSON)."`
	Explain  ExplainCmd  `cmd:"" help:"Show the plan of an instruction file as a person reads it."`
	Chat     ChatCmd     `cmd:"" help:"Talk to the agent in the terminal: scenario, actions and outcomes, then the reply."`
	Simulate SimulateCmd `cmd:"" help:"Replay recorded conversations and print what the agent would do (JSON)."`
	Serve    ServeCmd    `cmd:"" help:"Run the agent over HTTP for a chat backend (JSON API, webhooks, metrics)."`
	Test     TestCmd     `cmd:"" help:"Run scenario tests (*.test.yaml): conversations with what the agent must do."`
	Fmt      FmtCmd      `cmd:"" help:"Give instruction files their canonical layout."`
	Diff     DiffCmd     `cmd:"" help:"Show what changed between two versions of an agent, as scenarios and custom actions, and the tests that cover them."`
	Lsp      LspCmd      `cmd:"" help:"Run the language server (LSP over stdio) for editors."`
	Version  VersionCmd  `cmd:"" help:"Print the version."`

	Completion kongcompletion.Completion `cmd:"" help:"Print the shell code that turns on tab completion (bash, zsh, fish)."`

	VersionFlag kong.VersionFlag `name:"version" help:"Print the version and exit."`
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run parses args and runs the command; it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cli := CLI{Globals: Globals{Stdout: stdout, Stderr: stderr, Stdin: stdin}}
	exit := -1
	parser, err := kong.New(&cli,
		kong.Name("instrc"),
		kong.Description("Compiler and runtime for the instructions support teams write for their AI agents."),
		kong.UsageOnError(),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { exit = code }),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
		kong.Vars{"version": versionLine()},
	)
	if err != nil {
		fmt.Fprintln(stderr, "instrc:", err)
		return exitCannot
	}
	// A shell asking for completions (COMP_LINE set) gets them and nothing
	// else runs.
	kongcompletion.Register(parser, kongcompletion.WithExitFunc(func(code int) { exit = code }),
		kongcompletion.WithErrorHandler(func(err error) { fmt.Fprintln(stderr, "instrc: completion:", err) }))
	if exit >= 0 {
		return exit
	}
	ctx, err := parser.Parse(args)
	if exit >= 0 {
		return exit // --help
	}
	if err != nil {
		fmt.Fprintln(stderr, "instrc:", err)
		return exitCannot
	}
	err = ctx.Run(&cli.Globals)
	if exit >= 0 {
		return exit
	}
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "instrc:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "instrc:", err)
	return exitCannot
}
