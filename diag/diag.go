// Package diag holds the source positions and diagnostics shared by every
// phase of instrc. Like HCL's hcl.Diagnostic, a diagnostic carries a
// severity, a stable code, a message that says what to do, and a source
// range, so that each phase can return a partial result together with all the
// problems it found instead of stopping at the first one.
package diag

import (
	"cmp"
	"slices"
)

// Pos is a position in a source file. Line and Column are 1-based; Column
// counts runes (not bytes), so that accented French text lines up. Offset is
// the 0-based byte offset.
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Offset int `json:"offset"`
}

// Range is a half-open span [Start, End) in one file.
type Range struct {
	Filename string `json:"filename,omitempty"`
	Start    Pos    `json:"start"`
	End      Pos    `json:"end"`
}

// Severity says whether a diagnostic blocks (Error) or informs (Warning).
type Severity int

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// MarshalText makes severities appear as "error"/"warning" in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText is the inverse of MarshalText.
func (s *Severity) UnmarshalText(b []byte) error {
	if string(b) == "warning" {
		*s = Warning
	} else {
		*s = Error
	}
	return nil
}

// Diagnostic is one problem found in an instruction or workspace file.
type Diagnostic struct {
	Severity Severity
	// Code is stable across releases (diag.Rules, docs/diagnostics.md): tools match on it.
	Code string
	// Message says what is wrong and what to do about it.
	Message string
	// Suggestion is the replacement text for the range, when one is known
	// (the nearest workspace name, say). Editors turn it into a quick fix.
	Suggestion string
	Range      Range
}

// Diagnostics is a list of diagnostics with helpers.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Count returns the number of errors and warnings.
func (ds Diagnostics) Count() (errors, warnings int) {
	for _, d := range ds {
		if d.Severity == Error {
			errors++
		} else {
			warnings++
		}
	}
	return errors, warnings
}

// Sort orders diagnostics by file, position, then code, so that output is
// stable whatever order the checks ran in.
func (ds Diagnostics) Sort() {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Range.Filename, b.Range.Filename),
			cmp.Compare(a.Range.Start.Offset, b.Range.Start.Offset),
			cmp.Compare(a.Range.End.Offset, b.Range.End.Offset),
			cmp.Compare(a.Code, b.Code),
			cmp.Compare(a.Message, b.Message),
		)
	})
}
