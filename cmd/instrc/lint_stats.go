package main

import (
	"fmt"
	"io"
	"time"

	"github.com/instrc/instrc/compiler"
)

// stageStats sums the compiler's stage times over the files lint reads
// (lint --stats). A nil *stageStats records nothing.
type stageStats struct {
	total map[string]time.Duration
	bytes int
}

func (s *stageStats) add(ts []compiler.StageTime, size int) {
	if s == nil {
		return
	}
	if s.total == nil {
		s.total = map[string]time.Duration{}
	}
	for _, t := range ts {
		s.total[t.Stage] += t.Duration
	}
	s.bytes += size
}

// write prints one line per stage in the compiler's order, then the total.
func (s *stageStats) write(w io.Writer, files int) {
	if s == nil {
		return
	}
	var sum time.Duration
	fmt.Fprintf(w, "%-10s %12s\n", "stage", "time")
	for _, st := range compiler.Stages {
		d := s.total[st.Name]
		sum += d
		fmt.Fprintf(w, "%-10s %12s\n", st.Name, d.Round(time.Microsecond))
	}
	fmt.Fprintf(w, "%-10s %12s  (%s, %d bytes)\n", "total", sum.Round(time.Microsecond), plural(files, "file"), s.bytes)
}
