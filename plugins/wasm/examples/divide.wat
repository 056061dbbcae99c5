;; Reads two little-endian u32 words a and b and writes a / b (unsigned). b = 0 traps
;; (integer divide by zero): the run ends with the normalized TRAP, code 2, and that
;; run is proven like any other. Build: wat2wasm divide.wat -o divide.wasm
(module
  (import "oneiros" "read_word" (func $read_word (result i32)))
  (import "oneiros" "write_word" (func $write_word (param i32)))
  (func (export "main")
    (local $a i32)
    (local.set $a (call $read_word))
    (call $write_word (i32.div_u (local.get $a) (call $read_word)))))
