;; Sums the input's little-endian u32 words and writes the sum (4 bytes) to the public
;; output, through the OneirOS host module. Build: wat2wasm sum.wat -o sum.wasm
(module
  (import "oneiros" "input_len" (func $input_len (result i32)))
  (import "oneiros" "read_word" (func $read_word (result i32)))
  (import "oneiros" "write_word" (func $write_word (param i32)))
  (func (export "main")
    (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (call $input_len)))
        (local.set $sum (i32.add (local.get $sum) (call $read_word)))
        (br $next)))
    (call $write_word (local.get $sum))))
