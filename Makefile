# OneirOS — an index of entry points. Each target prints what it does.
GO      ?= go
BIN     ?= $(CURDIR)/bin
export CGO_ENABLED ?= 0
# Go 1.26's simd/archsimd: the 8-lane AVX2 Poseidon2 of package hash (the Merkle trees on
# machines without AVX-512). Builds without it are correct, only slower there.
export GOEXPERIMENT ?= simd
SHELL   := /bin/bash

PKGS    := github.com/oneiros-zk/oneiros/...
PLUGINS := oneiros-frontend-asm:./plugins/asm oneiros-backend-cpu:./backends/cpu oneiros-backend-cuda:./backends/cuda oneiros-frontend-stack:./templates/frontend-plugin oneiros-frontend-svm:./plugins/svm oneiros-frontend-wasm:./plugins/wasm oneiros-frontend-evm:./plugins/evm

.PHONY: build plugins lint test test-long test-wrap check check-imports demo demo-aggregate demo-wrap bench fuzz fmt proto proto-into cuda test-cuda test-solidity

build: plugins ## the oneiros binary and every plugin, into ./bin
	@echo "==> build oneiros"
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/oneiros ./host/cmd/oneiros

plugins: ## the frontend and backend plugin binaries, into ./bin
	@echo "==> build plugins"
	@mkdir -p $(BIN)
	@for p in $(PLUGINS); do echo "$(GO) build -o $(BIN)/$${p%%:*} $${p#*:}"; $(GO) build -o $(BIN)/$${p%%:*} $${p#*:} || exit 1; done

lint: ## gofmt, go vet, the import layers, the set-up scripts without their tools (make check adds the generated-code check)
	@echo "==> gofmt"
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	@echo "==> go vet"
	$(GO) vet $(PKGS)
	@echo "==> import layers"
	@./scripts/check-imports.sh
	@echo "==> set-up scripts without their tools"
	@./scripts/check-scripts.sh

test: lint ## lint, every test of every module (short mode), short fuzz runs of the decoders, test-cuda (CI runs this)
	@echo "==> test"
	@for s in wasm svm evm; do d=../shared/conformance/$$s; if [ -d $$d ]; then echo "conformance suite $$s: $$d"; \
		else echo "WARNING: no $$d beside this checkout: the tests that run the shared $$s suite skip (go test -v names them)"; fi; done
	@command -v objdump >/dev/null || echo "WARNING: no objdump (apt-get install binutils): TestKernelsClearUpperHalves, the check of the AVX2 kernels' machine code, skips"
	@echo "$(GO) test -short -count=1 -timeout 20m $(PKGS)"
	@log=$$(mktemp); $(GO) test -short -count=1 -timeout 20m $(PKGS) 2>&1 | tee $$log; status=$${PIPESTATUS[0]}; \
		echo "==> the ten slowest packages"; \
		awk '($$1 == "ok" || $$1 == "FAIL") && $$3 ~ /s$$/ { t = $$3; sub(/s$$/, "", t); printf "%8.1fs  %s\n", t, $$2 }' $$log | sort -rn | head -10; \
		if [ $$status -ne 0 ]; then echo "==> what failed (the full log is above)"; ./scripts/test-failures.sh $$log; fi; \
		rm -f $$log; exit $$status
	@echo "==> test the AVX2 path: -tags purego hides gnark-crypto's AVX-512 kernels, so Merkle trees and proofs go through hash.Compress8"
	$(GO) test -short -count=1 -tags purego ./proving/hash ./proving/merkle ./proving/stark
	@echo "==> fuzz (short runs of the untrusted-bytes decoders)"
	@$(MAKE) --no-print-directory fuzz FUZZTIME=5s
	@$(MAKE) --no-print-directory test-solidity
	@$(MAKE) --no-print-directory test-cuda
	@echo "==> NOT RUN here: make test-wrap (the zkVM's wrap end to end: a Groth16 set-up of a circuit of millions of constraints, tens of minutes on 2 cores); make demo-wrap runs it at the production parameters"

# The packages' run above has solcjs too: without it tools/evmcheck fails under CI.
test test-long: export SOLCJS ?= $(shell ./scripts/solc.sh)

test-long: ## the tests without -short (slower proofs), test-cuda's included
	$(GO) test -count=1 -timeout 60m $(PKGS)
	@$(MAKE) --no-print-directory test-cuda CUDA_TESTFLAGS=

FUZZTIME ?= 30s
FUZZ_TARGETS := ./host/distributed:FuzzDecodeJob ./host/distributed:FuzzDecodeResult ./core/machine:FuzzDecodeSegmentProof ./core/machine:FuzzDecodeBoundary ./core/machine:FuzzDecodeAggregated ./core/machine:FuzzDecodeWrapped ./proving/fri:FuzzVerify ./proving/fri:FuzzDecode ./proving/stark:FuzzDecodeVerify ./core/trace:FuzzReadStream ./sdk/envelope:FuzzDecode ./sdk/envelope:FuzzDecodeBody ./core/isa:FuzzDecodeProgram ./core/trace:FuzzDecodeChunk ./plugins/svm/loader:FuzzLoad ./plugins/svm/compile:FuzzCompile ./plugins/svm/container:FuzzDecode ./plugins/svm/conformance:FuzzJudge ./plugins/wasm/module:FuzzDecode ./plugins/wasm/loader:FuzzLoad ./plugins/wasm/container:FuzzDecode ./plugins/wasm/conformance:FuzzJudge ./plugins/evm/translate:FuzzTranslate ./plugins/evm/container:FuzzParse ./plugins/evm/output:FuzzDecode ./plugins/evm/conformance:FuzzJudge ./proving/injector/wrap:FuzzDecodeWrapped ./sdk/injector/keys:FuzzLoad

fuzz: ## each fuzz target for FUZZTIME (default 30s); a failing target's output and input are kept (scripts/fuzz.sh)
	@GO=$(GO) FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh $(FUZZ_TARGETS)

# The plugin contract: proto/ → sdk/internal/pluginv1. protoc comes from the system
# (apt-get install protobuf-compiler); its two Go plugins are pinned as tools in go.mod.
PROTO_FILES := $(wildcard proto/oneiros/plugin/v1/*.proto)
PROTO_OUT   := sdk/internal/pluginv1
define protogen # $(1): output root
	@command -v protoc >/dev/null || { echo "protoc not found: apt-get install protobuf-compiler"; exit 1; }
	@mkdir -p $(BIN)/tools $(1)
	@$(GO) build -o $(BIN)/tools/ google.golang.org/protobuf/cmd/protoc-gen-go google.golang.org/grpc/cmd/protoc-gen-go-grpc
	protoc -I proto --plugin=protoc-gen-go=$(BIN)/tools/protoc-gen-go --plugin=protoc-gen-go-grpc=$(BIN)/tools/protoc-gen-go-grpc \
		--go_out=$(1) --go_opt=module=github.com/oneiros-zk/oneiros \
		--go-grpc_out=$(1) --go-grpc_opt=module=github.com/oneiros-zk/oneiros $(PROTO_FILES)
endef

proto: ## regenerate the plugin contract's Go code (sdk/internal/pluginv1) from proto/
	@echo "==> proto"
	$(call protogen,.)

check: lint ## gofmt, go vet, import layers, generated code up to date (needs protoc)
	@echo "==> generated code up to date"
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(MAKE) --no-print-directory proto-into OUT="$$tmp" >/dev/null || exit 1; \
	for f in "$$tmp"/$(PROTO_OUT)/*.pb.go $(PROTO_OUT)/*.pb.go; do \
		f=$(PROTO_OUT)/$$(basename "$$f"); \
		diff -u -I '^//[[:space:]]*protoc[[:space:]]' "$$tmp/$$f" "$$f" || { echo "$$f is stale: run make proto"; exit 1; }; \
	done

proto-into: # (internal) generate the plugin contract under $(OUT), for check
	$(call protogen,$(OUT))

check-imports: ## the import-layer rule of STYLE.md
	@./scripts/check-imports.sh

DEMO_PROGRAM ?= examples/sort.s
DEMO_INPUT   ?= examples/sort.in

demo: build ## build everything, prove and verify a real program on the defaults
	@echo "==> demo: prove $(DEMO_PROGRAM) on the embedded defaults"
	$(BIN)/oneiros prove --isa asm $(DEMO_PROGRAM) --input $(DEMO_INPUT) -o $(BIN)/demo.proof
	@echo "==> demo: verify"
	$(BIN)/oneiros verify $(BIN)/demo.proof
	@echo "==> demo: a flipped byte must be rejected (exit 1)"
	@cp $(BIN)/demo.proof $(BIN)/demo-flipped.proof
	@printf '\xff' | dd of=$(BIN)/demo-flipped.proof bs=1 seek=4000 conv=notrunc status=none
	@$(BIN)/oneiros verify $(BIN)/demo-flipped.proof >/dev/null 2>&1; rc=$$?; \
		if [ $$rc -eq 1 ]; then echo "rejected, as it must be"; else echo "flipped proof: exit $$rc, want 1"; exit 1; fi

demo-aggregate: build ## prove the demo program in two segments, aggregate them into one proof, verify it
	@echo "==> demo-aggregate: prove $(DEMO_PROGRAM) in segments of 4096 cycles"
	@printf 'segments:\n  segment_cycles: 4096\n' > $(BIN)/demo-segments.yaml
	$(BIN)/oneiros --config $(BIN)/demo-segments.yaml prove --isa asm $(DEMO_PROGRAM) --input $(DEMO_INPUT) --profile continuations -q -o $(BIN)/demo-segments.proof
	@echo "==> demo-aggregate: aggregate the segment proofs into one"
	$(BIN)/oneiros aggregate $(BIN)/demo-segments.proof -o $(BIN)/demo.agg
	@echo "==> demo-aggregate: verify the aggregated proof"
	$(BIN)/oneiros verify $(BIN)/demo.agg

# The zkVM's wrap end to end (docs/injector.md): host/pipeline's TestWrapEndToEnd at one
# outer query (set-up, wrap, verify and its refusals, export solidity and calldata), then
# the exported contract and call in go-ethereum's EVM. Not in make test: the Groth16
# set-up alone takes tens of minutes on 2 cores.
test-wrap: ## the zkVM's wrap end to end at test parameters, and the exported verifier in the EVM (tens of minutes)
	@echo "==> test-wrap: the wrap end to end (host/pipeline TestWrapEndToEnd)"
	@out=$$(mktemp -d) && solc=$$(./scripts/solc.sh) && \
		{ ONEIROS_WRAP_E2E=1 ONEIROS_WRAP_OUT=$$out $(GO) test -count=1 -timeout 120m -run '^TestWrapEndToEnd$$' -v ./host/pipeline | grep --line-buffered -vE '^=== (RUN|PAUSE|CONT)'; [ $${PIPESTATUS[0]} -eq 0 ]; } && \
		echo "==> test-wrap: the exported verifier and call in go-ethereum's EVM" && \
		ONEIROS_WRAP_OUT=$$out SOLCJS=$$solc $(GO) test -count=1 -run '^TestCLIWrappedInEVM$$' -v ./tools/evmcheck/; rc=$$?; rm -rf $$out; exit $$rc

# The wrap at the production parameters, as a user runs it: `--preset wrap` lets the
# commands accept the outer layer's 59 provable bits. The first run sets the circuit's
# keys up (local, development only; tens of minutes, cached under WRAP_KEYS).
WRAP_KEYS ?= $(BIN)/wrap-keys
demo-wrap: demo-aggregate ## wrap demo-aggregate's proof into a Groth16 proof, verify it, export the Solidity verifier and call it in go-ethereum's EVM
	@echo "==> demo-wrap: the wrap circuit's keys (a local set-up the first time: tens of minutes)"
	$(BIN)/oneiros --preset wrap wrap setup --keys $(WRAP_KEYS)
	@echo "==> demo-wrap: wrap the aggregated proof"
	$(BIN)/oneiros --preset wrap wrap $(BIN)/demo.agg -o $(BIN)/demo.snark --keys $(WRAP_KEYS)
	@echo "==> demo-wrap: verify the wrapped proof"
	$(BIN)/oneiros --preset wrap verify $(BIN)/demo.snark --keys $(WRAP_KEYS)
	@echo "==> demo-wrap: the Solidity verifier and the call, run in go-ethereum's EVM"
	$(BIN)/oneiros --preset wrap export solidity -o $(BIN)/Verifier.sol --keys $(WRAP_KEYS)
	$(BIN)/oneiros export calldata $(BIN)/demo.snark -o $(BIN)/run.calldata
	@solc=$$(./scripts/solc.sh) && ONEIROS_WRAP_OUT=$(abspath $(BIN)) SOLCJS=$$solc $(GO) test -count=1 -run '^TestCLIWrappedInEVM$$' -v ./tools/evmcheck/

# The CUDA backend with ICICLE (DESIGN.md §6): scripts/build-icicle.sh builds ICICLE's
# libraries from the Go module's C++ sources (offline, cached under ~/.cache/oneiros/icicle)
# and prints their directory; cgo links them with an rpath to it. Without the cuda tag
# (make plugins) the same binary builds with CGO_ENABLED=0 and reports "not compiled with
# CUDA support". backends/cuda/doc.go: set-up on a GPU machine.
ICICLE_LIB = $$(./scripts/build-icicle.sh)
CUDA_TESTFLAGS ?= -short
CUDA_ENV   = CGO_ENABLED=1 CGO_LDFLAGS="-L$$lib -Wl,-rpath,$$lib $$CGO_LDFLAGS"

cuda: ## oneiros-backend-cuda with ICICLE (-tags cuda), building ICICLE's libraries first (cached)
	@echo "==> cuda: ICICLE libraries"
	@lib=$(ICICLE_LIB) && echo "==> cuda: build $(BIN)/oneiros-backend-cuda (-tags cuda, ICICLE in $$lib)" && mkdir -p $(BIN) && \
		$(CUDA_ENV) $(GO) build -tags cuda -o $(BIN)/oneiros-backend-cuda ./backends/cuda

test-cuda: ## the CUDA backend's tests with -tags cuda on ICICLE's CPU device: kerneltest, a proof byte-identical to the CPU backend's, a mixed CUDA/CPU distributed run
	@echo "==> test-cuda: ICICLE libraries"
	@lib=$(ICICLE_LIB); rc=$$?; if [ $$rc -eq 3 ]; then \
		echo "==> test-cuda SKIPPED: ICICLE's build tools are missing and cannot be installed here (reason above); the CUDA backend's cgo path is untested on this machine"; exit 0; fi; \
	[ $$rc -eq 0 ] || exit $$rc; echo "==> test-cuda (-tags cuda, ICICLE in $$lib)" && \
		$(CUDA_ENV) $(GO) vet -tags cuda ./backends/cuda/... && \
		$(CUDA_ENV) $(GO) test -tags cuda $(CUDA_TESTFLAGS) -count=1 -timeout 20m ./backends/cuda/... && \
		echo "==> test-cuda: a CUDA worker and a CPU worker prove one distributed run" && \
		tmp=$$(mktemp -d) && $(CUDA_ENV) $(GO) build -tags cuda -o $$tmp/oneiros-backend-cuda ./backends/cuda && \
		ONEIROS_CUDA_BACKEND=$$tmp/oneiros-backend-cuda $(GO) test -count=1 -run '^TestDistributedMixedBackends$$' -v ./host/pipeline | grep -E '^(---|ok|FAIL|PASS)|distributed;'; \
		rc=$${PIPESTATUS[0]}; rm -rf $$tmp; exit $$rc

# gnark's Groth16 verifier in Solidity (proving/injector/solidity, run by tools/evmcheck): scripts/solc.sh installs
# npm's solcjs (cached under ~/.cache/oneiros/solc-<version>, Node.js and npm from apt-get
# when missing) and prints its path; exit 3 (no Node.js and no way to install it) is a loud
# skip outside CI and a failure under CI, as the package's tests are.
test-solidity: ## gnark's Groth16 verifier exported to Solidity, compiled with solcjs and run in go-ethereum's EVM: valid proofs pass, tampered ones revert
	@echo "==> test-solidity: solcjs"
	@solc=$$(./scripts/solc.sh); rc=$$?; if [ $$rc -eq 3 ] && [ -z "$$CI" ]; then \
		echo "==> test-solidity SKIPPED: Node.js and npm are missing and cannot be installed here (reason above); the Solidity verifier is untested on this machine"; exit 0; fi; \
	[ $$rc -eq 0 ] || exit $$rc; echo "==> test-solidity (SOLCJS=$$solc)" && \
		SOLCJS=$$solc $(GO) test -short -count=1 ./tools/evmcheck/

bench: ## benchmarks of the engine
	@echo "==> bench"
	$(GO) test -run='^$$' -bench=. ./proving/...
