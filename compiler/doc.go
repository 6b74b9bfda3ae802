// Package compiler checks a parsed instruction file against its workspace
// and lowers it to the action plan. It is a table of named stages (Stages:
// parse, workspace, resolve, check, lower), each timed and each runnable up
// to a point with Options.StopAfter, as in OPA's compiler.
//
// Every stage keeps what it could do together with its diagnostics, so a
// file with ten mistakes gets ten diagnostics and still a partial plan.
package compiler
