package sqlstore

import (
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestProcessHolder checks that a process's claims end when it dies: its
// holder reads as alive while it runs, as dead once it was killed (also
// before it is reaped), and this process is never dead to itself.
func TestProcessHolder(t *testing.T) {
	self := ProcessHolder()
	if self == "" {
		t.Skip("no /proc: only leases end claims here")
	}
	cmd := exec.Command("sleep", "30")
	require.NoError(t, cmd.Start())
	h := processHolder(cmd.Process.Pid)
	require.NotEmpty(t, h)
	s := New(nil, Dialect{}, Options{Holder: self})
	dead, err := s.dead(nil, h)
	require.NoError(t, err)
	require.False(t, dead, "a running process is alive")
	require.NoError(t, cmd.Process.Kill())
	// Not reaped yet: a zombie is dead (once the signal got there).
	require.Eventually(t, func() bool {
		dead, err := New(nil, Dialect{}, Options{Holder: self}).dead(nil, h)
		return err == nil && dead
	}, 5*time.Second, 10*time.Millisecond, "a killed process is dead before it is reaped")
	_ = cmd.Wait()
	dead, err = New(nil, Dialect{}, Options{Holder: self}).dead(nil, h)
	require.NoError(t, err)
	require.True(t, dead, "a killed process is dead")
	dead, err = s.dead(nil, self)
	require.NoError(t, err)
	require.False(t, dead)
	// Holders this process cannot check are not known dead.
	for _, other := range []string{"", "proc:another-host:1:1", "pg:1:1", "something else"} {
		dead, err := s.dead(nil, other)
		require.NoError(t, err)
		require.False(t, dead, other)
	}
}
