package recursion

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// Prove executes the program on inputs (its input stream) and proves the execution:
// it returns the proof and the public outputs (the values of Program.Publics). A
// program that does not execute (an assertion that fails, a non-base input where a base
// one is required) is an error, with no proof.
func Prove(e *hemera.Engine, pk *ProvingKey, inputs []field.Ext) (*stark.Proof, []field.Ext, error) {
	mem, err := pk.Prog.Execute(inputs)
	if err != nil {
		return nil, nil, err
	}
	publics := make([]field.Ext, len(pk.Prog.Publics))
	for i, v := range pk.Prog.Publics {
		publics[i] = mem[v]
	}
	proof, err := proveMemory(e, pk, mem, publics)
	if err != nil {
		return nil, nil, err
	}
	return proof, publics, nil
}

// proveMemory proves the traces of a memory with the given public outputs; it checks no
// constraint (the cheating-prover tests call it on memories that are no execution).
func proveMemory(e *hemera.Engine, pk *ProvingKey, mem, publics []field.Ext) (*stark.Proof, error) {
	return proveTraces(e, pk, pk.Traces(mem), publics)
}

func proveTraces(e *hemera.Engine, pk *ProvingKey, main [][][]field.Elem, publics []field.Ext) (*stark.Proof, error) {
	w := &stark.Witness{Main: main, Publics: make([][]field.Elem, numTables), Bus: Messages(pk.VK.Publics, publics)}
	proof, err := e.Prove(pk.STARK, w)
	if err != nil {
		return nil, fmt.Errorf("recursion: %w", err)
	}
	return proof, nil
}

// Verify checks a proof that vk's program executed with the given public outputs. A
// rejection wraps stark.ErrInvalidProof.
func Verify(e *hemera.Engine, vk *VerifyingKey, publics []field.Ext, proof *stark.Proof) error {
	if len(publics) != len(vk.Publics) {
		return &stark.Error{Check: "shape", Msg: fmt.Sprintf("recursion: %d public values, the program has %d", len(publics), len(vk.Publics))}
	}
	for i := range publics {
		if !publics[i].InDegree(field.ExtDegree4) {
			return &stark.Error{Check: "shape", Msg: fmt.Sprintf("recursion: public %d has degree %d, not 4", i, publics[i].Degree())}
		}
	}
	return e.Verify(vk.STARK, proof, make([][]field.Elem, numTables), Messages(vk.Publics, publics))
}
