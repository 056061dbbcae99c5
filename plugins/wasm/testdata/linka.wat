;; Module "a" of TestLinking: exports a memory, a table, a mutable global and functions.
(module
  (memory (export "mem") 1 4)
  (table (export "tab") 4 funcref)
  (global (export "g") (mut i64) (i64.const 5))
  (elem (i32.const 0) $inc)
  (func $inc (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "getg") (result i64) (global.get 0))
  (func (export "call0") (param i32) (param i32) (result i32) (call_indirect (param i32) (result i32) (local.get 0) (local.get 1))))
