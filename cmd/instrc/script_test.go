package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the scripts run `instrc` in-process, as cmd/go's tests do.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
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
		Cmds:          map[string]func(*testscript.TestScript, bool, []string){"fakemodel": cmdFakeModel, "freeport": cmdFreePort, "http": cmdHTTP},
		UpdateScripts: os.Getenv("UPDATE_SCRIPTS") != "",
	})
}
