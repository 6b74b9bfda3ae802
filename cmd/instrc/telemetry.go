package main

import (
	"context"
	"fmt"
	"time"

	"github.com/instrc/instrc/runtime/telemetry"
)

// startTracing exports the runtime's spans over OTLP when the standard
// OTEL_ variables ask for it (docs/runtime.md, "Traces"); the function it
// returns flushes them.
func startTracing(g *Globals) (flush func()) {
	shutdown, err := telemetry.Setup(context.Background())
	if err != nil {
		fmt.Fprintf(g.Stderr, "instrc: traces are not exported: %v\n", err)
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = shutdown(ctx)
	}
}
