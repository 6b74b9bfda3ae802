package scenariotest

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// WriteText prints the results as a person reads them: one line per case,
// and for each failure the expectation's position, what was expected and
// what happened. showRate adds each case's pass rate and a total over all
// runs (runs with a model); there the failures shown are those of the first
// failing run, also under a case that passed at its minimum pass rate.
func WriteText(w io.Writer, results []SuiteResult, showRate bool) {
	runs, passes := 0, 0
	for _, s := range results {
		if s.Err != nil {
			var pe *Error
			if errors.As(s.Err, &pe) {
				fmt.Fprintf(w, "ERROR %v\n", s.Err)
			} else {
				fmt.Fprintf(w, "ERROR %s: %v\n", s.File, s.Err)
			}
			continue
		}
		for _, c := range s.Cases {
			status := "ok  "
			if !c.Passed() {
				status = "FAIL"
			}
			rate := ""
			if showRate {
				rate = fmt.Sprintf(" (%d/%d runs passed, %s", c.Passes, c.Runs, percent(c.Passes, c.Runs))
				if c.Required < c.Runs {
					rate += fmt.Sprintf("; %d needed", c.Required)
				}
				rate += ")"
				runs += c.Runs
				passes += c.Passes
			}
			fmt.Fprintf(w, "%s %s: %s%s\n", status, c.Pos, c.Name, rate)
			if c.Err != nil {
				fmt.Fprintf(w, "    error: %v\n", c.Err)
			}
			if showRate && len(c.Failures) > 0 {
				fmt.Fprintf(w, "    run %d of %d:\n", c.FailedRun, c.Runs)
			}
			for i, f := range c.Failures {
				fmt.Fprintf(w, "    %s: turn %d %q: %s\n        want: %s\n        got:  %s\n", f.Pos, f.Turn, f.Msg, f.What, f.Want, f.Got)
				if f.Note != "" && (i+1 == len(c.Failures) || c.Failures[i+1].Turn != f.Turn) {
					// Once per turn, under its last failure.
					fmt.Fprintf(w, "        note: %s\n", f.Note)
				}
			}
		}
	}
	cases, failed := Count(results)
	errs := 0
	for _, s := range results {
		if s.Err != nil {
			errs++
		}
	}
	fmt.Fprintf(w, "%d cases, %d passed, %d failed", cases, cases-failed, failed)
	if errs > 0 {
		files := "files"
		if errs == 1 {
			files = "file"
		}
		fmt.Fprintf(w, ", %d %s could not run", errs, files)
	}
	if showRate && runs > 0 {
		fmt.Fprintf(w, "; %d/%d runs passed, %s", passes, runs, percent(passes, runs))
	}
	fmt.Fprintln(w)
}

// percent shows n of total as a whole percentage that never rounds up to
// 100% or down to 0% when it is not.
func percent(n, total int) string {
	if total <= 0 {
		return "0%"
	}
	p := 100 * float64(n) / float64(total)
	switch {
	case n < total && p > 99:
		return fmt.Sprintf("%.1f%%", min(p, 99.9))
	case n > 0 && p < 1:
		return fmt.Sprintf("%.1f%%", max(p, 0.1))
	}
	return fmt.Sprintf("%.0f%%", p)
}

// Count returns the number of cases and of failed cases.
func Count(results []SuiteResult) (cases, failed int) {
	for _, s := range results {
		for _, c := range s.Cases {
			cases++
			if !c.Passed() {
				failed++
			}
		}
	}
	return cases, failed
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// junitClass is the classname of a test file's cases: its path without
// ".test.yaml", with slashes, so that Jenkins (which reads dots as package
// separators) shows examples/sales/agent rather than a class "yaml".
func junitClass(file string) string {
	name := filepath.ToSlash(file)
	for _, ext := range []string{".test.yaml", ".test.yml"} {
		name = strings.TrimSuffix(name, ext)
	}
	return strings.ReplaceAll(name, ".", "_")
}

// WriteJUnit writes JUnit XML in the common Jenkins schema (junit-10.xsd):
// one testsuite per test file, named by its path, and one testcase per
// case, named by the case; where a case failed is in its failure's text.
func WriteJUnit(w io.Writer, results []SuiteResult) error {
	out := junitSuites{}
	for _, s := range results {
		js := junitSuite{Name: s.File, Time: fmt.Sprintf("%.3f", s.Elapsed.Seconds())}
		if s.Err != nil {
			js.Errors++
			js.Tests++
			js.Cases = append(js.Cases, junitCase{Name: "load", Classname: junitClass(s.File), Time: "0.000", Error: &junitProblem{Message: s.Err.Error(), Text: s.Err.Error()}})
		}
		for _, c := range s.Cases {
			jc := junitCase{Name: c.Name, Classname: junitClass(s.File), Time: fmt.Sprintf("%.3f", c.Elapsed.Seconds())}
			js.Tests++
			switch {
			case c.Err != nil:
				js.Errors++
				jc.Error = &junitProblem{Message: c.Err.Error(), Text: c.Err.Error()}
			case !c.Passed():
				js.Failures++
				var b strings.Builder
				for _, f := range c.Failures {
					fmt.Fprintf(&b, "%s: turn %d %q: %s\n  want: %s\n  got:  %s\n", f.Pos, f.Turn, f.Msg, f.What, f.Want, f.Got)
					if f.Note != "" {
						fmt.Fprintf(&b, "  note: %s\n", f.Note)
					}
				}
				msg := fmt.Sprintf("%d of %d runs passed", c.Passes, c.Runs)
				if c.Required < c.Runs {
					msg += fmt.Sprintf(", %d needed", c.Required)
				}
				if len(c.Failures) > 0 {
					msg = fmt.Sprintf("%s: %s: %s (%s)", c.Failures[0].Pos, c.Failures[0].What, "want "+c.Failures[0].Want+", got "+c.Failures[0].Got, msg)
				}
				jc.Failure = &junitProblem{Message: msg, Type: "expectation", Text: b.String()}
			}
			js.Cases = append(js.Cases, jc)
		}
		out.Tests += js.Tests
		out.Failures += js.Failures
		out.Errors += js.Errors
		out.Suites = append(out.Suites, js)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
