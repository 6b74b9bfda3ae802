package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/instrc/instrc/diag"
)

// pathError is a path that could not be read while looking for files: a
// missing file, a symbolic link loop, a folder without permission.
type pathError struct {
	path string
	err  error
}

// findFiles expands directories into the files below them whose names
// match, sorted per directory; files named directly are kept as given.
// Hidden folders, testdata and node_modules are skipped. With mustFind, a
// directory holding no match is an error (what names the files sought).
// Paths that cannot be read are returned apart, so that the caller can
// report each and go on with the others.
func findFiles(paths []string, match func(name string) bool, what string, mustFind bool) ([]string, []pathError, error) {
	var out []string
	var bad []pathError
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			bad = append(bad, pathError{p, err})
			continue
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				bad = append(bad, pathError{path, err})
				if d != nil && d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() && path != p && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			if !d.IsDir() && match(d.Name()) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
		if mustFind && len(found) == 0 && !slices.ContainsFunc(bad, func(b pathError) bool { return b.path == p }) {
			return nil, nil, fmt.Errorf("no %s in %s", what, p)
		}
		slices.Sort(found)
		out = append(out, found...)
	}
	return out, bad, nil
}

// firstError makes the first unreadable path an error, for the commands
// that stop there.
func firstError(bad []pathError) error {
	if len(bad) == 0 {
		return nil
	}
	return readError(bad[0].path, bad[0].err)
}

// readError says why a file cannot be read, in words a person can act on.
func readError(path string, err error) error {
	return errors.New(diag.UnreadableMessage(path, err, "en"))
}
