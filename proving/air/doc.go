// Package air is how the Hemera Engine's tables are written: an AIR (algebraic
// intermediate representation) names a table's columns, its polynomial constraints and
// its bus interactions, as one shared expression graph.
//
// # Usage
//
// A chip builds its AIR once with a [Builder]:
//
//	b := air.NewBuilder("addsub")
//	x, y, z := b.Main("x"), b.Main("y"), b.Main("z")
//	sel := b.Main("is_real")
//	b.AssertBool("is_real boolean", sel.Cur)
//	b.AssertEq("z = x + y", z.Cur, x.Cur.Add(y.Cur))
//	b.Receive("alu", aluBus, []air.Expr{x.Cur, y.Cur, z.Cur}, sel.Cur)
//	a, err := b.Build()
//
// Columns are main (the prover's witness), preprocessed (fixed by the verifying key) or
// public values; each gives expressions on the current and the next row. Constraints
// hold on every row, or on the first, the last or every transition (AssertFirst,
// AssertLast, AssertTransition). Send and Receive put a tuple on a LogUp bus once per
// row with a multiplicity expression (package lookup proves the buses balance).
//
// The prover evaluates an AIR on batches of rows with a compiled [Program] (Compile,
// Program.Eval: vector operations over the batch) and the verifier at one
// out-of-domain point (AIR.EvalPoint); package airtest checks a trace against its AIR
// row by row, and a set of tables' buses, with messages that name the failing
// constraint and row — the first tool when a chip misbehaves.
//
// # Security
//
// An AIR is the statement: a constraint missing from it is a forgery waiting to happen,
// which is why every chip keeps cheating-prover tests beside its honest ones. The AIR's
// digest (AIR.Digest: columns, graph, constraints, interactions) goes into the verifying
// key, so a proof made for one AIR never verifies against another. The quotient's degree
// bound follows the largest constraint degree (ConstraintDegree: a row selector adds one).
//
// # Performance
//
// Expressions are shared nodes of one graph, evaluated once per batch whatever the
// number of constraints that use them; constant folding and the graph's topological
// order are the Builder's.
package air
