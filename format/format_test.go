package format

import (
	"github.com/instrc/instrc/internal/golden"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rogpeppe/go-internal/txtar"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/ir"
	"github.com/instrc/instrc/workspace"
)

// TestGolden formats each testdata/*.txtar's input.instr and compares the
// result with its output.instr.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ar := golden.Read(t, file)
			in, ok := ar.File("input.instr")
			require.True(t, ok, "input.instr")
			got := Source(in)
			ar.Check(t, "output.instr", "input.instr", got)
			ar.Save(t)
			if diff := cmp.Diff(string(got), string(Source(got))); diff != "" {
				t.Errorf("formatting twice (-once +twice):\n%s", diff)
			}
			samePlan(t, in, got)
		})
	}
}

// TestExamplesAreFormatted keeps the shipped examples in the canonical
// layout, so that they show what instrc fmt writes.
func TestExamplesAreFormatted(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "examples", "*", "*.instr"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		if diff := cmp.Diff(string(b), string(Source(b))); diff != "" {
			t.Errorf("%s is not formatted (-file +formatted):\n%s", f, diff)
		}
	}
}

func TestMeaningChangeFallsBack(t *testing.T) {
	// canonical would join these lines, and cautious keeps them; whatever the
	// layout, the meaning check must hold. A layout that breaks meaning is
	// detected: here, dropping the second sentence.
	text := []byte("- If the contact is upset, add %Complaint. Then assign to @Support.\n")
	orig := meaning(parse(text))
	require.NotEqual(t, orig, meaning(parse([]byte("- If the contact is upset, add %Complaint.\n"))))
	require.Equal(t, orig, meaning(parse(Source(text))))
}

var testWorkspace = func() *workspace.Workspace {
	ws, _, err := workspace.LoadFile(filepath.Join("..", "examples", "support", "workspace.yaml"))
	if err != nil {
		panic(err)
	}
	return ws
}()

// samePlan checks that a and b compile to the same plan against one
// workspace, line numbers and source text aside.
func samePlan(t *testing.T, a, b []byte) {
	t.Helper()
	pa := compiler.Run(compiler.Source{Filename: "a.instr", Text: a}, compiler.Options{Workspace: testWorkspace}).Plan
	pb := compiler.Run(compiler.Source{Filename: "b.instr", Text: b}, compiler.Options{Workspace: testWorkspace}).Plan
	opts := cmp.Options{
		cmpopts.IgnoreFields(ir.Scenario{}, "Line", "Source"),
		cmpopts.EquateEmpty(),
		cmp.Transformer("loose", loose),
	}
	if diff := cmp.Diff(pa, pb, opts); diff != "" {
		t.Errorf("plan changed (-original +formatted):\n%s\n--- original\n%s\n--- formatted\n%s", diff, a, b)
	}
}

// FuzzFormat checks the two properties of the formatter on any input:
// formatting twice changes nothing, and the formatted text compiles to the
// same plan as the original.
func FuzzFormat(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	for _, s := range seeds {
		ar, err := txtar.ParseFile(s)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range ar.Files {
			f.Add(file.Data)
		}
	}
	examples, _ := filepath.Glob(filepath.Join("..", "examples", "*", "*.instr"))
	for _, e := range examples {
		b, err := os.ReadFile(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"", "\n\n", "---\n", "- ", "-\tIf x, close the conversation.", "If A, add %Refund. Reply with thanks.",
		"- If A, close the conversation.\n  Reply with thanks.\n", "- Si A, ajoute %Cadeau.\n- Add %VIP if B. Then assign to @Sales.",
		"- If they say “hi” , add %'VIP' .", "1. If x,\tadd  %Refund\r\n2. If y, close the conversation.\r\n",
		"> If x, assign to @Sales.\n> Then add %VIP.", "- If x, reply: \"a\nb\"\n- y", "# h\n- If 😀 x, add %Outage.",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		once := Source(text)
		twice := Source(once)
		if diff := cmp.Diff(string(once), string(twice)); diff != "" {
			t.Fatalf("formatting twice differs (-once +twice):\n%s\ninput: %q", diff, text)
		}
		samePlan(t, text, once)
	})
}
