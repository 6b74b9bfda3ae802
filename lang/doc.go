// Package lang holds the language helpers that every stage of instrc shares:
// folding (case, accents, apostrophe look-alikes), splitting text into words
// with French elisions and English contractions expanded, telling English
// from French, and finding the name nearest to a misspelt one.
//
// They live in one leaf package so that the grammar reading an instruction,
// the compiler suggesting a name, the runtime matching a contact's message
// and the language server all compare words the same way. The package
// imports nothing from instrc.
package lang
