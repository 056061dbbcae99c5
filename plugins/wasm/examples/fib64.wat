;; Reads n (a little-endian u32) and writes fib(n) as a little-endian u64, computed with
;; i64 arithmetic in a loop. Build: wat2wasm fib64.wat -o fib64.wasm
(module
  (import "oneiros" "read_word" (func $read_word (result i32)))
  (import "oneiros" "write_word" (func $write_word (param i32)))
  (func $fib (param $n i32) (result i64)
    (local $a i64) (local $b i64) (local $t i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $t (i64.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $a))
  (func (export "main")
    (local $r i64)
    (local.set $r (call $fib (call $read_word)))
    (call $write_word (i32.wrap_i64 (local.get $r)))
    (call $write_word (i32.wrap_i64 (i64.shr_u (local.get $r) (i64.const 32))))))
