package runtime

// CountWhole counts a text in one piece, as the encoding does, for the
// tests of CountTokens' line by line count.
var CountWhole = countWhole
var AskForForTest = askFor
