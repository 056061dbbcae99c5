# OneirOS — an index of entry points. Each target prints what it does.
GO      ?= go
BIN     ?= $(CURDIR)/bin
export CGO_ENABLED ?= 0

.PHONY: build plugins test check demo bench fmt proto proto-into

build: ## the oneiros binary and every plugin, into ./bin
	@echo "==> build oneiros"
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/oneiros ./host/cmd/oneiros

plugins: ## the frontend and backend plugin binaries, into ./bin
	@echo "==> build plugins"
	@mkdir -p $(BIN)

test: ## every test of every module (short mode; CI runs this)
	@echo "==> test"
	$(GO) test -short -count=1 ./...

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
	$(GO) vet ./...
	@echo "==> generated code up to date"
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(MAKE) --no-print-directory proto-into OUT="$$tmp" >/dev/null || exit 1; \
	for f in "$$tmp"/$(PROTO_OUT)/*.pb.go $(PROTO_OUT)/*.pb.go; do \
		f=$(PROTO_OUT)/$$(basename "$$f"); \
		diff -u -I '^//[[:space:]]*protoc[[:space:]]' "$$tmp/$$f" "$$f" || { echo "$$f is stale: run make proto"; exit 1; }; \
	done

proto-into: # (internal) generate the plugin contract under $(OUT), for check
	$(call protogen,$(OUT))

demo: build plugins ## build everything, prove and verify a real program on the defaults
	@echo "==> demo"

bench: ## benchmarks of the engine
	@echo "==> bench"
	$(GO) test -run='^$$' -bench=. ./proving/...
