// Command oneiros-frontend-stack is the template for a new ISA plugin: a complete,
// working frontend for "stack", a tiny stack machine (translate.go describes it).
// Copy this directory, rename the module and the binary, and replace translate with
// your machine's translator; keep the rest.
//
// A frontend author writes a frontend.Translator, two methods:
//   - Describe: who it is, which ISA and file extensions, and examples with known output
//     that `oneiros plugins check` runs (the conformance kit, sdk/frontend/frontendtest);
//   - Translate: turn a source program into a normalized program (core/isa's Builder).
//
// frontend.FromTranslator does the rest of the plugin contract: the handles, the source
// digest, naming and validating the program, running it on the reference executor
// (core/exec) and streaming its records to the host.
//
// Build it into a directory the host searches (./bin, next to oneiros, or
// plugins.dirs) as oneiros-frontend-<isa>; then `oneiros prove --isa <isa> prog`.
package main

import (
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// stack is the frontend's own part: its description and its translator.
type stack struct{}

const example = `# doubles the input word and adds 1
read
dup
add
push 1
add
print
push 0
halt
`

// storageExample reads a key from the input and prints the host's storage word there
// plus one: the host's answer is part of the proven run (the claim's hook_digest).
const storageExample = `# prints storage[key] + 1, the key read from the input
read
sload
push 1
add
print
push 0
halt
`

func (stack) Describe() frontend.Description {
	return frontend.Description{Name: "stack", Version: "0.1.0", ISA: "stack", Extensions: []string{".stack"},
		Examples: []frontend.Example{
			{Name: "double", FileName: "double.stack", Source: []byte(example),
				Input: []byte{21, 0, 0, 0}, ExpectedOutput: []byte{43, 0, 0, 0}},
			{Name: "storage", FileName: "storage.stack", Source: []byte(storageExample),
				Input: []byte{7, 0, 0, 0}, ExpectedOutput: []byte{0xff, 0xca, 0, 0}},
		}}
}

// Translate is translate.go's translator. Its errors name the line; the SDK adds the
// file name and reports them to the user as bad input.
func (stack) Translate(src []byte, _ string) (*frontend.Translation, error) {
	p, err := translate(src)
	if err != nil {
		return nil, err
	}
	return &frontend.Translation{Program: p, Hooks: hooks()}, nil
}

func main() { frontend.Serve(frontend.FromTranslator(stack{})) }
