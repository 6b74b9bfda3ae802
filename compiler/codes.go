// Package compiler checks a parsed instruction file against its workspace
// and lowers it to the action plan. It is a sequence of named stages, each
// small and separately testable (as in OPA's compiler):
//
//	resolve  names → exact workspace names (longest match, suggestions)
//	check    chains, scenarios and the file against the platform's rules
//	lower    scenarios → ir.Plan
//
// Every stage returns what it could do together with its diagnostics, so a
// file with ten mistakes gets ten diagnostics and still a partial plan.
package compiler
