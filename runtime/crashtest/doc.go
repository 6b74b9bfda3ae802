// Package crashtest holds the tests that kill processes: a turn killed with
// SIGKILL in the middle of its chain is completed by the redelivery, with no
// action run twice, on SQLite and on PostgreSQL; and two processes with
// eight goroutines each share one SQLite file without a lost update or a
// "database is locked" error. The tests run the test binary itself as the
// child process.
package crashtest
