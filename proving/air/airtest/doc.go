// Package airtest is the conformance kit for AIRs: [Check] evaluates every constraint on
// every row of a trace and names each failing constraint with its first failing row;
// [CheckBus] adds up every bus's messages across tables and names the tuples that do not
// cancel. Chip tests use them to pinpoint a bug before (or instead of) proving.
//
// # Usage
//
//	if err := airtest.Check(a, main, prep, publics); err != nil {
//		t.Fatal(err) // table cpu: constraint "pc_step" (transition) fails at row 17 …
//	}
package airtest
