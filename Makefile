# OneirOS — an index of entry points. Each target prints what it does.
GO      ?= go
BIN     ?= $(CURDIR)/bin
export CGO_ENABLED ?= 0

PKGS    := github.com/oneiros-zk/oneiros/...
PLUGINS := oneiros-frontend-asm:./plugins/asm oneiros-backend-cpu:./backends/cpu oneiros-frontend-stack:./templates/frontend-plugin oneiros-frontend-evm:./plugins/evm

.PHONY: build plugins test test-long check check-imports demo bench fuzz fmt proto proto-into

build: plugins ## the oneiros binary and every plugin, into ./bin
	@echo "==> build oneiros"
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/oneiros ./host/cmd/oneiros

plugins: ## the frontend and backend plugin binaries, into ./bin
	@echo "==> build plugins"
	@mkdir -p $(BIN)
	@for p in $(PLUGINS); do echo "$(GO) build -o $(BIN)/$${p%%:*} $${p#*:}"; $(GO) build -o $(BIN)/$${p%%:*} $${p#*:} || exit 1; done

test: ## every test of every module (short mode), plus short fuzz runs of the decoders (CI runs this)
	@echo "==> test"
	$(GO) test -short -count=1 -timeout 20m $(PKGS)
	@echo "==> fuzz (short runs of the untrusted-bytes decoders)"
	@$(MAKE) --no-print-directory fuzz FUZZTIME=5s

test-long: ## the tests without -short (slower proofs)
	$(GO) test -count=1 -timeout 60m $(PKGS)

FUZZTIME ?= 30s
FUZZ_TARGETS := ./proving/fri:FuzzVerify ./proving/fri:FuzzDecode ./proving/stark:FuzzDecodeVerify ./core/trace:FuzzReadStream ./sdk/envelope:FuzzDecode ./sdk/envelope:FuzzDecodeBody ./core/isa:FuzzDecodeProgram ./core/trace:FuzzDecodeChunk

fuzz: ## each fuzz target for FUZZTIME (default 30s)
	@for t in $(FUZZ_TARGETS); do echo "$(GO) test -run '^$$' -fuzz '^$${t#*:}$$' -fuzztime $(FUZZTIME) $${t%%:*}"; \
		$(GO) test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2s $${t%%:*} >/dev/null || exit 1; done

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

check: ## gofmt, go vet, generated code up to date, import layers
	@echo "==> gofmt"
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	@echo "==> go vet"
	$(GO) vet $(PKGS)
	@echo "==> import layers"
	@./scripts/check-imports.sh
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

bench: ## benchmarks of the engine
	@echo "==> bench"
	$(GO) test -run='^$$' -bench=. ./proving/...
