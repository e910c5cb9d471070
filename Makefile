# Every check of the repository behind one command: `make test`.
# CI runs exactly this (see .ci/run), so a green `make test` here is a green CI.

# The modules of go.work, and the tool modules that stay out of the
# workspace so their dependencies never reach ours: the bindings tool (it
# builds the Dagger code generator), the cold-build replay, and tools/
# (mutation testing, and the checks of deploy/ against what it deploys).
MODULES    := ci echo-server
BINDINGS   := ci/hack/bindings
COLDBUILD  := ci/hack/coldbuild
STANDALONE := $(BINDINGS) $(COLDBUILD) tools
GO_TOOL    := GOWORK=off go -C $(BINDINGS)
# Helm, pinned in a module of its own (tools/helm: Kubernetes' dependency
# tree stays out of tools/go.mod), and the values of the shared engine.
HELM          := GOWORK=off go -C tools/helm tool helm
ENGINE_VALUES := deploy/dagger-engine/values.yaml

.PHONY: test fmt vet unit bindings-check build bindings bench mutate helm-template coldbuild

## test: gofmt, go vet, go test -race, bindings freshness and go build, in that order.
test: fmt vet unit bindings-check build

## fmt: fail on any Go file gofmt would change (generated bindings excepted).
fmt:
	@files=$$(find $(MODULES) tools -name '*.go' -not -path 'ci/internal/dagger/*' -not -path 'ci/dagger.gen.go'); \
	out=$$(gofmt -l $$files); \
	if [ -n "$$out" ]; then echo "gofmt would change these files; run: gofmt -w $$(echo $$out)"; exit 1; fi; \
	echo "gofmt: ok"

## vet: go vet every module.
vet:
	@set -e; for m in $(MODULES); do echo "go vet ($$m)"; go -C $$m vet ./...; done
	@set -e; for m in $(STANDALONE); do echo "go vet ($$m)"; GOWORK=off go -C $$m vet ./...; done

## unit: go test -race every module (go test ./... at the go.work root matches nothing).
unit:
	@set -e; for m in $(MODULES); do echo "go test -race ($$m)"; go -C $$m test -race -count=1 ./...; done
	@set -e; for m in $(STANDALONE); do echo "go test -race ($$m)"; GOWORK=off go -C $$m test -race -count=1 ./...; done

## bindings-check: fail when ci/dagger.gen.go or ci/internal/dagger/ are stale.
bindings-check:
	@$(GO_TOOL) run . check

## build: build the Dagger module and the echo server.
build:
	@set -e; for m in $(MODULES); do echo "go build ($$m)"; go -C $$m build ./...; done

## bindings: regenerate ci/dagger.gen.go and ci/internal/dagger/ after changing a function's signature.
bindings:
	@$(GO_TOOL) run . generate

## bench: the echo server's handler benchmarks and load test, with figures.
bench:
	go -C echo-server test -run '^$$' -bench . -benchmem ./...
	bash echo-server/bench/load.sh

## coldbuild: replay a cold check's Go work on this machine and print its figures; not part of test (minutes).
coldbuild:
	@GOWORK=off go -C $(COLDBUILD) run .

## mutate: mutation testing (gremlins) of every pure package, one line each; not part of test (slow). PKGS="-v ci/labels" narrows it.
mutate:
	@GOWORK=off go -C tools run ./mutate $(PKGS)

## helm-template: lint and render Dagger's Helm chart with $(ENGINE_VALUES), offline; not part of test (building Helm takes minutes).
# The chart is the one in the engine's Go module, at the version the bindings
# tool pins (the engineVersion of dagger.json).
helm-template:
	@GOWORK=off go -C $(BINDINGS) mod download github.com/dagger/dagger
	@chart="$$(GOWORK=off go -C $(BINDINGS) list -m -f '{{.Dir}}' github.com/dagger/dagger)/helm/dagger"; \
	$(HELM) lint --strict "$$chart" -f $(CURDIR)/$(ENGINE_VALUES) && \
	$(HELM) template dagger "$$chart" --namespace dagger -f $(CURDIR)/$(ENGINE_VALUES)
