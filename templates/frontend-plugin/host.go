package main

import (
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
)

// SysStorage is the template's host-state syscall: ECALL SysStorage, [a], B sets [a] to
// the host's storage word at key B. Hook numbers start at isa.FirstHook; they are the
// frontend's own.
const SysStorage = isa.FirstHook

// storage is the template's toy host state: a fixed key-value store. A real frontend
// answers from its host's state (a chain's storage at a block, an account snapshot,
// the clock of the transaction), handed to it however the frontend likes.
var storage = map[uint32]uint32{1: 100, 2: 200, 7: 0xcafe}

// hooks are the syscalls the frontend serves beside the core ones. A provable hook only
// answers: it reads its query from c.B (and c.A, the old [a]) and gives its answer with
// c.SetA; the proof binds (number, B, answer) of every call into the claim's
// hook_digest. A hook that made its own memory accesses (c.Load, c.Store) or attached
// data (c.Attach) would still run, but no proof could be made of it.
func hooks() map[uint32]exec.Syscall {
	return map[uint32]exec.Syscall{
		SysStorage: func(c *exec.Call) error { return c.SetA(storage[c.B]) }, // a missing key reads 0
	}
}
