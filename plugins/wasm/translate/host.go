package translate

import (
	"math"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
	"github.com/oneiros-zk/oneiros/plugins/wasm/runtime"
)

var (
	i32 = module.I32
	i64 = module.I64
)

func ft(params, results []module.ValType) module.FuncType {
	return module.FuncType{Params: params, Results: results}
}

// intrinsicKinds are the host functions of the host module's intrinsics (package
// runtime): translated inline where called directly.
var intrinsicKinds = [...]hostKind{
	runtime.InputLen:  hostInputLen,
	runtime.ReadWord:  hostReadWord,
	runtime.WriteByte: hostWriteByte,
	runtime.WriteWord: hostWriteWord,
	runtime.Exit:      hostExit,
}

func (s *Store) hostFunc(key string, kind hostKind, t module.FuncType) *Function {
	if f, ok := s.hostFuncs[key]; ok {
		return f
	}
	f := s.newFunction(t, key)
	f.host = kind
	s.hostFuncs[key] = f
	return f
}

// hostImport resolves an import of an intrinsic of the host module (package runtime).
func (s *Store) hostImport(inst *Instance, im module.Import) (Extern, error) {
	if im.Kind != module.KindFunc {
		return Extern{}, linkErrorf("unknown import %s.%s: the host module exports functions only", im.Module, im.Name)
	}
	if im.Module == runtime.HostModule {
		if in, t, ok := runtime.LookupIntrinsic(im.Name); ok {
			return Extern{Func: s.hostFunc(runtime.HostModule+"."+im.Name, intrinsicKinds[in], t)}, nil
		}
	}
	return Extern{}, linkErrorf("unknown import %s.%s", im.Module, im.Name)
}

// newSpectest builds the spectest host module of the WebAssembly spec tests.
func (s *Store) newSpectest() *Instance {
	inst := &Instance{Name: "spectest", Exports: map[string]Extern{}, Module: &module.Module{}}
	f32, f64 := module.F32, module.F64
	// In a fixed order: the functions' labels and code follow it, so a map's random
	// order would give the same source a different program (and program ID) per run.
	for _, f := range []struct {
		name   string
		params []module.ValType
	}{
		{"print", nil}, {"print_i32", []module.ValType{i32}}, {"print_i64", []module.ValType{i64}},
		{"print_f32", []module.ValType{f32}}, {"print_f64", []module.ValType{f64}},
		{"print_i32_f32", []module.ValType{i32, f32}}, {"print_f64_f64", []module.ValType{f64, f64}},
	} {
		inst.Exports[f.name] = Extern{Func: s.hostFunc("spectest."+f.name, hostNop, ft(f.params, nil))}
	}
	inst.Exports["global_i32"] = Extern{Global: s.newGlobal(module.GlobalType{Type: i32}, 666)}
	inst.Exports["global_i64"] = Extern{Global: s.newGlobal(module.GlobalType{Type: i64}, 666)}
	inst.Exports["global_f32"] = Extern{Global: s.newGlobal(module.GlobalType{Type: f32}, uint64(math.Float32bits(666.6)))}
	inst.Exports["global_f64"] = Extern{Global: s.newGlobal(module.GlobalType{Type: f64}, math.Float64bits(666.6))}
	t, _ := s.newTable(module.TableType{Elem: module.FuncRef, Limits: module.Limits{Min: 10, Max: 20, HasMax: true}})
	inst.Exports["table"] = Extern{Table: t}
	inst.Exports["memory"] = Extern{Memory: s.newMemory(module.Limits{Min: 1, Max: 2, HasMax: true})}
	return inst
}

// emitHostBody emits the body of a host function, for calls through tables or from
// the entry code (direct calls from WebAssembly are translated inline).
func (s *Store) emitHostBody(f *Function) {
	b := s.b
	b.Bind(f.Label)
	switch f.host {
	case hostNop:
	case hostInputLen:
		b.Ecall(isa.SysInputLen, 8, isa.Imm(0))
	case hostReadWord:
		b.Ecall(isa.SysRead, 8, isa.Imm(0))
	case hostWriteByte:
		b.Ecall(isa.SysWrite, 8, isa.Imm(1))
	case hostWriteWord:
		b.Ecall(isa.SysWrite, 8, isa.Imm(4))
	case hostExit:
		b.Halt(isa.Slot(8))
		return
	case hostNoSys:
		if len(f.Type.Results) > 0 {
			b.Move(8, isa.Imm(runtime.ErrnoNoSys))
			if f.Type.Results[0].Words() == 2 {
				b.Move(12, isa.Imm(0))
			}
		}
	}
	b.Ret()
}
