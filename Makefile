# go-quay: every workflow goes through these targets; CI calls only `make ci`.
GO          ?= go
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
ADDR        ?= 127.0.0.1:8080
SEED        ?= fakequay/testdata/dev-seed.json
FUZZTIME    ?= 60s
BENCHFLAGS  ?=
SOAKTIME    ?= 10m
SOAKFLAGS   ?=
FUZZTIME_CI ?= 10s

.PHONY: run test bench soak lint ci conformance build examples fuzz fuzz-ci fmt tidy help

help: ## list targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

run: ## start the fakequay dev stub on $(ADDR) with the built-in dev seed
	@echo "Starting fakequay on http://$(ADDR) with $(SEED). Try:"
	@echo "  curl -H 'Authorization: Bearer dev-admin-token' http://$(ADDR)/api/v1/superuser/users/"
	@echo "Tokens: dev-admin-token (superuser), dev-auditor-token (read-only superuser), dev-alice-token (normal user)."
	$(GO) run ./fakequay/cmd/fakequay -addr $(ADDR) -seed $(SEED)

test: ## vet, then every test (unit, contract suite, examples) with the race detector
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

conformance: ## real Quay judges fakequay: set up ../shared/realquay (or REALQUAY_DIR) and run the contract suite against it
	GO=$(GO) bash internal/realquay/conformance.sh

bench: ## run the performance benchmarks and print one PASS/FAIL line per goal (BENCHFLAGS="-rounds 3 -v")
	$(GO) run ./internal/benchreport $(BENCHFLAGS)

soak: ## drive the dev stub for $(SOAKTIME) with mixed traffic and check it stays flat (SOAKTIME=60m; not in CI)
	$(GO) run ./internal/soak -time $(SOAKTIME) $(SOAKFLAGS)

lint: ## gofmt, go vet, staticcheck, go mod tidy check
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...
	@cp go.mod /tmp/go.mod.tidy-check && cp go.sum /tmp/go.sum.tidy-check
	@$(GO) mod tidy && if ! git diff --quiet -- go.mod go.sum; then \
		echo "go.mod/go.sum not tidy; run go mod tidy"; git diff -- go.mod go.sum; \
		cp /tmp/go.mod.tidy-check go.mod; cp /tmp/go.sum.tidy-check go.sum; exit 1; fi

build: ## build every package and binary
	$(GO) build ./...

examples: ## build every example program
	$(GO) build -o /dev/null ./examples/...

# Every Fuzz target of every package, found in the test sources, runs on its
# own for the given time; a line per target reports its executions, and a
# failing target prints its log (the failing input lands in testdata/fuzz).
#
# Go 1.26's fuzzing coordinator can report its own -fuzztime deadline as a
# failure: a bare "context deadline exceeded" under "--- FAIL", with no
# failing input (go.dev/issue/75804, fixed in Go 1.27). That one outcome is
# reported as "ok*" with the issue named; a target's own error carries its
# file:line, and a real failure writes an input, so neither matches.
define fuzz_each
status=0; \
for dir in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
  for target in $$(grep -h '^func Fuzz' $$dir/*_test.go | sed 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
    log=$$(mktemp); note=; \
    if $(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(1) -fuzzminimizetime 10s $$dir >$$log 2>&1; then result=ok; \
    elif grep -qx '    context deadline exceeded' $$log && [ "$$(grep -c '^--- FAIL' $$log)" = 1 ] && ! grep -q 'Failing input written' $$log; \
    then result='ok*'; note=' (stopped by go.dev/issue/75804, no failing input)'; \
    else result=FAIL; status=1; cat $$log; fi; \
    printf '%-4s %-32s %-22s %s%s\n' "$$result" "$$dir" $$target "$$(grep -o 'execs: [0-9]*' $$log | tail -1)" "$$note"; \
    rm -f $$log; \
  done; \
done; \
exit $$status
endef

fuzz: ## run every fuzz target for $(FUZZTIME) each (make fuzz FUZZTIME=10m)
	@$(call fuzz_each,$(FUZZTIME))

fuzz-ci: ## run every fuzz target for $(FUZZTIME_CI) each, as CI does
	@$(call fuzz_each,$(FUZZTIME_CI))

ci: lint test examples fuzz-ci ## what CI runs

fmt: ## format the tree
	gofmt -w .

tidy: ## tidy go.mod
	$(GO) mod tidy
