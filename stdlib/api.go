// Package stdlib is instrc's standard library: the built-in condition
// intents with their English and French phrases, typed value extractors and
// validators for contact fields, stemming and keywords, and the stock replies
// sent when no model is configured. The compiler uses it to recognise intents
// and check literal values; the runtime uses it to match messages and reply.
//
// Every function accepts any input, including invalid UTF-8 and very long
// strings, without panicking. Text is compared after folding: lower case,
// accents removed, curly apostrophes straightened, French elisions
// (l', qu', j', n', d', c', ...) and English contractions (don't, can't)
// expanded into separate words.
package stdlib
