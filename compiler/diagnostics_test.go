package compiler_test

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/instrc/instrc/compiler"
	"github.com/instrc/instrc/diag"
	"github.com/instrc/instrc/internal/golden"
	"github.com/instrc/instrc/workspace"
)

// TestDiagnosticGoldens compiles every instruction file of every archive in
// testdata/diagnostics against the archive's workspace and compares the text
// output with the archive's .out file.
//
// An archive is named after the code it shows (unknown-field.txtar) and holds:
//
//	workspace.yaml   the workspace the instructions are checked against
//	en.instr         English instructions that trigger the code
//	fr.instr         the same in French
//	en.out, fr.out   the exact output of lint for each file
//	symlinks         optional: lines "name -> target" made symbolic links in
//	                 a temporary folder, for files that cannot be read
//
// As lint does, instrc-disable comments apply, and a file that cannot be
// read is one unreadable diagnostic.
//
// In each .instr file, the lines after the first "## " heading are near
// misses: they must not get the archive's code.
func TestDiagnosticGoldens(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "diagnostics", "*.txtar"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)

	covered := map[string]bool{}
	for _, path := range paths {
		code := strings.TrimSuffix(filepath.Base(path), ".txtar")
		covered[code] = true
		t.Run(code, func(t *testing.T) {
			_, known := diag.RuleFor(code)
			require.True(t, known, "%s is named after no diagnostic code", path)
			ar := golden.Read(t, path)
			files := map[string][]byte{}
			for _, f := range ar.Files {
				files[f.Name] = f.Data
			}
			require.Contains(t, files, "workspace.yaml")
			links := symlinks(t, files["symlinks"])
			for _, name := range []string{"en.instr", "fr.instr"} {
				_, linked := links[name]
				require.True(t, files[name] != nil || linked, "%s has no %s", path, name)
			}
			ws, wsDiags := workspace.Load("workspace.yaml", files["workspace.yaml"])
			if code != diag.CodeWorkspace {
				require.Empty(t, wsDiags, "the workspace of %s must load cleanly", path)
			}

			for _, name := range append(instrFiles(ar), slices.Sorted(maps.Keys(links))...) {
				lang := strings.SplitN(strings.TrimSuffix(name, ".instr"), "-", 2)[0]
				var ds diag.Diagnostics
				var srcs diag.Sources
				if path, ok := links[name]; ok {
					_, err := os.ReadFile(path)
					require.Error(t, err, "%s must not be readable", name)
					ds = append(slices.Clone(wsDiags), diag.Unreadable(name, err, lang))
				} else {
					res := compiler.Run(compiler.Source{Filename: name, Text: files[name]}, compiler.Options{Workspace: ws})
					assert.Equal(t, lang, res.File.Language, "%s: language detected", name)
					ds = append(slices.Clone(wsDiags), res.Diagnostics...)
					srcs = res.Sources
				}
				ds.Sort()
				var b bytes.Buffer
				require.NoError(t, diag.WriteText(&b, ds, srcs))
				got := b.String()

				assert.True(t, slices.ContainsFunc(ds, func(d diag.Diagnostic) bool { return d.Code == code }),
					"%s: no diagnostic has code %s:\n%s", name, code, got)
				if line := nearMissLine(files[name]); line > 0 {
					for _, d := range ds {
						if d.Code == code && d.Range.Filename == name && d.Range.Start.Line >= line {
							t.Errorf("%s:%d: a near miss (after line %d) got %s: %s", name, d.Range.Start.Line, line, code, d.Message)
						}
					}
				}

				ar.Check(t, strings.TrimSuffix(name, ".instr")+".out", name, []byte(got))
			}
			ar.Save(t)
		})
	}

	for _, r := range diag.Rules {
		assert.True(t, covered[r.Code], "no archive testdata/diagnostics/%s.txtar for code %s", r.Code, r.Code)
	}
}

// symlinks makes the links of a symlinks section in a temporary folder and
// returns the path of each .instr link by name.
func symlinks(t *testing.T, section []byte) map[string]string {
	out := map[string]string{}
	dir := ""
	for _, line := range strings.Split(strings.TrimSpace(string(section)), "\n") {
		name, target, ok := strings.Cut(line, " -> ")
		if !ok {
			continue
		}
		if dir == "" {
			dir = t.TempDir()
		}
		require.NoError(t, os.Symlink(target, filepath.Join(dir, name)))
		if strings.HasSuffix(name, ".instr") {
			out[name] = filepath.Join(dir, name)
		}
	}
	return out
}

// instrFiles returns the names of the archive's instruction files, in order.
func instrFiles(ar *golden.Archive) []string {
	var out []string
	for _, f := range ar.Files {
		if strings.HasSuffix(f.Name, ".instr") {
			out = append(out, f.Name)
		}
	}
	return out
}

// nearMissLine returns the line of the first "## " heading, or 0.
func nearMissLine(text []byte) int {
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.HasPrefix(sc.Text(), "## ") {
			return n
		}
	}
	return 0
}

// TestDiagnosticsDoc checks that docs/diagnostics.md documents every code
// with output that lint really prints: each line of a section's console
// blocks is a line of the code's English golden output (written for
// agent.instr), and the section quotes the French message of the golden.
func TestDiagnosticsDoc(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "diagnostics.md"))
	require.NoError(t, err)
	sections := map[string]string{}
	for _, part := range strings.Split(string(doc), "\n## `")[1:] {
		code, body, _ := strings.Cut(part, "`")
		sections[code] = body
	}
	for _, r := range diag.Rules {
		t.Run(r.Code, func(t *testing.T) {
			body, ok := sections[r.Code]
			require.True(t, ok, "docs/diagnostics.md has no section ## `%s`", r.Code)
			files := map[string]string{}
			for _, f := range golden.Read(t, filepath.Join("testdata", "diagnostics", r.Code+".txtar")).Files {
				files[f.Name] = string(f.Data)
			}
			enOut := strings.ReplaceAll(files["en.out"], "en.instr:", "agent.instr:")
			goldenLines := strings.Split(enOut, "\n")

			shown := 0
			for _, block := range consoleBlocks(body) {
				for _, line := range strings.Split(block, "\n") {
					if line == "" || strings.HasPrefix(line, "$ ") {
						continue
					}
					assert.Contains(t, goldenLines, line, "docs/diagnostics.md, section %s: this line is not in the golden output", r.Code)
					if strings.HasSuffix(line, "["+r.Code+"]") {
						shown++
					}
				}
			}
			assert.Positive(t, shown, "section %s shows no %s diagnostic", r.Code, r.Code)

			var frMessages []string
			for _, line := range strings.Split(files["fr.out"], "\n") {
				if _, rest, ok := strings.Cut(line, ": error: "); ok && strings.HasSuffix(line, "["+r.Code+"]") {
					frMessages = append(frMessages, strings.TrimSuffix(rest, " ["+r.Code+"]"))
				} else if _, rest, ok := strings.Cut(line, ": warning: "); ok && strings.HasSuffix(line, "["+r.Code+"]") {
					frMessages = append(frMessages, strings.TrimSuffix(rest, " ["+r.Code+"]"))
				}
			}
			if r.Code != diag.CodeWorkspace {
				assert.True(t, slices.ContainsFunc(frMessages, func(m string) bool { return strings.Contains(body, "> "+m+"\n") }),
					"section %s quotes none of the French messages of the golden", r.Code)
			}
		})
	}
}

// consoleBlocks returns the contents of the ```console blocks of a section.
func consoleBlocks(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "```console\n")
		if i < 0 {
			return out
		}
		s = s[i+len("```console\n"):]
		j := strings.Index(s, "```")
		if j < 0 {
			return out
		}
		out = append(out, s[:j])
		s = s[j:]
	}
}

// TestLanguageDocExamples checks that every ```instr block of
// docs/language.md lints clean against the workspace the diagnostics
// goldens use.
func TestLanguageDocExamples(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "language.md"))
	require.NoError(t, err)
	var wsText []byte
	for _, f := range golden.Read(t, filepath.Join("testdata", "diagnostics", "unknown-field.txtar")).Files {
		if f.Name == "workspace.yaml" {
			wsText = f.Data
		}
	}
	ws, wsDiags := workspace.Load("workspace.yaml", wsText)
	require.Empty(t, wsDiags)

	blocks := fencedBlocks(string(doc), "instr")
	require.NotEmpty(t, blocks)
	for i, block := range blocks {
		name := fmt.Sprintf("language.md#%d", i+1)
		res := compiler.Run(compiler.Source{Filename: name, Text: []byte(block)}, compiler.Options{Workspace: ws})
		var b bytes.Buffer
		require.NoError(t, diag.WriteText(&b, res.Diagnostics, res.Sources))
		assert.Empty(t, b.String(), "example %d of docs/language.md:\n%s", i+1, block)
		assert.NotEmpty(t, res.Plan.Scenarios, "example %d of docs/language.md has no scenario:\n%s", i+1, block)
	}
}

// fencedBlocks returns the contents of the ```lang blocks of a Markdown text.
func fencedBlocks(s, lang string) []string {
	var out []string
	open := "```" + lang + "\n"
	for {
		i := strings.Index(s, open)
		if i < 0 {
			return out
		}
		s = s[i+len(open):]
		j := strings.Index(s, "\n```")
		if j < 0 {
			return out
		}
		out = append(out, s[:j+1])
		s = s[j:]
	}
}
