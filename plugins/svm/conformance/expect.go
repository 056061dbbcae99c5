package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// ErrExpect is wrapped by the error for a run's Expect blob that cannot be used. The blob
// crossed the host twice: it is decoded as untrusted bytes. It wraps
// frontend.ErrInvalidInput: the host's request was at fault, not the plugin.
var ErrExpect = fmt.Errorf("%w: svm conformance expectation", frontend.ErrInvalidInput)

// expectFormat is the version of the Expect encoding; a blob of another version is refused.
const expectFormat = 1

// maxExpect bounds an Expect blob: the largest case (an ELF of a few tens of KiB with
// its input, base64-encoded) is far below it.
const maxExpect = 4 << 20

// The parts of the suite and their expectations (the suite's README).
const (
	partInstr = "instr"
	partELF   = "elf"

	instrOK         = "ok"          // HALT, the twelve registers equal Regs
	instrFault      = "fault"       // TRAP with a nonzero error code
	instrVerifyFail = "verify_fail" // Load refuses the program at the verifier

	elfOK        = "ok"         // HALT, r0 and the instruction count
	elfError     = "error"      // TRAP with the named error after Count instructions
	elfLoadError = "load_error" // Load refuses the file at Stage
)

// expectation is a run's Expect blob: what the case expects, and the container it runs
// (the source of a proof candidate: the judge keeps no state between calls). JSON, so
// that a blob is readable in a report or a debugger.
type expectation struct {
	Format int      `json:"format"`
	Part   string   `json:"part"`
	Result string   `json:"result"`
	Regs   []uint64 `json:"regs,omitempty"`  // instr ok: r0..r11
	R0     uint64   `json:"r0,omitempty"`    // elf ok
	Count  uint64   `json:"count,omitempty"` // elf ok and error: instructions executed
	Error  string   `json:"error,omitempty"` // elf error: the error's name (translate.ErrorNames)
	Stage  string   `json:"stage,omitempty"` // elf load_error: elf_parse or load
	Source []byte   `json:"source"`          // the container
}

func (e *expectation) encode() ([]byte, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	return json.Marshal(e)
}

// decodeExpect decodes and validates an Expect blob.
func decodeExpect(b []byte) (*expectation, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: the run has no Expect blob", ErrExpect)
	}
	if len(b) > maxExpect {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrExpect, len(b), maxExpect)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	var e expectation
	if err := d.Decode(&e); err != nil {
		return nil, fmt.Errorf("%w: not a JSON expectation: %w", ErrExpect, err)
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the expectation", ErrExpect)
	}
	if err := e.validate(); err != nil {
		return nil, err
	}
	return &e, nil
}

// validate refuses an expectation the judge cannot apply.
func (e *expectation) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrExpect, fmt.Sprintf(format, args...))
	}
	if e.Format != expectFormat {
		return bad("format %d, want %d", e.Format, expectFormat)
	}
	switch e.Part {
	case partInstr:
		switch e.Result {
		case instrOK:
			if len(e.Regs) != 12 {
				return bad("instr ok expects %d registers, want 12", len(e.Regs))
			}
		case instrFault, instrVerifyFail:
			if len(e.Regs) != 0 {
				return bad("instr %s expects registers", e.Result)
			}
		default:
			return bad("instr result %q: want ok, fault or verify_fail", e.Result)
		}
		if e.R0 != 0 || e.Count != 0 || e.Error != "" || e.Stage != "" {
			return bad("an instr expectation with ELF fields")
		}
	case partELF:
		switch e.Result {
		case elfOK:
			if e.Error != "" || e.Stage != "" {
				return bad("elf ok with an error or stage")
			}
		case elfError:
			if e.Error == "" || e.Stage != "" {
				return bad("elf error without the error's name, or with a stage")
			}
		case elfLoadError:
			if e.Stage != "elf_parse" && e.Stage != "load" {
				return bad("elf load_error at stage %q: want elf_parse or load", e.Stage)
			}
		default:
			return bad("elf result %q: want ok, error or load_error", e.Result)
		}
		if len(e.Regs) != 0 {
			return bad("an elf expectation with registers")
		}
	default:
		return bad("part %q: want instr or elf", e.Part)
	}
	if len(e.Source) == 0 {
		return bad("no container")
	}
	return nil
}

// runs says whether the case executes (it is not a refusal at load).
func (e *expectation) runs() bool { return e.Result != instrVerifyFail && e.Result != elfLoadError }
