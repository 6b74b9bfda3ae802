package sqlstore

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// aliveFor is how long a holder seen alive is trusted before it is checked
// again. A dead holder stays dead.
const aliveFor = time.Second

// dead reports whether holder is known to have died: its claims and locks
// then end without waiting for their lease. An empty holder, or one that
// cannot be checked from here, is not known dead.
func (s *Store) dead(x *tx, holder string) (bool, error) {
	if holder == "" || holder == s.holderName() {
		return false, nil
	}
	s.aliveMu.Lock()
	seen, ok := s.alive[holder]
	s.aliveMu.Unlock()
	if ok && (!seen.alive || time.Since(seen.at) < aliveFor) {
		return !seen.alive, nil
	}
	alive, err := s.checkAlive(x, holder)
	if err != nil {
		return false, err
	}
	s.aliveMu.Lock()
	if len(s.alive) > 10000 {
		clear(s.alive)
	}
	s.alive[holder] = aliveSeen{alive: alive, at: time.Now()}
	s.aliveMu.Unlock()
	return !alive, nil
}

func (s *Store) checkAlive(x *tx, holder string) (bool, error) {
	parts := strings.Split(holder, ":")
	switch {
	case parts[0] == "pg" && len(parts) == 3 && s.d.Postgres:
		pid, err1 := strconv.ParseInt(parts[1], 10, 64)
		start, err2 := strconv.ParseInt(parts[2], 10, 64)
		if err1 != nil || err2 != nil {
			return true, nil
		}
		var n int
		err := x.row(`SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ? AND (backend_start IS NULL OR `+PGStartExpr+` = ?)`, pid, start).Scan(&n)
		return n > 0, err
	case parts[0] == "proc" && len(parts) == 4:
		host, _ := os.Hostname()
		if parts[1] != host {
			return true, nil
		}
		pid, err := strconv.Atoi(parts[2])
		if err != nil {
			return true, nil
		}
		start, ok := procStart(pid)
		if !ok {
			// No such process, or no /proc to tell: only a missing
			// process of a readable /proc is dead.
			_, err := os.Stat("/proc/self/stat")
			return err != nil, nil
		}
		return start == parts[3], nil
	}
	return true, nil
}

// PGStartExpr is a PostgreSQL session's start in milliseconds, from
// pg_stat_activity's backend_start: with the session's pid, it names the
// session (a pid alone may be reused).
const PGStartExpr = `floor(extract(epoch from backend_start) * 1000)::bigint`

// ProcessHolder names this process for the claims and locks of a database
// shared by processes of one machine (SQLite): its host, pid and start
// time, so that a pid reused by a later process does not pass for it.
// Empty when the start time cannot be read (no /proc).
func ProcessHolder() string { return processHolder(os.Getpid()) }

func processHolder(pid int) string {
	start, ok := procStart(pid)
	if !ok {
		return ""
	}
	host, _ := os.Hostname()
	if strings.Contains(host, ":") {
		return ""
	}
	return fmt.Sprintf("proc:%s:%d:%s", host, pid, start)
}

// procStart reads a process's start time (in clock ticks since boot) from
// /proc/PID/stat.
func procStart(pid int) (string, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", false
	}
	// The command name, in parentheses, may hold spaces: fields are
	// counted after its closing parenthesis. The start time is field 22.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return "", false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 || f[0] == "Z" || f[0] == "X" {
		return "", false // a zombie is dead, only not yet reaped
	}
	return f[19], true
}
