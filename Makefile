# Entry points; the scripts do the work so CI and people run the same thing.
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)

.PHONY: build test bench demo clean

## build: debug build of every product and test bundle
build:
	$(SWIFT) build --build-tests

## test: every suite (host, netns, wg-compat, kernel VM); ends "N passed, M failed"
test:
	scripts/test

## bench: wg vs wgmesh (kernel in a VM, wireguard-go on the host) -> bench-results/
bench:
	scripts/bench

## demo: a 3-node mesh in network namespaces: peers, pods pinging, a capture proving encryption (root)
demo:
	scripts/demo

## clean: remove build outputs and test/bench results
clean:
	rm -rf .build .vmtest-out bench-results
