package stark_test

import (
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// TestOptionalTableWithPublicsRefused: a table left out of a proof has no trace that
// could constrain its public values, so the verifier would accept any (the audit proved
// a program without I/O with input_len 123456 that way). Setup refuses such a table.
func TestOptionalTableWithPublicsRefused(t *testing.T) {
	fib := starktest.Fib(4)
	if len(fib.AIR.Publics) == 0 {
		t.Fatal("the Fibonacci table has no public values")
	}
	e, err := hemera.New(testParams)
	if err != nil {
		t.Fatal(err)
	}
	wide := starktest.Wide(5, 8, 2)
	_, _, err = e.Setup([]*air.AIR{wide.AIR, fib.AIR}, [][][]field.Elem{nil, nil}, []bool{false, true})
	if err == nil || !strings.Contains(err.Error(), "public values") {
		t.Fatalf("an optional table with public values was accepted: %v", err)
	}
}
