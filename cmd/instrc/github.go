package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/instrc/instrc/diag"
)

// writeGitHub prints diagnostics as GitHub Actions workflow commands
// (`::error file=…,line=…::message`), which the runner turns into
// annotations on the pull request's changed lines without any upload step.
func writeGitHub(w io.Writer, ds diag.Diagnostics) error {
	var b strings.Builder
	for _, d := range ds {
		level := "error"
		if d.Severity == diag.Warning {
			level = "warning"
		}
		r := d.Range
		props := []string{
			"file=" + ghProperty(filepath.ToSlash(relPath(r.Filename))),
			fmt.Sprintf("line=%d", max(r.Start.Line, 1)),
			fmt.Sprintf("col=%d", max(r.Start.Column, 1)),
		}
		if r.End.Line >= r.Start.Line && r.End.Line > 0 {
			props = append(props, fmt.Sprintf("endLine=%d", r.End.Line))
			if r.End.Line > r.Start.Line || r.End.Column > r.Start.Column {
				props = append(props, fmt.Sprintf("endColumn=%d", r.End.Column))
			}
		}
		props = append(props, "title="+ghProperty(d.Code))
		msg := d.Message
		if d.Suggestion != "" && !strings.Contains(msg, d.Suggestion) {
			msg += fmt.Sprintf(" (suggestion: %s)", d.Suggestion)
		}
		fmt.Fprintf(&b, "::%s %s::%s\n", level, strings.Join(props, ","), ghData(msg))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ghData escapes a workflow command's message, as the runner's toolkit does.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
