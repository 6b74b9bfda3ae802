package runtime_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/instrc/instrc/runtime"
)

func TestCountTokensLineByLineIsExact(t *testing.T) {
	instr, _ := os.ReadFile("../examples/support/agent.instr")
	texts := []string{string(instr), "a\n\nb", "what?\nagent: yes!\n\n  indented\n- item\n", "Bonjour,\n\nje voudrais être remboursé.\n>>>", "\n\n\nx", "x\n", "  \n  y"}
	for _, s := range texts {
		assert.Equal(t, runtime.CountWhole(s), runtime.CountTokens(s), "%q", s[:min(len(s), 40)])
	}
	assert.Positive(t, runtime.CountTokens(strings.Repeat("é", 10)))
}
