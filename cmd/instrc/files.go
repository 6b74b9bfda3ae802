package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// findFiles expands directories into the files below them whose names
// match, sorted per directory; files named directly are kept as given.
// Hidden folders, testdata and node_modules are skipped. With mustFind, a
// directory holding no match is an error (what names the files sought).
func findFiles(paths []string, match func(name string) bool, what string, mustFind bool) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
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
			return nil, err
		}
		if mustFind && len(found) == 0 {
			return nil, fmt.Errorf("no %s in %s", what, p)
		}
		slices.Sort(found)
		out = append(out, found...)
	}
	return out, nil
}
