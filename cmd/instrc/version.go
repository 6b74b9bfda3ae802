package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Version is the instrc version when set at build time
// (-ldflags "-X main.Version=v1.2.3"); otherwise version() reads it from the
// Go build information.
var Version = ""

// version says which instrc this is: the module version `go install`
// records (v1.2.3, or a pseudo-version), else the commit it was built from
// (with "+dirty" for uncommitted changes), else "devel".
func version() string {
	if Version != "" {
		return Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return versionFrom(info)
}

// versionFrom is version() for given build information.
func versionFrom(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	rev := settings["vcs.revision"]
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "devel+" + rev
	if settings["vcs.modified"] == "true" {
		v += "+dirty"
	}
	return v
}

// VersionCmd prints the version.
type VersionCmd struct{}

// Run prints the version and the Go version it was built with.
func (v *VersionCmd) Run(g *Globals) error {
	fmt.Fprintln(g.Stdout, versionLine())
	return nil
}

func versionLine() string {
	line := "instrc " + version()
	if info, ok := debug.ReadBuildInfo(); ok && info.GoVersion != "" {
		line += " (" + strings.TrimPrefix(info.GoVersion, "go") + ")"
		line = strings.Replace(line, "(", "(go ", 1)
	}
	return line
}
