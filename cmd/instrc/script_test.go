package main

import (
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/instrc/instrc/internal/pgtest"
)

// TestMain lets the scripts run `instrc` in-process, as cmd/go's tests do,
// and stops the PostgreSQL cluster the tests started, if any.
func TestMain(m *testing.M) {
	testscript.Main(pgMain{m}, map[string]func(){
		"instrc": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI the way users do, from testdata/script/*.txtar:
// each script is a small session of commands with their expected output and
// exit status.
func TestScripts(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("EXAMPLES", wd+"/../../examples")
			return nil
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"fakemodel":  cmdFakeModel,
			"freeport":   cmdFreePort,
			"http":       cmdHTTP,
			"exits":      cmdExits,
			"sleep":      cmdSleep,
			"mkbinary":   cmdMkBinary,
			"mkutf16":    cmdMkUTF16,
			"mklongline": cmdMkLongLine,
		},
		UpdateScripts: os.Getenv("UPDATE_SCRIPTS") != "",
	})
}

// cmdExits runs a command and checks its exact exit status, which `! exec`
// does not: `exits 2 instrc lint missing.instr`. Its output is then checked
// with stdout and stderr as after exec.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}

// cmdMkBinary writes FILE with SIZE random bytes (a fixed seed): mkbinary FILE SIZE.
func cmdMkBinary(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mkbinary FILE SIZE")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), b, 0o644))
}

// cmdMkUTF16 writes FILE as a French instruction in UTF-16 (little endian,
// no byte order mark): mkutf16 FILE.
func cmdMkUTF16(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mkutf16 FILE")
	}
	var b []byte
	for _, u := range utf16.Encode([]rune("- Si le client écrit, ferme la conversation.\n")) {
		b = append(b, byte(u), byte(u>>8))
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), b, 0o644))
}

// cmdMkLongLine writes FILE: front matter naming ws.yaml, then one line of
// about SIZE bytes of scenarios that each name an unknown tag:
// mklongline FILE SIZE.
func cmdMkLongLine(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mklongline FILE SIZE")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	unit := "If the contact asks about pricing, add %Pricng. "
	text := "---\nworkspace: ws.yaml\n---\n" + strings.Repeat(unit, n/len(unit)+1) + "\n"
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(text), 0o644))
}

// pgMain runs the tests through pgtest.Main.
type pgMain struct{ m *testing.M }

func (p pgMain) Run() int { return pgtest.Main(p.m) }
