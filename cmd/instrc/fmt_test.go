package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const messy = "*   If the contact asks about pricing,  add %Pricing.\n"
const tidy = "- If the contact asks about pricing, add %Pricing.\n"

func fmtWith(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"fmt"}, args...), strings.NewReader(stdin), &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

func TestFmtFlags(t *testing.T) {
	dir := writeProject(t, map[string]string{"a.instr": messy, "b.instr": tidy})
	a, b := filepath.Join(dir, "a.instr"), filepath.Join(dir, "b.instr")

	out, _, code := fmtWith(t, "", a)
	assert.Equal(t, exitOK, code)
	assert.Equal(t, tidy, out, "prints the formatted file")

	out, _, _ = fmtWith(t, "", "-l", dir)
	assert.Equal(t, a+"\n", out, "lists only the file that changes")

	out, _, _ = fmtWith(t, "", "-d", a)
	assert.Contains(t, out, "-"+messy)
	assert.Contains(t, out, "+"+tidy)
	assert.Contains(t, out, "@@")

	_, _, code = fmtWith(t, "", "-w", dir)
	assert.Equal(t, exitOK, code)
	for _, f := range []string{a, b} {
		got, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.Equal(t, tidy, string(got))
	}
	out, _, _ = fmtWith(t, "", "-l", dir)
	assert.Empty(t, out, "nothing left to format")
}

func TestFmtStdin(t *testing.T) {
	out, _, code := fmtWith(t, messy)
	assert.Equal(t, exitOK, code)
	assert.Equal(t, tidy, out)
	_, stderr, code := fmtWith(t, messy, "-w")
	assert.Equal(t, exitCannot, code)
	assert.Contains(t, stderr, "-w needs files")
}
