;; The OneirOS WebAssembly runtime module: WASI preview 1 (the subset plain C and Rust
;; programs need to read their input and write their output) and the host module's bulk
;; functions, written in WebAssembly and translated with the program. It is linked to
;; the memory of the module that imports it and to the host module's intrinsics (one
;; normalized ECALL each).
;;
;; Build (package runtime embeds runtime.wasm): wat2wasm runtime.wat -o runtime.wasm
;;
;; File descriptors: 0 is the private input tape (read only), 1 is the public output,
;; 2 is accepted and discarded. Errno values are WASI's: 8 EBADF, 21 EFAULT, 28 EINVAL,
;; 70 ESPIPE. A pointer outside memory traps (out of bounds memory access), as any
;; access would.
(module
  (import "oneiros" "input_len" (func $input_len (result i32)))
  (import "oneiros" "read_word" (func $read_word (result i32)))
  (import "oneiros" "write_byte" (func $write_byte (param i32)))
  (import "oneiros" "write_word" (func $write_word (param i32)))
  (import "oneiros" "exit" (func $exit (param i32)))
  (import "oneiros:runtime" "memory" (memory 0))

  ;; write appends len bytes at ptr to the public output.
  (func $write (export "write") (param $ptr i32) (param $len i32)
    (block $done
      (loop $words
        (br_if $done (i32.lt_u (local.get $len) (i32.const 4)))
        (call $write_word (i32.load align=1 (local.get $ptr)))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
        (local.set $len (i32.sub (local.get $len) (i32.const 4)))
        (br $words)))
    (block $end
      (loop $bytes
        (br_if $end (i32.eqz (local.get $len)))
        (call $write_byte (i32.load8_u (local.get $ptr)))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
        (local.set $len (i32.sub (local.get $len) (i32.const 1)))
        (br $bytes))))

  ;; Bytes taken from the tape (read_word takes four at a time) but not yet handed to
  ;; the program: at most three, the next one in the low byte of $buf.
  (global $buf (mut i32) (i32.const 0))
  (global $nbuf (mut i32) (i32.const 0))

  ;; read copies up to len bytes of the input tape to ptr; returns the count (0 at the
  ;; end of the input). Do not mix it (or fd_read) with read_word on the same tape.
  (func $read (export "read") (param $ptr i32) (param $len i32) (result i32)
    (local $n i32) (local $k i32) (local $w i32) (local $got i32)
    (block $drained
      (loop $drain
        (br_if $drained (i32.or (i32.eqz (local.get $len)) (i32.eqz (global.get $nbuf))))
        (i32.store8 (local.get $ptr) (global.get $buf))
        (global.set $buf (i32.shr_u (global.get $buf) (i32.const 8)))
        (global.set $nbuf (i32.sub (global.get $nbuf) (i32.const 1)))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
        (local.set $len (i32.sub (local.get $len) (i32.const 1)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $drain)))
    (local.set $got (call $input_len))
    (local.set $k (select (local.get $len) (local.get $got) (i32.lt_u (local.get $len) (local.get $got))))
    (local.set $n (i32.add (local.get $n) (local.get $k)))
    (block $done
      (loop $words
        (br_if $done (i32.lt_u (local.get $k) (i32.const 4)))
        (i32.store align=1 (local.get $ptr) (call $read_word))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
        (local.set $k (i32.sub (local.get $k) (i32.const 4)))
        (br $words)))
    (if (local.get $k)
      (then
        ;; The tape holds at least k bytes: take a word (up to four bytes), hand over k,
        ;; keep the rest.
        (local.set $got (call $input_len))
        (if (i32.gt_u (local.get $got) (i32.const 4)) (then (local.set $got (i32.const 4))))
        (local.set $w (call $read_word))
        (global.set $nbuf (i32.sub (local.get $got) (local.get $k)))
        (loop $bytes
          (i32.store8 (local.get $ptr) (local.get $w))
          (local.set $w (i32.shr_u (local.get $w) (i32.const 8)))
          (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br_if $bytes (local.get $k)))
        (global.set $buf (local.get $w))))
    (local.get $n))

  (func (export "fd_write") (param $fd i32) (param $iovs i32) (param $n i32) (param $nwritten i32) (result i32)
    (local $total i32) (local $len i32)
    (if (i32.gt_u (i32.sub (local.get $fd) (i32.const 1)) (i32.const 1)) (then (return (i32.const 8))))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $len (i32.load offset=4 (local.get $iovs)))
        (if (i32.eq (local.get $fd) (i32.const 1))
          (then (call $write (i32.load (local.get $iovs)) (local.get $len))))
        (local.set $total (i32.add (local.get $total) (local.get $len)))
        (local.set $iovs (i32.add (local.get $iovs) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.store (local.get $nwritten) (local.get $total))
    (i32.const 0))

  (func (export "fd_read") (param $fd i32) (param $iovs i32) (param $n i32) (param $nread i32) (result i32)
    (local $total i32) (local $len i32) (local $got i32)
    (if (local.get $fd) (then (return (i32.const 8))))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $len (i32.load offset=4 (local.get $iovs)))
        (local.set $got (call $read (i32.load (local.get $iovs)) (local.get $len)))
        (local.set $total (i32.add (local.get $total) (local.get $got)))
        (br_if $done (i32.lt_u (local.get $got) (local.get $len)))
        (local.set $iovs (i32.add (local.get $iovs) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.store (local.get $nread) (local.get $total))
    (i32.const 0))

  (func (export "proc_exit") (param $code i32)
    (call $exit (local.get $code)))

  ;; No arguments, no environment.
  (func $sizes (export "args_sizes_get") (export "environ_sizes_get") (param $count i32) (param $size i32) (result i32)
    (i32.store (local.get $count) (i32.const 0))
    (i32.store (local.get $size) (i32.const 0))
    (i32.const 0))
  (func (export "args_get") (export "environ_get") (param i32 i32) (result i32)
    (i32.const 0))

  (func (export "fd_close") (param $fd i32) (result i32)
    (select (i32.const 0) (i32.const 8) (i32.lt_u (local.get $fd) (i32.const 3))))

  (func (export "fd_seek") (param $fd i32) (param i64 i32 i32) (result i32)
    (select (i32.const 70) (i32.const 8) (i32.lt_u (local.get $fd) (i32.const 3))))

  ;; fdstat of the three standard descriptors: a character device, no flags, the rights
  ;; to read (0) or write (1, 2).
  (func (export "fd_fdstat_get") (param $fd i32) (param $st i32) (result i32)
    (if (i32.ge_u (local.get $fd) (i32.const 3)) (then (return (i32.const 8))))
    (i64.store (local.get $st) (i64.const 2))
    (i64.store offset=8 (local.get $st) (select (i64.const 2) (i64.const 64) (i32.eqz (local.get $fd))))
    (i64.store offset=16 (local.get $st) (i64.const 0))
    (i32.const 0))

  ;; No preopened directories: the scan for them ends at once.
  (func (export "fd_prestat_get") (param i32 i32) (result i32) (i32.const 8))
  (func (export "fd_prestat_dir_name") (param i32 i32 i32) (result i32) (i32.const 8))

  ;; Time stands still at 0 and randomness is all zeros: runs must be deterministic.
  (func (export "clock_time_get") (param i32 i64) (param $out i32) (result i32)
    (i64.store (local.get $out) (i64.const 0))
    (i32.const 0))
  (func (export "clock_res_get") (param i32) (param $out i32) (result i32)
    (i64.store (local.get $out) (i64.const 1))
    (i32.const 0))
  (func (export "random_get") (param $buf i32) (param $len i32) (result i32)
    (memory.fill (local.get $buf) (i32.const 0) (local.get $len))
    (i32.const 0))
  (func (export "sched_yield") (result i32) (i32.const 0)))
