package config

import (
	"path"
	"strings"
)

// Match reports whether the slash-separated path name matches pattern. A
// pattern segment `**` matches any number of folders (including none), as
// in .gitignore; other segments follow path.Match. A pattern without a slash
// matches the file's base name anywhere ("*.draft.instr"); a pattern that
// names a folder matches everything below it ("drafts/old").
func Match(pattern, name string) bool {
	pattern = strings.TrimPrefix(pattern, "./")
	if !strings.Contains(pattern, "/") {
		ok, _ := path.Match(pattern, path.Base(name))
		return ok
	}
	return matchSegments(strings.Split(strings.Trim(pattern, "/"), "/"), strings.Split(name, "/"))
}

func matchSegments(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			rest := pat[1:]
			for i := 0; i <= len(name); i++ {
				if matchSegments(rest, name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	// Whatever remains of name is below a folder the pattern named, and a
	// folder that is ignored is ignored with everything in it.
	return true
}

// validGlob reports whether every segment of pattern is a valid path.Match
// pattern.
func validGlob(pattern string) bool {
	for _, seg := range strings.Split(pattern, "/") {
		if seg == "**" {
			continue
		}
		if _, err := path.Match(seg, ""); err != nil {
			return false
		}
	}
	return true
}
