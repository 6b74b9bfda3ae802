package main

import (
	"runtime/debug"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUseColor(t *testing.T) {
	tests := []struct {
		mode     string
		terminal bool
		noColor  string
		term     string
		want     bool
	}{
		{"auto", true, "", "xterm-256color", true},
		{"auto", false, "", "xterm-256color", false}, // piped
		{"auto", true, "1", "xterm", false},          // NO_COLOR
		{"auto", true, "", "dumb", false},
		{"always", false, "1", "dumb", true},
		{"never", true, "", "xterm", false},
	}
	var got, want []bool
	for _, tt := range tests {
		got = append(got, useColor(tt.mode, tt.terminal, tt.noColor, tt.term))
		want = append(want, tt.want)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Error(d)
	}
}

func TestVersionFrom(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	tests := []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"go install of a release", debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, "v1.4.0"},
		{"pseudo-version", debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201120000-abcdef123456"}}, "v0.0.0-20261201120000-abcdef123456"},
		{"built in a checkout", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: settings("vcs.revision", "0123456789abcdef0123", "vcs.modified", "false")}, "devel+0123456789ab"},
		{"uncommitted changes", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: settings("vcs.revision", "0123456789abcdef0123", "vcs.modified", "true")}, "devel+0123456789ab+dirty"},
		{"nothing known", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, versionFrom(&tt.info)); d != "" {
				t.Error(d)
			}
		})
	}
}
