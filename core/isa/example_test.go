package isa_test

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
)

func ExampleBuilder() {
	b := isa.NewBuilder()
	n := int32(isa.FrameHeader) // the first slot past CALL's two words
	loop, done := b.NewLabel("loop"), b.NewLabel("done")
	b.Ecall(isa.SysRead, n, isa.Imm(0)) // [n] = next input word
	b.Bind(loop)
	b.Branch(isa.BEQ, n, isa.Imm(0), done) // forward reference
	b.ALU(isa.SUB, n, isa.Slot(n), isa.Imm(1))
	b.Jump(loop)
	b.Bind(done)
	b.Halt(isa.Imm(0))
	b.SetFP(0x10000)
	prog, err := b.Program()
	if err != nil {
		fmt.Println(err)
		return
	}
	for pc, in := range prog.Code {
		fmt.Println(pc, in)
	}
	// Output:
	// 0 ecall read, [8], 0
	// 1 beq [8], 0, 4
	// 2 sub [8], [8], 1
	// 3 jmp 1
	// 4 halt 0
}

func ExampleAssemble() {
	prog, err := isa.Assemble("count.s", []byte(`
		.fp 0x1000
		        mov  [0], 3
		loop:   sub  [0], [0], 1     ; count down
		        bne  [0], 0, loop
		        halt [0]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(prog.Code), "instructions, fp", prog.FP)
	_, err = isa.Assemble("bad.s", []byte("add [0], 1"))
	fmt.Println(err)
	// Output:
	// 4 instructions, fp 4096
	// bad.s:1:11: expected ',' before operand 3 of add, found end of line
}
