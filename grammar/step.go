package grammar

import (
	"strings"
)

// stepReader reads one step's arguments. It works on tokens only; which
// workspace name an unquoted multi-word name is, is left to the compiler.
type stepReader struct {
	p    *parser
	s    *Step
	args []Token
	// read holds the byte ranges of free text the step took (an object,
	// what a summary is about), for findUnread.
	read [][2]int
}

// interpret decides what a step means from its verb and arguments.
func (p *parser) interpret(s *Step) {
	r := &stepReader{p: p, s: s, args: s.Args}
	s.Kind = r.refine(s.Verb.Step)
	switch s.Kind {
	case StepClose:
		r.close()
	case StepAssign:
		r.assign()
	case StepSave:
		r.save()
	case StepLifecycle:
		r.lifecycle()
	case StepAddTag, StepRemoveTag:
		r.tags()
	case StepComment:
		r.comment()
	case StepRun:
		r.run()
	case StepReply:
		r.reply()
	case StepCollect:
		i := 0
		for i < len(r.args) && (r.args[i].Kind == KClitic || r.args[i].Kind == KFiller) {
			i++
		}
		s.Text, s.TextRange = r.text(i, len(r.args))
	case StepMention:
		r.mentions()
	case StepCreate, StepDelete:
		r.subject()
	}
	r.findUnread()
}

func (r *stepReader) has(k kw) bool { i, _ := k.find(r.args, 0); return i >= 0 }

func (r *stepReader) hasSigil(c byte) bool {
	for _, t := range r.args {
		if t.Kind == KSigil && t.Sigil == c {
			return true
		}
	}
	return false
}

// refine settles verbs whose meaning depends on their object: "add %Tag" vs
// "add an internal comment", "set the Budget field" vs "set the lifecycle
// stage", "send to @Sales" vs "send a link".
func (r *stepReader) refine(k StepKind) StepKind {
	v := r.s.Verb.Fold
	if !r.hasSigil('!') && unsupportedKW.at(withoutPronouns(r.s.Verb, r.args), 0) > 0 {
		// "archive the ticket", "send an e-mail", "call the customer"
		return StepUnsupported
	}
	if sk := r.sigilKind(k); sk != StepUnknown {
		return sk
	}
	switch k {
	case StepSave:
		if r.hasSigil('%') {
			return StepAddTag
		}
		if r.has(stageKW) && !r.has(fieldKW) {
			return StepLifecycle
		}
		if r.hasSigil('@') && (v == "put" || v == "change") {
			return StepAssign
		}
	case StepLifecycle:
		if r.hasSigil('@') {
			return StepAssign
		}
		if r.has(fieldKW) && !r.has(stageKW) {
			return StepSave
		}
	case StepAddTag:
		if r.hasSigil('%') {
			return k
		}
		if ci, _ := commentKW.find(r.args, 0); ci >= 0 && ci <= 3 {
			return StepComment
		}
		if r.has(stageKW) {
			return StepLifecycle
		}
		if r.has(fieldKW) {
			return StepSave
		}
		if r.hasSigil('@') {
			return StepMention
		}
	case StepRemoveTag:
		if r.hasSigil('%') || r.has(tagKW) {
			return k
		}
		if r.has(unassignKW) {
			return StepUnassign
		}
		if r.has(fieldKW) || r.has(stageKW) || r.has(noteKW) || r.has(teamKW) {
			return StepDelete
		}
	case StepDelete:
		if r.hasSigil('%') || (r.has(tagKW) && !r.has(fieldKW)) {
			return StepRemoveTag
		}
	case StepComment:
		if !r.has(commentKW) && !r.hasSigil('@') && (v == "leave" || v == "write" || v == "post" || strings.HasPrefix(v, "laiss") || strings.HasPrefix(v, "ecri") || strings.HasPrefix(v, "post")) {
			return StepReply
		}
	case StepReply:
		if r.hasSigil('@') && r.toBefore('@') {
			return StepAssign
		}
	case StepAssign:
		if !r.hasSigil('@') && r.has(stageKW) {
			return StepLifecycle
		}
		if !r.hasSigil('@') && (v == "give" || v == "pass" || v == "direct" || v == "forward" || v == "hand") && !r.toBefore(0) {
			return StepReply
		}
		if !r.hasSigil('@') && len(r.args) > 0 && r.args[0].Kind == KClitic && (r.args[0].Fold == "-lui" || r.args[0].Fold == "-leur") {
			// "passe-lui le lien", "transmets-leur les horaires": given
			// to the contact, a reply.
			return StepReply
		}
	case StepRun:
		if !r.hasSigil('!') && !explicitRun[v] && !r.has(workflowKW) {
			return StepReply
		}
	case StepCollect:
		if r.hasSigil('@') && r.toBefore('@') {
			return StepAssign
		}
		// "ask: "How can I help you today?"": a question as written is a
		// reply template.
		i := 0
		for i < len(r.args) && (r.args[i].Kind == KColon || r.args[i].Kind == KClitic || pronouns[r.args[i].Fold]) {
			i++
		}
		if i < len(r.args) && r.args[i].Kind == KQuoted {
			return StepReply
		}
	}
	return k
}

// sigilKind lets the sigil decide what a step acts on, whatever verb
// surrounds it: `mark them as %VIP` adds a tag, `flag it !refund_processing`
// runs a workflow, `put @alice on it` assigns. It returns StepUnknown when
// the verb's own kind stands: a step that already takes that sigil, a
// reply or comment that merely mentions it, or a step with several kinds
// of sigil.
func (r *stepReader) sigilKind(k StepKind) StepKind {
	switch k {
	case StepSave, StepLifecycle, StepAddTag, StepAssign, StepRun, StepCollect:
	default:
		return StepUnknown
	}
	tag, run, at := r.hasSigil('%'), r.hasSigil('!'), r.hasSigil('@')
	switch {
	case tag && !run && !at && k != StepAddTag:
		return StepAddTag
	case run && !tag && !at && k != StepRun:
		return StepRun
	case at && !tag && !run && (k == StepSave || k == StepLifecycle || k == StepRun):
		return StepAssign
	}
	return StepUnknown
}

// explicitRun verbs only ever mean "run this workflow or action".
var explicitRun = map[string]bool{"trigger": true, "run": true, "launch": true, "fire": true, "kick off": true, "execute": true, "call": true, "invoke": true, "trigger off": true, "enroll": true,
	"declenche": true, "declenchez": true, "declencher": true, "lance": true, "lancez": true, "lancer": true, "demarre": true, "demarrez": true, "demarrer": true, "execute ": true, "executez": true, "executer": true, "appelle": true, "appelez": true, "appeler": true}

var indefinite = map[string]bool{"a": true, "an": true, "un": true, "une": true, "some": true, "any": true}

var toWords = map[string]bool{"to": true, "a": true, "au": true, "vers": true, "aupres": true, "with": true, "into": true, "onto": true}

// toBefore reports whether a "to"/"à" precedes the first sigil c (or, with c
// == 0, appears at all).
func (r *stepReader) toBefore(c byte) bool {
	for _, t := range r.args {
		if c != 0 && t.Kind == KSigil && t.Sigil == c {
			return false
		}
		if toWords[t.Fold] && !(c == 0 && t.Text == "a") {
			// Unaccented "a" is French "à" only before a name ("envoie
			// a @Support"); otherwise it is "a" ("give them a moment")
			// or "has".
			return true
		}
	}
	return false
}

// text returns the source text of args[i:j] and its range.
func (r *stepReader) text(i, j int) (string, rangeT) {
	if i >= j || i >= len(r.args) {
		return "", r.p.rng(r.s.Verb.End, r.s.Verb.End)
	}
	a, b := r.args[i].Start, r.args[j-1].End
	r.read = append(r.read, [2]int{a, b})
	return string(r.p.src.Text[a:b]), r.p.rng(a, b)
}

func (r *stepReader) skipArticles(i int) int {
	for i < len(r.args) && (articles[r.args[i].Fold] || r.args[i].Kind == KClitic) {
		i++
	}
	return i
}

// name reads a name starting at args[i] and returns it and the index after
// it. A leading role keyword ("champ Budget", "the stage Qualified") is
// skipped; a trailing one ("the Qualified stage") is not part of the name.
func (r *stepReader) name(i int, role Role, stopAtAnd bool) (*Name, int) {
	i = r.skipArticles(i)
	if rk := roleKW(role); rk != nil {
		if n := rk.at(r.args, i); n > 0 && i+n < len(r.args) && (r.args[i+n].Kind == KQuoted || isNameWord(r.args[i+n]) || r.args[i+n].Kind == KSigil) {
			j := r.skipArticles(i + n)
			if j < len(r.args) && !isFunctionWord(r.args[j]) {
				i = j
			}
		}
	}
	if i >= len(r.args) {
		return nil, i
	}
	t := r.args[i]
	switch {
	case t.Kind == KQuoted || (t.Kind == KSigil && t.Quoted):
		return &Name{Role: role, Sigil: t.Sigil, Quoted: true, Text: t.Text, Range: r.p.rng(t.Start, t.End), Start: t.Start}, i + 1
	case t.Kind == KSigil:
		words := []Token{t}
		j := i + 1
		for j < len(r.args) && isNameWord(r.args[j]) && len(words) < 8 {
			if stopAtAnd && (r.args[j].Kind == KAnd || r.args[j].Kind == KComma) {
				break
			}
			words = append(words, r.args[j])
			j++
		}
		n := r.newName(role, t.Sigil, words, t.Start, t.Start+1)
		return n, i + n.Fallback
	case t.Kind == KVar:
		return nil, i
	case isNameWord(t) && (!isFunctionWord(t) || capitalFunctionWord(t)):
		words := []Token{}
		j := i
		for j < len(r.args) && isNameWord(r.args[j]) && len(words) < 8 {
			if stopAtAnd && r.args[j].Kind == KAnd {
				break
			}
			words = append(words, r.args[j])
			j++
		}
		n := r.newName(role, 0, words, t.Start, t.Start)
		return n, i + n.Fallback
	}
	return nil, i
}

// newName builds a Name from candidate words; textStart is where the name's
// text begins (after a sigil).
func (r *stepReader) newName(role Role, sigil byte, words []Token, start, textStart int) *Name {
	fb := len(words)
	linked := false
	for k := 1; k < len(words); k++ {
		if sigil == 0 && !linked && nameLinks[words[k].Fold] && k+1 < len(words) && innerNameWord(words[k+1]) && !endsName(words, k) {
			// "champ Numero de dossier", "Date d'arrivée": once, "de"
			// joins two words of one name.
			linked = true
			k++
			continue
		}
		if endsName(words, k) || (sigil == 0 && articles[words[k].Fold]) {
			fb = k
			break
		}
	}
	// "the Qualified stage": the role keyword is not part of the name.
	if rk := roleKW(role); rk != nil && fb > 1 {
		for k := 1; k < fb; k++ {
			if n := rk.at(words, k); n > 0 && k+n == fb {
				fb = k
				break
			}
		}
	}
	text := string(r.p.src.Text[textStart:words[fb-1].End])
	if sigil != 0 && len(words) > 0 {
		words[0].Start = textStart
	}
	return &Name{Role: role, Sigil: sigil, Text: text, Range: r.p.rng(start, words[fb-1].End), Words: words, Fallback: fb, Start: start}
}

// nameLinks join the words of a French name ("Numéro de dossier", "Date
// d'arrivée").
var nameLinks = map[string]bool{"de": true, "d'": true}

// innerNameWord reports whether t may follow a link inside a name: a word
// that is no article, function word, pronoun or step verb.
func innerNameWord(t Token) bool {
	f := strings.ReplaceAll(t.Fold, "' ", "'")
	return t.Kind == KWord && !articles[f] && !functionWords[f] && !pronouns[f] && !followerSet[f]
}

func (r *stepReader) close() {
	s := r.s
	if ni, n := noteKW.find(r.args, 0); ni >= 0 {
		if r.negatedBefore(ni) {
			s.NoNote = true
		} else {
			j := ni + n
			for j < len(r.args) && (r.args[j].Fold == "as" || r.args[j].Kind == KColon || r.args[j].Fold == "called" || r.args[j].Fold == "named" || r.args[j].Fold == "to" || r.args[j].Fold == "of") {
				j++
			}
			if nm, _ := r.name(j, RoleNote, true); nm != nil {
				s.Names = append(s.Names, nm)
			} else if ni > 0 && r.args[ni-1].Kind == KQuoted {
				// "with the "No Response" closing note"
				t := r.args[ni-1]
				s.Names = append(s.Names, &Name{Role: RoleNote, Quoted: true, Text: t.Text, Range: r.p.rng(t.Start, t.End), Start: t.Start})
			}
			// "pick a closing note" with no name: the model picks one.
		}
	} else {
		// "close the conversation with "Spam"": a quoted name is a note.
		for i, t := range r.args {
			if t.Kind == KQuoted && i > 0 && (r.args[i-1].Fold == "with" || r.args[i-1].Fold == "as" || r.args[i-1].Fold == "avec" || r.args[i-1].Fold == "en") {
				s.Names = append(s.Names, &Name{Role: RoleNote, Quoted: true, Text: t.Text, Range: r.p.rng(t.Start, t.End), Start: t.Start})
				break
			}
		}
		// "close the conversation as Spam": a name after "as" is a note.
		if len(s.Names) == 0 {
			for i, t := range r.args {
				if !closeAs[t.Fold] || i+1 >= len(r.args) {
					continue
				}
				if nt := r.args[i+1]; nt.Kind == KWord && !articles[nt.Fold] && !isFunctionWord(nt) && summaryKW.at(r.args, i+1) == 0 {
					if nm, _ := r.name(i+1, RoleNote, true); nm != nil {
						s.Names = append(s.Names, nm)
					}
				}
				break
			}
		}
	}
	if si, n := summaryOfKW.find(r.args, 0); si >= 0 && !r.negatedBefore(si) {
		end := si + n
		for end < len(r.args) && r.args[end].Kind != KAnd && r.args[end].Kind != KComma && r.args[end].Kind != KThen {
			end++
		}
		s.SummaryOf, _ = r.text(si+n, end)
	}
	if si, _ := summaryKW.find(r.args, 0); si >= 0 && r.negatedBefore(si) {
		s.NoSummary = true
	}
	if s.Negated {
		return
	}
}

// closeAs words introduce a closing note without its keyword: "close the
// conversation as Spam", FR "ferme la conversation comme Spam".
var closeAs = map[string]bool{"as": true, "comme": true}

// negatedBefore reports whether a negation stands shortly before args[i]
// ("do not generate a summary", "nor choose a closing note", "sans résumé").
func (r *stepReader) negatedBefore(i int) bool {
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		t := r.args[j]
		if t.Kind == KNeg || negWords[t.Fold] {
			return true
		}
		if t.Kind == KAnd || t.Kind == KComma || t.Kind == KThen {
			if t.Fold == "nor" || t.Fold == "ni" {
				return true
			}
			return false
		}
	}
	return false
}

func (r *stepReader) assign() {
	s := r.s
	for i := 0; i < len(r.args); i++ {
		t := r.args[i]
		if t.Kind == KSigil && t.Sigil == '@' {
			nm, j := r.name(i, RoleAssignee, false)
			if nm != nil {
				s.Names = append(s.Names, nm)
				i = j - 1
			}
		}
	}
	if len(s.Names) == 0 && len(Presence.Find(r.args)) == 0 {
		// "transfer to the Billing Bot": a name after "to".
		for i, t := range r.args {
			if toWords[t.Fold] && t.Fold != "with" {
				j := r.skipArticles(i + 1)
				if j < len(r.args) && (r.args[j].Kind == KQuoted || isNameWord(r.args[j])) {
					nm, _ := r.name(j, RoleAssignee, false)
					if nm != nil && (r.longerName(nm) || !genericAssignee[Fold(nm.Text)] && !pronouns[Fold(nm.Text)] && !genericAssignee[strings.TrimSpace(Fold(string(r.p.src.Text[r.args[i+1].Start:nm.Range.End.Offset])))]) {
						s.Names = append(s.Names, nm)
					}
				}
				break
			}
		}
	}
	if i, n := roundRobin.find(r.args, 0); i >= 0 {
		s.Method, s.MethodRange = "round_robin", r.p.rng(r.args[i].Start, r.args[i+n-1].End)
	} else if i, n := leastOpen.find(r.args, 0); i >= 0 {
		s.Method, s.MethodRange = "least_open", r.p.rng(r.args[i].Start, r.args[i+n-1].End)
	}
}

// longerName reports whether an unquoted name's words run past its
// fallback text to the next boundary without being a generic word: "à
// l'Équipe de Planification" names a team, "à l'équipe" does not.
func (r *stepReader) longerName(nm *Name) bool {
	if nm.Quoted || len(nm.Words) <= nm.Fallback {
		return false
	}
	k := 1
	for k < len(nm.Words) && !endsName(nm.Words, k) {
		k++
	}
	if k <= nm.Fallback {
		return false
	}
	text := Fold(string(r.p.src.Text[nm.Words[0].Start:nm.Words[k-1].End]))
	return !genericAssignee[text]
}

// checkVerbs tick a checkbox field: "coche le champ Newsletter".
var checkVerbs = map[string]bool{"tick": true, "coche": true, "cochez": true, "cocher": true}

func (t Token) rangeIn(p *parser) rangeT { return p.rng(t.Start, t.End) }

// setVerbs take "<name> to <value>"; the others "<what> as <name>".
var setVerbs = map[string]bool{"set": true, "update": true, "change": true, "fill": true, "fill in": true, "populate": true, "put": true,
	"mets": true, "mettez": true, "mettre": true, "mets a jour": true, "mettez a jour": true, "mettre a jour": true, "definis": true, "definissez": true, "definir": true, "change ": true, "changez": true, "changer": true, "modifie": true, "modifiez": true, "modifier": true, "remplis": true, "remplissez": true, "remplir": true, "renseigne": true, "renseignez": true, "renseigner": true}

var (
	asMarkers    = kws("as", "in", "into", "under", "to", "onto", "comme", "dans", "en tant que", "sous", "en", "vers", "au", "à", "sur")
	valueMarkers = map[string]bool{"to": true, "=": true, "as": true, "sur": true, "en": true, "with": true, "avec": true, "a": true}
)

func (r *stepReader) save() {
	s := r.s
	// $contact.x anywhere names a field.
	for _, t := range r.args {
		if t.Kind == KVar {
			if f := varField(t.Text); f != "" {
				s.Names = append(s.Names, &Name{Role: RoleField, Text: f, Quoted: true, Range: r.p.rng(t.Start, t.End), Start: t.Start})
			}
		}
	}
	if len(s.Names) > 0 {
		r.value(0)
		return
	}
	set := setVerbs[strings.TrimSpace(s.Verb.Fold)] || s.Verb.Fold == "change"
	if checkVerbs[s.Verb.Fold] {
		defer func() {
			if s.Value == nil && len(s.Names) > 0 {
				s.Value = &Value{Text: "true", Range: s.Verb.rangeIn(r.p)}
			}
		}()
	}
	// "the Budget field" / "field Budget" / "champ Budget"
	if fi, n := fieldKW.find(r.args, 0); fi >= 0 {
		if fi > 0 && indefinite[r.args[fi-1].Fold] && (fi+n >= len(r.args) || r.args[fi+n].Kind != KQuoted) {
			// "update a contact field with the location": no name given
			r.object(fi+n, len(r.args))
			return
		}
		start := fi
		// words before the keyword, back to an article or marker; "and"
		// may be part of the name ("the Terms and Conditions field")
		for start > 0 && isNameWord(r.args[start-1]) && !articles[r.args[start-1].Fold] && (!isFunctionWord(r.args[start-1]) || r.args[start-1].Kind == KAnd && start-1 > 0 && !articles[r.args[start-2].Fold]) && !pronouns[r.args[start-1].Fold] {
			start--
		}
		if start < fi && (start == 0 || articles[r.args[start-1].Fold] || isFunctionWord(r.args[start-1]) || pronouns[r.args[start-1].Fold]) {
			a, b := r.args[start].Start, r.args[fi-1].End
			s.Names = append(s.Names, &Name{Role: RoleField, Text: string(r.p.src.Text[a:b]), Range: r.p.rng(a, b), Words: append([]Token(nil), r.args[start:fi]...), Fallback: fi - start, Start: a})
			r.object(0, start)
			r.value(fi + n)
			return
		}
		j := fi + n
		for j < len(r.args) && (r.args[j].Fold == "called" || r.args[j].Fold == "named" || r.args[j].Kind == KColon) {
			j++
		}
		if nm, next := r.name(j, RoleField, false); nm != nil {
			s.Names = append(s.Names, nm)
			r.more(next)
			r.object(0, fi)
			r.value(next)
			return
		}
	}
	if set {
		// "set Plan to Pro"
		i := r.skipArticles(0)
		if nm, next := r.name(i, RoleField, true); nm != nil {
			if next < len(r.args) && valueMarkers[r.args[next].Fold] {
				s.Names = append(s.Names, nm)
				r.value(next)
				return
			}
		}
	}
	// "save it as phone and countryCode"
	for i := 0; i < len(r.args); i++ {
		if n := asMarkers.at(r.args, i); n > 0 && (i > 0 || !setVerbs[s.Verb.Fold]) {
			if nm, next := r.name(i+n, RoleField, true); nm != nil {
				s.Names = append(s.Names, nm)
				r.more(next)
				r.object(0, i)
				return
			}
		}
	}
	// "save the Budget": the object itself may be a field name; the compiler
	// accepts it only when it matches exactly.
	i := r.skipArticles(0)
	for i < len(r.args) && pronouns[r.args[i].Fold] {
		i = r.skipArticles(i + 1)
	}
	if nm, _ := r.name(i, RoleField, true); nm != nil {
		nm.Implicit = true
		s.Names = append(s.Names, nm)
	}
	r.object(0, len(r.args))
}

// more reads further names of a list: "phone and countryCode", "A, B".
func (r *stepReader) more(i int) {
	for i < len(r.args) && (r.args[i].Kind == KAnd || r.args[i].Kind == KComma) {
		nm, next := r.name(i+1, RoleField, true)
		if nm == nil {
			return
		}
		r.s.Names = append(r.s.Names, nm)
		i = next
	}
}

// object records what a save step takes its value from.
func (r *stepReader) object(i, j int) {
	for i < j && (pronouns[r.args[i].Fold] || r.args[i].Kind == KClitic) {
		i++
	}
	for j > i && (articles[r.args[j-1].Fold] || isFunctionWord(r.args[j-1]) || asMarkers.at(r.args, j-1) > 0 || pronouns[r.args[j-1].Fold] || r.args[j-1].Kind == KClitic) {
		j--
	}
	if i < j {
		r.s.Object, _ = r.text(i, j)
	}
}

// value reads a literal after "to"/"=": "set the Budget field to 5000".
func (r *stepReader) value(i int) {
	for ; i < len(r.args); i++ {
		t := r.args[i]
		if !(valueMarkers[t.Fold] || t.Text == "à" || t.Text == "=") {
			continue
		}
		if t.Fold == "with" || t.Fold == "avec" {
			// "update the Budget field with the amount": from the conversation
			r.s.Object, _ = r.text(i+1, len(r.args))
			return
		}
		j := i + 1
		if j >= len(r.args) {
			return
		}
		v := r.args[j]
		if v.Kind == KQuoted {
			r.s.Value = &Value{Text: v.Text, Range: r.p.rng(v.Start, v.End)}
			return
		}
		end := j
		for end < len(r.args) && (isNameWord(r.args[end]) || r.args[end].Kind == KNumber || r.args[end].Kind == KPunct) && !(end > j && isFunctionWord(r.args[end])) {
			end++
		}
		if end > j {
			a, b := r.args[j].Start, r.args[end-1].End
			r.s.Value = &Value{Text: string(r.p.src.Text[a:b]), Range: r.p.rng(a, b)}
		}
		return
	}
}

func varField(v string) string {
	v = strings.TrimSuffix(strings.TrimPrefix(v, "{{"), "}}")
	v = strings.TrimSpace(v)
	v = strings.TrimPrefix(v, "$")
	if rest, ok := strings.CutPrefix(v, "contact."); ok {
		return rest
	}
	return ""
}

func (r *stepReader) lifecycle() {
	s := r.s
	// the last "to"/"as"/"à" introduces the stage: "move the contact to the
	// Qualified stage", "update the lifecycle stage to Qualified".
	last := -1
	for i, t := range r.args {
		if t.Fold == "to" || t.Fold == "as" || t.Text == "à" || t.Text == "À" || t.Fold == "en" || t.Fold == "sur" || t.Fold == "into" || t.Fold == "in" || t.Fold == "au" || t.Fold == "vers" || t.Fold == "=" || t.Kind == KColon {
			last = i
		}
	}
	if last >= 0 {
		if nm, _ := r.name(last+1, RoleStage, true); nm != nil {
			s.Names = append(s.Names, nm)
			return
		}
	}
	// "l'étape Qualifié": the name after the keyword.
	if si, n := stageKW.find(r.args, 0); si >= 0 {
		if nm, _ := r.name(si+n, RoleStage, true); nm != nil && !pronouns[nm.Text] {
			s.Names = append(s.Names, nm)
			return
		}
	}
	if len(r.args) == 0 {
		return
	}
	// "mark them Qualified"
	i := r.skipArticles(0)
	for i < len(r.args) && pronouns[r.args[i].Fold] {
		i = r.skipArticles(i + 1)
	}
	if nm, _ := r.name(i, RoleStage, true); nm != nil && stageKW.at(r.args, i) == 0 {
		nm.Implicit = true
		s.Names = append(s.Names, nm)
	}
}

func (r *stepReader) tags() {
	s := r.s
	for i := 0; i < len(r.args); i++ {
		t := r.args[i]
		if t.Kind == KSigil && t.Sigil == '%' {
			nm, j := r.name(i, RoleTag, false)
			if nm != nil {
				s.Names = append(s.Names, nm)
				i = j - 1
			}
		}
	}
	if len(s.Names) > 0 {
		return
	}
	// "add the tag Refund", "add the Refund tag"
	if ti, n := tagKW.find(r.args, 0); ti >= 0 {
		if nm, next := r.name(ti+n, RoleTag, true); nm != nil {
			s.Names = append(s.Names, nm)
			r.moreTags(next)
			return
		}
		start := ti
		for start > 0 && isNameWord(r.args[start-1]) && !articles[r.args[start-1].Fold] && !isFunctionWord(r.args[start-1]) {
			start--
		}
		if start < ti {
			a, b := r.args[start].Start, r.args[ti-1].End
			s.Names = append(s.Names, &Name{Role: RoleTag, Text: string(r.p.src.Text[a:b]), Range: r.p.rng(a, b), Words: append([]Token(nil), r.args[start:ti]...), Fallback: ti - start, Start: a})
		}
	}
}

func (r *stepReader) moreTags(i int) {
	for i < len(r.args) && (r.args[i].Kind == KAnd || r.args[i].Kind == KComma) {
		nm, next := r.name(i+1, RoleTag, true)
		if nm == nil {
			return
		}
		r.s.Names = append(r.s.Names, nm)
		i = next
	}
}

func (r *stepReader) comment() {
	s := r.s
	r.mentions()
	start := 0
	if ci, n := commentKW.find(r.args, 0); ci >= 0 {
		start = ci + n
	}
	for start < len(r.args) && (r.args[start].Fold == "saying" || r.args[start].Fold == "that" || r.args[start].Kind == KColon || r.args[start].Fold == "with" || r.args[start].Fold == "disant" || r.args[start].Fold == "que" || r.args[start].Fold == "avec") {
		start++
	}
	if start < len(r.args) && r.args[start].Kind == KQuoted {
		t := r.args[start]
		s.Text, s.TextRange = t.Text, r.p.rng(t.Start, t.End)
		return
	}
	s.Text, s.TextRange = r.text(start, len(r.args))
}

func (r *stepReader) mentions() {
	for i := 0; i < len(r.args); i++ {
		t := r.args[i]
		if t.Kind == KSigil && t.Sigil == '@' {
			nm, j := r.name(i, RoleMention, false)
			if nm != nil {
				r.s.Mentions = append(r.s.Mentions, nm)
				i = j - 1
			}
		}
	}
}

func (r *stepReader) run() {
	s := r.s
	for i := 0; i < len(r.args); i++ {
		t := r.args[i]
		if t.Kind == KSigil && t.Sigil == '!' {
			nm, j := r.name(i, RoleRun, false)
			if nm != nil {
				s.Names = append(s.Names, nm)
				i = j - 1
			}
		}
	}
	if len(s.Names) > 0 {
		return
	}
	// "trigger the refund_processing workflow"
	if wi, _ := workflowKW.find(r.args, 0); wi >= 0 {
		i := r.skipArticles(0)
		if nm, _ := r.name(i, RoleRun, true); nm != nil && i < wi {
			nm.Implicit = true
			s.Names = append(s.Names, nm)
		}
	}
}

func (r *stepReader) reply() {
	s := r.s
	for _, t := range r.args {
		if t.Kind == KQuoted {
			s.Text, s.TextRange, s.Template = t.Text, r.p.rng(t.Start, t.End), true
			return
		}
	}
	a, b := s.Verb.Start, s.Verb.End
	if len(r.args) > 0 {
		b = r.args[len(r.args)-1].End
	}
	s.Text, s.TextRange = string(r.p.src.Text[a:b]), r.p.rng(a, b)
}

// subject says what a create/delete step is about.
func (r *stepReader) subject() {
	switch {
	case r.has(fieldKW):
		r.s.Subject = "field"
	case r.has(stageKW):
		r.s.Subject = "stage"
	case r.has(noteKW):
		r.s.Subject = "note"
	case r.has(tagKW) || r.hasSigil('%'):
		r.s.Subject = "tag"
	case r.has(teamKW):
		r.s.Subject = "team"
	default:
		r.s.Subject = ""
	}
}

// withoutPronouns is the verb and its arguments without the pronouns of its
// object ("envoie-lui un e-mail", "send them an email").
func withoutPronouns(verb Token, args []Token) []Token {
	out := []Token{verb}
	for _, t := range args {
		if t.Kind == KClitic || t.Fold == "them" || t.Fold == "him" || t.Fold == "her" || t.Fold == "lui" || t.Fold == "leur" {
			continue
		}
		out = append(out, t)
	}
	return out
}
