package runtime_test

import (
	"testing"

	"github.com/instrc/instrc/runtime"
	"github.com/instrc/instrc/runtime/backendtest"
)

func TestMemoryBackendConformance(t *testing.T) {
	backendtest.Run(t, func(*testing.T) backendtest.Backend { return runtime.NewMemoryBackend() })
}
