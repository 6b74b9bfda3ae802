package stdlib

import (
	"regexp"
	"strings"
)

// Claim kinds: what a reply may say was done.
const (
	ClaimRefund = "refund"
	ClaimCancel = "cancel"
	ClaimAssign = "assign"
	ClaimSave   = "save"
	ClaimClose  = "close"
	ClaimSend   = "send"
)

// Claim is a statement in a reply that something was done.
type Claim struct {
	Kind string // ClaimRefund, ClaimCancel, ...
	Word string // the word as folded ("refunded", "rembourse")
}

// claimWords are, per kind, the participles (accents folded) that say an
// action was done. Both languages are checked on every reply: a model may
// answer in the language it likes.
var claimWords = []struct {
	kind string
	re   *regexp.Regexp
}{
	{ClaimRefund, regexp.MustCompile(`\b(refunded|reimbursed|rembourse(e|s|es)?)\b`)},
	{ClaimCancel, regexp.MustCompile(`\b(cancell?ed|annule(e|s|es)?|resilie(e|s|es)?)\b`)},
	{ClaimAssign, regexp.MustCompile(`\b(assigned|transferred|passed (you|your \w+|it) (on )?to|handed (you|it) (over )?to|assigne(e|s|es)?|transfere(e|s|es)?|confie(e|s|es)?)\b`)},
	{ClaimSave, regexp.MustCompile(`\b(saved|recorded|updated|enregistre(e|s|es)?|mis(e|es)? a jour)\b`)},
	{ClaimClose, regexp.MustCompile(`\b(closed|ferme(e|s|es)?|cloture(e|s|es)?)\b`)},
	{ClaimSend, regexp.MustCompile(`\b(sent|emailed|envoye(e|s|es)?)\b`)},
}

// clauseBreak splits a reply into clauses, so that a negation counts only
// in its own.
var clauseBreak = regexp.MustCompile(`[.!?;:\n]|, (but|mais) `)

// claimNegation marks a clause that says something was not done.
var claimNegation = regexp.MustCompile(`\b(not|n't|never|no|cannot|couldn't|wasn't|hasn't|haven't|isn't|pas|jamais|aucun|aucune|ni|impossible)\b|n'`)

// ReplyClaims lists what a reply says was done, in English or French: a
// participle such as "refunded", "cancelled", "assigned", "saved",
// "closed", "sent" (FR "remboursé", "annulé", "assigné", "enregistré",
// "fermé", "envoyé") in a clause without a negation. A future ("will be
// refunded") counts: a reply must not promise what did not run either.
func ReplyClaims(text string) []Claim {
	var out []Claim
	folded := strings.ReplaceAll(Fold(text), "’", "'")
	for _, clause := range clauseBreak.Split(folded, -1) {
		for _, cw := range claimWords {
			loc := cw.re.FindStringIndex(clause)
			if loc == nil {
				continue
			}
			if claimNegation.MatchString(clause[:loc[0]]) {
				continue
			}
			out = append(out, Claim{Kind: cw.kind, Word: clause[loc[0]:loc[1]]})
		}
	}
	return out
}
