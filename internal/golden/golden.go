// Package golden is the one harness for instrc's golden files: txtar
// archives under testdata/ whose expected sections a test compares with
// what the code produces, and rewrites under one flag:
//
//	go test ./compiler ./format ./grammar ./examples ./stdlib -update
//
// as cmd/go and CUE do. A test reads an archive, computes each expected
// section, and calls Check; with -update the archive is rewritten in place,
// keeping its comment and the order of its files.
package golden

import (
	"flag"
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the expected sections of golden files under testdata/")

// Update reports whether the test run was asked to rewrite golden files.
func Update() bool { return *update }

// Archive is a txtar archive read from a file, with what Check changed.
type Archive struct {
	*txtar.Archive
	Path    string
	changed bool
}

// Read parses the archive at path, failing the test if it cannot be read.
// Two sections with the same name fail the test too.
func Read(t testing.TB, path string) *Archive {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	seen := map[string]bool{}
	for _, f := range ar.Files {
		if seen[f.Name] {
			t.Fatalf("%s holds %s twice", path, f.Name)
		}
		seen[f.Name] = true
	}
	return &Archive{Archive: ar, Path: path}
}

// File returns the contents of the named section.
func (a *Archive) File(name string) ([]byte, bool) {
	for _, f := range a.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

// Names returns the names of the sections, in order.
func (a *Archive) Names() []string {
	out := make([]string, len(a.Files))
	for i, f := range a.Files {
		out[i] = f.Name
	}
	return out
}

// Check compares got with the section name. Under -update it sets the
// section instead (adding it after the section named after, or at the end)
// and Save writes the archive back.
func (a *Archive) Check(t testing.TB, name, after string, got []byte) {
	t.Helper()
	want, ok := a.File(name)
	if *update {
		if !ok || string(want) != string(got) {
			a.set(name, after, got)
		}
		return
	}
	if !ok {
		t.Errorf("%s has no %s; run go test with -update to write it", a.Path, name)
		return
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s: %s differs (-want +got):\n%s", a.Path, name, diff)
	}
}

func (a *Archive) set(name, after string, data []byte) {
	a.changed = true
	for i := range a.Files {
		if a.Files[i].Name == name {
			a.Files[i].Data = data
			return
		}
	}
	at := len(a.Files)
	for i, f := range a.Files {
		if f.Name == after {
			at = i + 1
		}
	}
	a.Files = slices.Insert(a.Files, at, txtar.File{Name: name, Data: data})
}

// Save writes the archive back if Check changed it under -update.
func (a *Archive) Save(t testing.TB) {
	t.Helper()
	if !a.changed {
		return
	}
	if err := os.WriteFile(a.Path, txtar.Format(a.Archive), 0o644); err != nil {
		t.Fatalf("write %s: %v", a.Path, err)
	}
}

// CheckFile compares got with the whole file at path (a generated
// document, a plan), rewriting it under -update.
func CheckFile(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if old, err := os.ReadFile(path); err != nil || string(old) != string(got) {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatalf("write %s: %v", path, err)
			}
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("read %s: %v; run go test with -update to write it", path, err)
		return
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}
