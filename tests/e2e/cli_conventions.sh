#!/usr/bin/env bash
# Every tool answers --help and --version and rejects bad usage with exit 2
# and one clear line.
. "$SDL_TESTS_DIR/e2e/lib.sh"

for tool in "$SDL_ANALYZE" "$SDL_SBOM" "$SDL_GATE"; do
	name=$(basename "$tool")
	expect_exit 0 "$name --help" -- "$tool" --help
	grep -q "Usage: $name" "$E2E_TMP/out" || fail "$name --help prints no usage"
	expect_exit 0 "$name --version" -- "$tool" --version
	grep -q "^$name [0-9]" "$E2E_TMP/out" || fail "$name --version prints no version"
	expect_exit 2 "$name --no-such-option" -- "$tool" --no-such-option
	grep -q "^$name: .*--no-such-option" "$E2E_TMP/err" || fail "$name: bad option not named"
	expect_exit 2 "$name --format bogus" -- "$tool" --format bogus
done
finish
