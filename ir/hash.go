package ir

import (
	"crypto/sha256"
	"encoding/hex"
)

// Hash identifies a plan by its content: "sha256:" and the hex digest of
// the plan's JSON as Marshal writes it. Two plans with the same hash run
// the same way; a server records it with every turn.
func Hash(p *Plan) (string, error) {
	b, err := Marshal(p)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}
