package frontend_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
	"github.com/oneiros-zk/oneiros/sdk/frontend/frontendtest"
)

// echo is a translator for a one-word language: "double" or "fail", "panic", "none",
// "bad"; its translation doubles the input word.
type echo struct{}

func (echo) Describe() frontend.Description {
	return frontend.Description{Name: "echo", Version: "0.0.1", ISA: "echo", Extensions: []string{".echo"},
		Examples: []frontend.Example{{Name: "double", FileName: "d.echo", Source: []byte("double"),
			Input: []byte{21, 0, 0, 0}, ExpectedOutput: []byte{42, 0, 0, 0}}}}
}

func (echo) Translate(src []byte, _ string) (*frontend.Translation, error) {
	switch string(src) {
	case "double":
		b := isa.NewBuilder()
		b.SetFP(0x1000)
		b.SourceLabel("double")
		b.Ecall(isa.SysRead, 8, isa.Imm(0))
		b.ALU(isa.ADD, 8, isa.Slot(8), isa.Slot(8))
		b.Ecall(isa.SysWrite, 8, isa.Imm(4))
		b.Halt(isa.Imm(0))
		p, err := b.Program()
		return &frontend.Translation{Program: p, SourceInstructions: 1}, err
	case "panic":
		panic("a translator bug")
	case "none":
		return nil, nil
	case "bad":
		return &frontend.Translation{Program: &isa.Program{}}, nil
	}
	return nil, errors.New("line 1: unknown word")
}

// A Translator served through FromTranslator keeps the plugin contract (the conformance
// kit), and Load reports every failure of the translation as bad input naming the file:
// an error, a panic, no program, an invalid program. A long or broken file name is cut
// to a valid program name.
func TestFromTranslator(t *testing.T) {
	f := frontend.FromTranslator(echo{})
	frontendtest.TestInProcess(t, f)
	ctx := context.Background()
	for src, want := range map[string]string{
		"fail":  "x.echo: line 1: unknown word",
		"panic": "x.echo: internal error while translating: a translator bug",
		"none":  "x.echo: the translator returned no program",
		"bad":   "x.echo: the translation is not a valid program",
	} {
		_, err := f.Load(ctx, frontend.LoadRequest{Source: []byte(src), FileName: "x.echo"})
		if !errors.Is(err, frontend.ErrInvalidInput) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want ErrInvalidInput with %q", src, err, want)
		}
	}
	p, err := f.Load(ctx, frontend.LoadRequest{Source: []byte("double"), FileName: strings.Repeat("é", 200) + "\xff"})
	if err != nil {
		t.Fatal(err)
	}
	prog, err := isa.Decode(p.Normalized)
	if err != nil || len(prog.Name) > isa.MaxNameLen || !strings.HasPrefix(prog.Name, "é") || p.Info.SourceMap == nil || p.Info.SourceInstructionCount != 1 {
		t.Fatalf("program %+v, info %+v, %v", prog, p.Info, err)
	}
}
