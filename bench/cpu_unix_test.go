//go:build unix

package bench

import "syscall"

// cpuTime returns the CPU time (user + system) this process has used, in
// nanoseconds, all threads included (the garbage collector's as well).
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
