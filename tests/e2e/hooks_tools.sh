#!/usr/bin/env bash
# The hooks with the REAL tools: pre-commit with `sdl-analyze --staged`,
# pre-push with `sdl-sbom`. Fails (with the reason) until those exist.
. "$SDL_TESTS_DIR/e2e/lib.sh"
. "$SDL_TESTS_DIR/e2e/hooks_lib.sh"
unset SDL_FAIL_ON SDL_HOOK_BUILD_DIR
"$SDL_ANALYZE" --help >"$E2E_TMP/help" 2>&1
if ! grep -q -- '--staged' "$E2E_TMP/help"; then
	fail "sdl-analyze has no --staged yet (issue 3): the pre-commit hook cannot run for real"
else
	R=$E2E_TMP/repo
	make_c_repo "$R"
	# staged: strcpy (banned function); unstaged: the fix
	printf '#include <string.h>\nvoid cp(char *d, const char *s) { strcpy(d, s); }\n' >"$R/src/c.c"
	write_compdb "$R" src/a.c src/b.c src/c.c
	git -C "$R" add src/c.c
	printf '#include <string.h>\nvoid cp(char *d, const char *s, size_t n) { memcpy(d, s, n); }\n' >"$R/src/c.c"
	s=$(snapshot "$R")
	expect_exit 1 "real: banned call in the staged content blocks" -- bash -c "cd '$R' && '$HOOKS/pre-commit'"
	expect_grep "real: clang-style finding on the staged line" "src/c.c:2:" "$E2E_TMP/err"
	expect_same_snapshot "real analyzer, blocked" "$R" "$s"
	# reverse: fix staged, bad line unstaged
	git -C "$R" add src/c.c
	printf '#include <string.h>\nvoid cp(char *d, const char *s) { strcpy(d, s); }\n' >"$R/src/c.c"
	s=$(snapshot "$R")
	expect_exit 0 "real: clean staged content passes" -- bash -c "cd '$R' && '$HOOKS/pre-commit'"
	expect_same_snapshot "real analyzer, passed" "$R" "$s"
fi
"$SDL_SBOM" --help >"$E2E_TMP/help" 2>&1
if ! grep -q -- '--rev' "$E2E_TMP/help"; then
	fail "sdl-sbom has no --rev yet (issue 4): the pre-push hook cannot run for real"
else
	P=$E2E_TMP/push
	make_c_repo "$P"
	base=$(git -C "$P" rev-parse HEAD)
	mkdir -p "$P/third_party/zlib"
	printf '#define ZLIB_VERSION "1.3.1"\n' >"$P/third_party/zlib/zlib.h"
	printf 'Copyright (C) 1995-2024 Jean-loup Gailly and Mark Adler\n' >"$P/third_party/zlib/LICENSE"
	git -C "$P" add -A && git -C "$P" commit -q -m "vendor zlib"
	head=$(git -C "$P" rev-parse HEAD)
	expect_exit 0 "real: pre-push reports" -- bash -c "cd '$P' && printf 'refs/heads/main $head refs/heads/main $base\n' | '$HOOKS/pre-push' origin x"
	expect_grep "real: vendored zlib reported as added" "+ added" "$E2E_TMP/err"
fi
finish
