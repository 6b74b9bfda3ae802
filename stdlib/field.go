package stdlib

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Field is what the extractors know of a field: its type and options, its
// name, whose words say what a free-text value looks like (a postcode, an
// order number, a name), and the instructions written for it ("digits
// only", "format AB-1234", "MC suivi de 6 chiffres"), which say its format.
type Field struct {
	Name         string
	Type         string
	Options      []string
	Instructions string
}

// textKind is what a text field's name says its value looks like.
type textKind int

const (
	kindFree       textKind = iota // any text
	kindIdentifier                 // an order, invoice, member or NHS number
	kindPostcode                   // a postcode
	kindPerson                     // a person's name
)

var (
	postcodeWords = set("postcode", "postcodes", "zip", "zipcode", "postal", "cp")
	personNames   = set("name", "first name", "last name", "full name", "firstname", "lastname", "surname", "family name",
		"given name", "your name", "contact name", "nom", "prenom", "nom de famille", "nom complet", "prenom et nom", "nom et prenom")
	identifierWords = set("number", "numbers", "no", "num", "nr", "id", "ids", "code", "ref", "reference", "numero", "nhs",
		"invoice", "order", "facture", "commande", "contract", "contrat", "account", "compte", "ticket", "booking",
		"reservation", "member", "membre", "adherent", "policy", "police", "tracking", "suivi", "siret", "siren",
		"licence", "license", "serial", "serie", "dossier", "case", "claim", "sinistre", "matricule", "immatriculation",
		"registration", "passport", "passeport", "sku", "article")
)

// kindOf reads a text field's kind from its name.
func kindOf(name string) textKind {
	f := strings.Join(words(name), " ")
	ws := strings.Fields(strings.NewReplacer("_", " ", "-", " ").Replace(f))
	for i, w := range ws {
		if postcodeWords[w] || (w == "code" && i+1 < len(ws) && ws[i+1] == "postal") {
			return kindPostcode
		}
	}
	if personNames[strings.Join(ws, " ")] {
		return kindPerson
	}
	for _, w := range ws {
		if identifierWords[w] {
			return kindIdentifier
		}
	}
	return kindFree
}

// ExtractField finds the value of a field inside a message, and only when it
// is there: typed fields as ExtractWith does (a list also by an option's own
// word: "the pro plan" is "Pro Plan"); a text field by what its name and
// instructions say it looks like:
//
//   - a format in its instructions ("digits only", "8 chiffres", "CL followed
//     by 8 digits", "format AB-1234", "e.g. MC104522"): the first part of the
//     message in that format;
//   - a postcode (UK, or five digits): "it's LS6 2AB" → "LS6 2AB";
//   - an order, invoice, member... number: the identifier next to the
//     field's words, or the only one in the message ("a refund for order
//     MD-1234" → "MD-1234", "ma commande 1234 n'est pas arrivée" → "1234");
//   - a name: after "my name is", "I'm", "je m'appelle", "c'est" ("I'm Ann
//     Smith" → "Ann Smith"; "I'm ann@acme.io" gives none);
//   - any other text: what follows the field's own words and "is", "est",
//     "c'est" or a colon ("my member ID is NW-4821", "ma mutuelle c'est la
//     MGEN" → "MGEN").
//
// A message that only mentions the field ("where is my order?") gives none.
// The value returned passes ValidateField.
func ExtractField(f Field, text string, now time.Time, opt ExtractOptions) (string, bool) {
	text = clip(strings.ToValidUTF8(text, "\uFFFD"), maxMatchBytes)
	ft := strings.ToLower(strings.TrimSpace(f.Type))
	if ft == "" {
		ft = TypeText
	}
	if ft != TypeText {
		v, ok := ExtractWith(ft, f.Options, text, now, opt)
		if !ok && ft == TypeList {
			v, ok = distinctOption(f.Options, text)
		}
		if !ok {
			return "", false
		}
		if _, err := ValidateField(f, v, opt); err != nil {
			return "", false
		}
		return v, true
	}
	if fm, ok := formatOf(f.Instructions); ok {
		return fm.find(text)
	}
	switch kindOf(f.Name) {
	case kindPostcode:
		return findPostcode(text, opt)
	case kindIdentifier:
		return findIdentifier(f.Name, text, false)
	case kindPerson:
		return findPerson(text)
	}
	return namedText(f.Name, text)
}

// AnswerField reads a message that answers the agent's question about the
// field: the value ExtractField finds, else, for a free-text field or a name,
// the message's own value (TextValue: "c'est la MGEN" → "MGEN"). A field
// with a format or that holds a postcode or a number takes only a value of
// that shape: "I don't know" is no order number.
func AnswerField(f Field, text string, now time.Time, opt ExtractOptions) (string, bool) {
	if v, ok := ExtractField(f, text, now, opt); ok {
		return v, true
	}
	ft := strings.ToLower(strings.TrimSpace(f.Type))
	if ft != "" && ft != TypeText {
		return "", false
	}
	if _, ok := formatOf(f.Instructions); ok {
		return "", false
	}
	switch kindOf(f.Name) {
	case kindPostcode:
		return "", false
	case kindIdentifier:
		return findIdentifier(f.Name, text, true)
	}
	v := TextValue(text)
	return v, v != ""
}

// Shaped reports whether the field takes only values of a given shape: a
// format its instructions give, a postcode, or an order, invoice or member
// number. Format returns the instructions that give the format, if any.
func (f Field) Shaped() bool {
	ft := strings.ToLower(strings.TrimSpace(f.Type))
	if ft != "" && ft != TypeText {
		return false
	}
	if _, ok := formatOf(f.Instructions); ok {
		return true
	}
	k := kindOf(f.Name)
	return k == kindPostcode || k == kindIdentifier
}

// Format returns the field's instructions when they give its format
// ("digits only", "MC suivi de 6 chiffres, par ex. MC104522").
func (f Field) Format() (string, bool) {
	ft := strings.ToLower(strings.TrimSpace(f.Type))
	if ft != "" && ft != TypeText {
		return "", false
	}
	if _, ok := formatOf(f.Instructions); ok {
		return strings.TrimSpace(f.Instructions), true
	}
	return "", false
}

// ValidateField checks a whole value against a field: its type and options
// (ValidateWith), then, for text, the format its instructions give: with
// "digits only", "abc" is refused with a message that quotes the
// instructions.
func ValidateField(f Field, value string, opt ExtractOptions) (string, error) {
	if strings.TrimSpace(f.Type) == "" {
		f.Type = TypeText
	}
	v, err := ValidateWith(f.Type, f.Options, value, opt)
	if err != nil {
		return "", err
	}
	ft := strings.ToLower(strings.TrimSpace(f.Type))
	if ft != "" && ft != TypeText {
		return v, nil
	}
	fm, ok := formatOf(f.Instructions)
	if !ok {
		return v, nil
	}
	if c, ok := fm.whole(v); ok {
		return c, nil
	}
	return "", &ValueError{Type: TypeText, Value: value, reason: reasonFormat, subject: v, format: strings.TrimSpace(f.Instructions)}
}

// ---- formats read from instructions ----

// format is the shape instructions give a value.
type format struct {
	re        *regexp.Regexp // the value alone
	upper     bool           // letters are written in capitals
	needDigit bool           // the value holds at least one digit
}

var (
	digitsOnlyRe = regexp.MustCompile(`(?i)\b(?:digits? only|only digits|numbers? only|only numbers|numeric|chiffres? uniquement|uniquement (?:des |de )?chiffres|que des chiffres|seulement (?:des )?chiffres|num[ée]rique)\b`)
	// "CL followed by 8 digits", "MC suivi de 6 chiffres", "8 digits", "starting with CL".
	countRe  = regexp.MustCompile(`(?i)(?:\b([A-Z]{1,5})-?\s*(?:followed by|then|suivi(?:e)? de|puis)\s+)?\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze)\s+(?:digits?|numbers?|chiffres?)\b`)
	prefixRe = regexp.MustCompile(`(?i)\b(?:starts? with|starting with|begins? with|commen[cç]ant par|commence par|d[ée]bute par)\s+["'«]?\s*([A-Z]{1,5})\b`)
	// A format ("format AB-1234", "au format AB-1234", "de la forme AB-1234")
	// or an example ("e.g. LS6 2AB", "par ex. MC104522", "like LS6 2AB").
	exampleRe   = regexp.MustCompile(`(?i)(\be\.?g\.?|\bfor example|\bfor instance|\bsuch as|\blike|\bpar ex(?:\.|emple)?|\bex\.|\bexemple\s*:?|\bau format|\bformat|\bcomme|\bde la forme)\s*:?\s*["'«]?\s*([A-Za-z0-9][A-Za-z0-9\-/.]*(?: [A-Za-z0-9]{1,4}\b)?)`)
	numberWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
		"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
		"sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12}
)

// formatOf reads the format instructions give, if any: a count of digits
// with a prefix ("CL followed by 8 digits"), "digits only", or the shape of
// an example ("format AB-1234": two letters, a dash, four digits).
func formatOf(instr string) (format, bool) {
	if strings.TrimSpace(instr) == "" {
		return format{}, false
	}
	if m := countRe.FindStringSubmatch(instr); m != nil {
		n, err := strconv.Atoi(m[2])
		if err != nil {
			n = numberWords[strings.ToLower(m[2])]
		}
		if n > 0 {
			prefix := m[1]
			if prefix == "" {
				if p := prefixRe.FindStringSubmatch(instr); p != nil {
					prefix = p[1]
				}
			}
			pat := `\d{` + strconv.Itoa(n) + `}`
			if prefix != "" {
				pat = regexp.QuoteMeta(strings.ToUpper(prefix)) + `[- ]?` + pat
			}
			return format{re: regexp.MustCompile(`(?i)^` + pat + `$`), upper: prefix != ""}, true
		}
	}
	if m := exampleRe.FindStringSubmatch(instr); m != nil && strings.IndexFunc(m[2], unicode.IsDigit) >= 0 {
		ex := strings.TrimRight(m[2], ".")
		marker := strings.ToLower(m[1])
		if strings.Contains(marker, "format") || strings.Contains(marker, "forme") {
			return format{re: regexp.MustCompile(`(?i)^` + shapeOf(ex) + `$`), upper: ex == strings.ToUpper(ex)}, true
		}
		return format{re: regexp.MustCompile(`(?i)^` + looseShapeOf(ex) + `$`), upper: ex == strings.ToUpper(ex), needDigit: true}, true
	}
	if digitsOnlyRe.MatchString(instr) {
		return format{re: regexp.MustCompile(`^\d+$`)}, true
	}
	return format{}, false
}

// shapeOf turns an example into a pattern: a run of letters is that many
// letters, a run of digits that many digits, a space an optional space, any
// other character itself.
func shapeOf(ex string) string {
	var b strings.Builder
	rs := []rune(ex)
	for i := 0; i < len(rs); {
		j := i
		switch {
		case unicode.IsLetter(rs[i]):
			for j < len(rs) && unicode.IsLetter(rs[j]) {
				j++
			}
			b.WriteString(`\pL{` + strconv.Itoa(j-i) + `}`)
		case unicode.IsDigit(rs[i]):
			for j < len(rs) && unicode.IsDigit(rs[j]) {
				j++
			}
			b.WriteString(`\d{` + strconv.Itoa(j-i) + `}`)
		case rs[i] == ' ':
			j++
			b.WriteString(` ?`)
		case rs[i] == '-':
			j++
			b.WriteString(`[- ]?`)
		default:
			j++
			b.WriteString(regexp.QuoteMeta(string(rs[i])))
		}
		i = j
	}
	return b.String()
}

// looseShapeOf turns an example, which shows one value among others ("e.g.
// LS6 2AB" also stands for "SW1A 1AA" and "M1 1AE"), into a looser pattern
// than a format: the same separators, and between them blocks of the same
// kind (letters, digits, or both) within two characters of the example's
// length.
func looseShapeOf(ex string) string {
	var b strings.Builder
	rs := []rune(ex)
	for i := 0; i < len(rs); {
		j := i
		letters, digits := false, false
		for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j])) {
			letters = letters || unicode.IsLetter(rs[j])
			digits = digits || unicode.IsDigit(rs[j])
			j++
		}
		if j > i {
			class := `[\pL\d]`
			switch {
			case letters && !digits:
				class = `\pL`
			case digits && !letters:
				class = `\d`
			}
			b.WriteString(class + `{` + strconv.Itoa(max(1, j-i-2)) + `,` + strconv.Itoa(j-i+2) + `}`)
			i = j
			continue
		}
		switch rs[i] {
		case ' ':
			b.WriteString(` ?`)
		case '-':
			b.WriteString(`[- ]?`)
		default:
			b.WriteString(regexp.QuoteMeta(string(rs[i])))
		}
		i++
	}
	return b.String()
}

// whole checks a whole value against the format and returns its canonical
// spelling (capitals when the format writes its letters so).
func (fm format) whole(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if !fm.re.MatchString(v) || (fm.needDigit && strings.IndexFunc(v, unicode.IsDigit) < 0) {
		return "", false
	}
	if fm.upper {
		v = strings.ToUpper(v)
	}
	return v, true
}

// valueCandidates lists the parts of a message that may be a value: runs of
// letters, digits and inner dashes or slashes, alone and with the next run
// or two after a space ("LS6 2AB", "485 777 3456"), longest first.
func valueCandidates(text string) [][2]int {
	type run struct{ start, end int }
	var runs []run
	start := -1
	isPart := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	prevEnd := 0
	for i, r := range text {
		if isPart(r) || ((r == '-' || r == '/' || r == '.') && start >= 0 && i+1 < len(text) && isPart(rune(text[i+1]))) {
			if start < 0 {
				start = i
			}
			prevEnd = i + len(string(r))
			continue
		}
		if start >= 0 {
			runs = append(runs, run{start, prevEnd})
			start = -1
		}
	}
	if start >= 0 {
		runs = append(runs, run{start, prevEnd})
	}
	var out [][2]int
	for i := range runs {
		for n := 3; n >= 1; n-- {
			if i+n > len(runs) {
				continue
			}
			ok := true
			for k := i; k < i+n-1; k++ {
				if text[runs[k].end:runs[k+1].start] != " " {
					ok = false
				}
			}
			if ok {
				out = append(out, [2]int{runs[i].start, runs[i+n-1].end})
			}
		}
	}
	return out
}

// find returns the first part of the message in the format.
func (fm format) find(text string) (string, bool) {
	for _, c := range valueCandidates(text) {
		if v, ok := fm.whole(text[c[0]:c[1]]); ok {
			return v, true
		}
	}
	return "", false
}

// ---- postcodes ----

var (
	ukPostcodeRe = regexp.MustCompile(`(?i)\b([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})\b`)
	fiveDigitsRe = regexp.MustCompile(`(?:^|[^\d\p{L}.,/:+-])(\d{5}(?:-\d{4})?)(?:$|[^\d\p{L}/:-])`)
)

// findPostcode finds a UK postcode ("LS6 2AB", upper-cased, with its space)
// or, in French and American plans, five digits (a ZIP may add -1234).
func findPostcode(text string, opt ExtractOptions) (string, bool) {
	if m := ukPostcodeRe.FindStringSubmatch(text); m != nil && strings.IndexFunc(m[1], unicode.IsLetter) == 0 {
		return strings.ToUpper(m[1] + " " + m[2]), true
	}
	if m := fiveDigitsRe.FindStringSubmatch(text); m != nil {
		return m[1], true
	}
	return "", false
}

// ---- identifiers ----

// markerWords name an identifier: "order #1234", "n° 1234", "number 1234".
var markerWords = set("number", "no", "num", "nr", "numero", "n", "ref", "reference", "id", "code", "#")

// unitWords follow a count, not an identifier: "40 people", "3 jours".
var unitWords = set("people", "persons", "person", "personnes", "personne", "employees", "employes", "salaries", "users",
	"utilisateurs", "days", "day", "jours", "jour", "weeks", "semaines", "months", "mois", "years", "ans", "annees",
	"hours", "heures", "minutes", "min", "items", "articles", "pieces", "euros", "euro", "eur", "dollars", "usd", "gbp",
	"pounds", "livres", "percent", "pourcent", "seats", "places", "desks", "postes", "times", "fois", "am", "pm", "h", "km", "kg")

// findIdentifier finds an order, invoice or member number: a run with a
// digit (letters, dashes and digit groups allowed: "MD-1234", "F2024-001",
// "485 777 3456"), not an amount, a date, a time, a count, an email or a
// phone written with its +; the one right after the field's words or a
// "number"/"n°"/"#" wins, else the only one in the message when it looks
// like a code (letters and digits, or five digits at least) or, in an
// answer (loose), whatever its shape.
func findIdentifier(name, text string, loose bool) (string, bool) {
	nameWords := map[string]bool{}
	for _, w := range words(name) {
		nameWords[w] = true
		nameWords[stemFolded("en", w)] = true
		nameWords[stemFolded("fr", w)] = true
	}
	type cand struct {
		start, end int
		near       bool
	}
	var cs []cand
	seen := map[int]bool{}
	for _, c := range valueCandidates(text) {
		if seen[c[0]] {
			continue
		}
		v := text[c[0]:c[1]]
		if !isIdentifier(v) {
			continue
		}
		before := strings.TrimRight(text[:c[0]], " ")
		after := strings.TrimLeft(text[c[1]:], " ")
		if strings.HasSuffix(before, "@") || strings.HasPrefix(after, "@") || strings.HasPrefix(text[c[1]:], "@") ||
			strings.HasSuffix(before, "+") || strings.HasSuffix(before, "$") || strings.HasSuffix(before, "£") ||
			strings.HasSuffix(before, "€") || strings.HasPrefix(after, "€") || strings.HasPrefix(after, "%") ||
			strings.HasPrefix(after, "$") || strings.HasPrefix(text[c[1]:], ":") || strings.HasSuffix(before, ":") && len(before) > 0 && isDigitByte(before[len(before)-1]) {
			continue
		}
		if nw := firstWord(after); unitWords[Fold(nw)] {
			continue
		}
		// The whole of a longer run only: "485 777 3456" rather than "485".
		seen[c[0]] = true
		prev := lastWords(before, 3)
		near := strings.HasSuffix(before, "#")
		for _, w := range prev {
			if nameWords[w] || nameWords[stemFolded("en", w)] || nameWords[stemFolded("fr", w)] || markerWords[w] {
				near = true
			}
		}
		cs = append(cs, cand{c[0], c[1], near})
	}
	for _, c := range cs {
		if c.near {
			return cleanIdentifier(text[c.start:c.end]), true
		}
	}
	if len(cs) == 1 {
		v := cleanIdentifier(text[cs[0].start:cs[0].end])
		if loose || (looksLikeCode(v) && !phoneLike(v)) {
			return v, true
		}
	}
	return "", false
}

// phoneLike: a phone number, as written in the US or in France.
func phoneLike(v string) bool {
	if strings.Trim(v, "0123456789 -.") != "" {
		return false
	}
	_, us := parsePhone(v, "US")
	_, fr := parsePhone(v, "FR")
	return us || fr
}

// looksLikeCode: letters and digits ("MD1234"), or five digits at least.
func looksLikeCode(v string) bool {
	digits, letters := 0, 0
	for _, r := range v {
		switch {
		case unicode.IsDigit(r):
			digits++
		case unicode.IsLetter(r):
			letters++
		}
	}
	return (digits > 0 && letters > 0) || digits >= 5
}

func isDigitByte(b byte) bool { return b >= '0' && b <= '9' }

// isIdentifier: a digit, three characters at least, not a date or time, and
// digit groups only when they are all digits ("485 777 3456").
func isIdentifier(v string) bool {
	if len(v) < 3 || strings.IndexFunc(v, unicode.IsDigit) < 0 {
		return false
	}
	if dateLikeRe.MatchString(v) {
		return false
	}
	if strings.Contains(v, " ") {
		for _, g := range strings.Fields(v) {
			if strings.Trim(g, "0123456789") != "" || len(g) < 2 {
				return false
			}
		}
	}
	if strings.Contains(v, ".") && strings.Trim(v, "0123456789.") == "" {
		return false // 1.5, 12.03.2025
	}
	lower := strings.ToLower(v)
	for _, suffix := range []string{"st", "nd", "rd", "th", "er", "eme", "k", "h"} {
		if strings.HasSuffix(lower, suffix) && strings.Trim(strings.TrimSuffix(lower, suffix), "0123456789") == "" {
			return false // 1st, 3rd, 2ème, 5k, 10h
		}
	}
	return true
}

var dateLikeRe = regexp.MustCompile(`^\d{1,4}[/.]\d{1,2}(?:[/.]\d{1,4})?$`)

func cleanIdentifier(v string) string { return strings.Trim(v, "-/.") }

func firstWord(s string) string {
	ws := words(s)
	if len(ws) == 0 {
		return ""
	}
	return ws[0]
}

func lastWords(s string, n int) []string {
	ws := words(s)
	if len(ws) > n {
		ws = ws[len(ws)-n:]
	}
	return ws
}

// ---- names ----

var personRe = regexp.MustCompile(`(?:(?i:my name is|my name's|name is|i am|i'm|i’m|this is|it's|it’s|je m'appelle|je m’appelle|je suis|mon nom est|mon nom c'est|moi c'est|moi c’est|c'est|c’est|ici)\s+)((?:\p{Lu}[\p{L}'’-]+)(?:\s+(?:(?:de|du|van|von|le|la|di|da)\s+)?\p{Lu}[\p{L}'’-]+){0,2})`)

// notNames are capitalised words that follow "I'm" without being a name.
var notNames = set("sorry", "sure", "happy", "interested", "looking", "not", "just", "here", "calling", "writing", "trying",
	"desole", "desolee", "interesse", "interessee", "pas", "la", "bien", "ok", "okay", "fine", "good", "new", "nouveau",
	"nouvelle", "client", "cliente", "member", "membre", "back", "done", "ready", "pret", "prete", "the", "a", "an", "le", "un", "une")

// findPerson finds a name given as one: "my name is Ann Smith", "I'm Ann",
// "je m'appelle Chloé Martin", "c'est Paul"; the words must be capitalised.
func findPerson(text string) (string, bool) {
	for _, m := range personRe.FindAllStringSubmatch(text, -1) {
		first := strings.Fields(m[1])[0]
		if notNames[Fold(first)] {
			continue
		}
		return m[1], true
	}
	return "", false
}

// ---- free text named in the message ----

// namedText finds a free-text value after the field's own words and "is",
// "est", "c'est" or a colon: "my member ID is NW-4821" → "NW-4821", "ma
// mutuelle c'est la MGEN" → "MGEN". The value ends at the end of the
// sentence or clause.
func namedText(name, text string) (string, bool) {
	nws := words(name)
	if len(nws) == 0 {
		return "", false
	}
	stems := map[string]bool{}
	for _, w := range nws {
		if len(w) > 1 {
			stems[stemFolded("en", w)] = true
			stems[stemFolded("fr", w)] = true
		}
	}
	for _, loc := range wordRe.FindAllStringIndex(text, -1) {
		w := Fold(text[loc[0]:loc[1]])
		if !stems[stemFolded("en", w)] && !stems[stemFolded("fr", w)] {
			continue
		}
		rest := text[loc[1]:]
		m := namedMarkerRe.FindStringIndex(rest)
		if m == nil {
			continue
		}
		v := rest[m[1]:]
		if k := strings.IndexAny(v, ".!?;,\n"); k >= 0 && !(v[k] == '.' && k+1 < len(v) && v[k+1] != ' ') {
			v = v[:k]
		}
		v = strings.TrimSpace(v)
		if v == "" || len(strings.Fields(v)) > 8 {
			continue
		}
		return v, true
	}
	return "", false
}

var wordRe = regexp.MustCompile(`[\p{L}\p{N}]+`)

// namedMarkerRe is what comes between a field's words and its value: a few
// words of the name, then "is", "est", "c'est", "=" or a colon, then an
// article.
var namedMarkerRe = regexp.MustCompile(`^(?:\s+[\p{L}\p{N}'’]+){0,3}?(?:\s*[:=]\s*|\s+(?:is|it's|it is|est|c'est|c’est|ce sera)\s+)(?:(?:the|a|an|la|le|les|un|une)\s+|l['’]\s*)?`)

// ---- list options by their own word ----

var enStops, frStops = stopWords("en"), stopWords("fr")

// distinctOption finds the option named by a word no other option has: with
// options Basic Plan, Pro Plan and Enterprise Plan, "I'm on pro" is "Pro
// Plan". It applies only when exactly one option is named so.
func distinctOption(options []string, text string) (string, bool) {
	if len(options) < 2 {
		return "", false
	}
	count := map[string]int{}
	ows := make([][]string, len(options))
	for i, o := range options {
		seen := map[string]bool{}
		for _, w := range words(o) {
			if !seen[w] {
				seen[w] = true
				count[w]++
				ows[i] = append(ows[i], w)
			}
		}
	}
	msg := map[string]bool{}
	for _, w := range words(text) {
		msg[w] = true
	}
	found := -1
	for i, ws := range ows {
		for _, w := range ws {
			if count[w] == 1 && len(w) > 2 && !isDigitByte(w[0]) && msg[w] && isContent(w, enStops) && isContent(w, frStops) {
				if found >= 0 && found != i {
					return "", false
				}
				found = i
			}
		}
	}
	if found < 0 {
		return "", false
	}
	return options[found], true
}
