package diag

import (
	"fmt"
	"regexp"
	"strings"
)

// CodeUnusedDisable reports an instrc-disable comment that silences
// nothing: a code that no diagnostic in its scope has, or that is no code.
const CodeUnusedDisable = "unused-disable"

// directiveRE matches a silencing comment on a line of its own, as ESLint
// users write them:
//
//	<!-- instrc-disable-next-line unknown-tag -->     the next line
//	<!-- instrc-disable unknown-tag, vague-instruction -->  the rest of the file
var directiveRE = regexp.MustCompile(`^\s*<!--\s*instrc-disable(-next-line)?((?:[\s,]+[a-z][a-z-]*)+)\s*-->\s*$`)

// directive is one code named by a silencing comment.
type directive struct {
	code       string
	from, to   int // lines silenced, 1-based, inclusive
	start, end int // byte offsets of the code in the comment
	nextLine   bool
	used       bool
}

// ApplyDirectives drops the diagnostics of src's file that an
// instrc-disable comment silences and adds a CodeUnusedDisable warning for
// each code of such a comment that silences nothing. lang ("en", "fr")
// chooses the language of those warnings.
func ApplyDirectives(src *Source, ds Diagnostics, lang string) Diagnostics {
	if src == nil || !strings.Contains(string(src.Text), "instrc-disable") {
		return ds
	}
	var dirs []*directive
	for n := 1; n <= src.LineCount(); n++ {
		start, end, _ := src.LineSpan(n)
		line := src.Text[start:end]
		m := directiveRE.FindSubmatchIndex(line)
		if m == nil {
			continue
		}
		next := m[2] >= 0
		from, to := n+1, src.LineCount()
		if next {
			to = n + 1
		}
		list := string(line[m[4]:m[5]])
		for i := 0; i < len(list); {
			j := i
			for j < len(list) && (list[j] == ' ' || list[j] == '\t' || list[j] == ',') {
				j++
			}
			k := j
			for k < len(list) && list[k] != ' ' && list[k] != '\t' && list[k] != ',' {
				k++
			}
			if k > j {
				dirs = append(dirs, &directive{code: list[j:k], from: from, to: to,
					start: start + m[4] + j, end: start + m[4] + k, nextLine: next})
			}
			i = k
		}
	}
	if len(dirs) == 0 {
		return ds
	}
	out := ds[:0:0]
	for _, d := range ds {
		silenced := false
		if d.Range.Filename == src.Filename {
			for _, dir := range dirs {
				if dir.code == d.Code && d.Range.Start.Line >= dir.from && d.Range.Start.Line <= dir.to {
					dir.used = true
					silenced = true
				}
			}
		}
		if !silenced {
			out = append(out, d)
		}
	}
	for _, dir := range dirs {
		if dir.used {
			continue
		}
		kind := "instrc-disable"
		if dir.nextLine {
			kind = "instrc-disable-next-line"
		}
		var msg string
		switch _, known := RuleFor(dir.code); {
		case !known && lang == "fr":
			msg = fmt.Sprintf("%q n'est pas un code de diagnostic : ce commentaire %s ne fait rien taire ; corrigez le code ou supprimez-le", dir.code, kind)
		case !known:
			msg = fmt.Sprintf("%q is no diagnostic code: this %s comment silences nothing; fix the code or remove it", dir.code, kind)
		case lang == "fr":
			msg = fmt.Sprintf("aucun diagnostic %s à faire taire ici : supprimez ce code du commentaire %s", dir.code, kind)
		default:
			msg = fmt.Sprintf("no %s diagnostic to silence here: remove the code from this %s comment", dir.code, kind)
		}
		out = append(out, Diagnostic{Severity: Warning, Code: CodeUnusedDisable, Message: msg, Range: src.Range(dir.start, dir.end)})
	}
	out.Sort()
	return out
}
