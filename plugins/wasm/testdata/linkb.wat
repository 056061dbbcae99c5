;; Module "b" of TestLinking: imports everything of "a", writes its memory from a data
;; segment and code, grows it, sets its global and table.
(module
  (import "a" "mem" (memory 1))
  (import "a" "tab" (table 2 funcref))
  (import "a" "g" (global $g (mut i64)))
  (import "a" "inc" (func $inc (param i32) (result i32)))
  (data (i32.const 16) "\2a\00\00\00")
  (elem (i32.const 1) $double)
  (func $double (param i32) (result i32) (i32.shl (local.get 0) (i32.const 1)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (call $inc (local.get 1))))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "setg") (param i64) (global.set $g (i64.mul (local.get 0) (global.get $g))))
  (func (export "via") (param i32 i32) (result i32) (call_indirect (param i32) (result i32) (local.get 1) (local.get 0))))
