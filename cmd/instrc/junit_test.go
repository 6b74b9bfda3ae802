package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// xmlNode is a generic element, for checking JUnit output against the
// rules of the common Jenkins schema (junit-10.xsd).
type xmlNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []xmlNode  `xml:",any"`
	Text     string     `xml:",chardata"`
}

// jenkinsJUnit lists, per element of the Jenkins JUnit schema, the
// attributes it allows (required ones marked true) and its allowed
// children.
var jenkinsJUnit = map[string]struct {
	attrs    map[string]bool
	children []string
}{
	"testsuites": {map[string]bool{"name": false, "time": false, "tests": false, "failures": false, "disabled": false, "errors": false}, []string{"testsuite"}},
	"testsuite": {map[string]bool{"name": true, "tests": true, "failures": false, "errors": false, "time": false, "disabled": false, "skipped": false,
		"timestamp": false, "hostname": false, "id": false, "package": false}, []string{"properties", "testcase", "system-out", "system-err"}},
	"testcase":   {map[string]bool{"name": true, "assertions": false, "time": false, "classname": false, "status": false}, []string{"skipped", "error", "failure", "system-out", "system-err"}},
	"failure":    {map[string]bool{"type": false, "message": false}, nil},
	"error":      {map[string]bool{"type": false, "message": false}, nil},
	"skipped":    {map[string]bool{"message": false}, nil},
	"system-out": {nil, nil},
	"system-err": {nil, nil},
}

func checkJenkinsJUnit(n xmlNode, path string) error {
	rule, ok := jenkinsJUnit[n.XMLName.Local]
	if !ok {
		return fmt.Errorf("%s: element %s is not in the schema", path, n.XMLName.Local)
	}
	have := map[string]string{}
	for _, a := range n.Attrs {
		if _, ok := rule.attrs[a.Name.Local]; !ok {
			return fmt.Errorf("%s: attribute %s is not allowed", path, a.Name.Local)
		}
		have[a.Name.Local] = a.Value
	}
	for name, required := range rule.attrs {
		if required && have[name] == "" {
			return fmt.Errorf("%s: required attribute %s is missing", path, name)
		}
	}
	for _, num := range []string{"tests", "failures", "errors", "skipped"} {
		if v, ok := have[num]; ok {
			if _, err := strconv.Atoi(v); err != nil {
				return fmt.Errorf("%s: %s=%q is not an integer", path, num, v)
			}
		}
	}
	if v, ok := have["time"]; ok {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return fmt.Errorf("%s: time=%q is not a number", path, v)
		}
	}
	for _, c := range n.Children {
		allowed := false
		for _, name := range rule.children {
			allowed = allowed || name == c.XMLName.Local
		}
		if !allowed {
			return fmt.Errorf("%s: %s may not hold %s", path, n.XMLName.Local, c.XMLName.Local)
		}
		if err := checkJenkinsJUnit(c, path+"/"+c.XMLName.Local); err != nil {
			return err
		}
	}
	return nil
}

func TestJUnitFollowsTheJenkinsSchema(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"agent.instr", "workspace.yaml"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "examples", "sales", f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), b, 0o644))
	}
	wrong := "agent: agent.instr\ncases:\n  - name: pricing goes to sales\n    conversation:\n      - contact: How much is the Pro plan?\n        expect:\n          scenario: line 40\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "wrong.test.yaml"), []byte(wrong), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "broken.test.yaml"), []byte("agent: [\n"), 0o644))
	var stdout, stderr bytes.Buffer
	code := run([]string{"test", "--junit", "-",
		filepath.Join("..", "..", "examples", "sales", "agent.test.yaml"),
		filepath.Join(dir, "wrong.test.yaml"), filepath.Join(dir, "broken.test.yaml")}, nil, &stdout, &stderr)
	assert.Equal(t, exitErrors, code, stderr.String())
	var root xmlNode
	require.NoError(t, xml.Unmarshal(stdout.Bytes(), &root))
	require.Equal(t, "testsuites", root.XMLName.Local)
	require.NoError(t, checkJenkinsJUnit(root, "testsuites"))
	var names []string
	for _, s := range root.Children {
		for _, a := range s.Attrs {
			if a.Name.Local == "name" {
				names = append(names, a.Value)
			}
		}
	}
	assert.Equal(t, []string{filepath.Join("..", "..", "examples", "sales", "agent.test.yaml"),
		filepath.Join(dir, "wrong.test.yaml"), filepath.Join(dir, "broken.test.yaml")}, names, "one suite per file, named by its path")

	// The check can fail.
	bad := xmlNode{XMLName: xml.Name{Local: "testsuites"}, Children: []xmlNode{{XMLName: xml.Name{Local: "testsuite"},
		Children: []xmlNode{{XMLName: xml.Name{Local: "testcase"}, Attrs: []xml.Attr{{Name: xml.Name{Local: "name"}, Value: "x"}, {Name: xml.Name{Local: "line"}, Value: "3"}}}}}}}
	assert.Error(t, checkJenkinsJUnit(bad, "testsuites"))
}
