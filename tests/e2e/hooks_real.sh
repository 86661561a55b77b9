#!/usr/bin/env bash
# Every path into hooks/pre-commit, with the REAL sdl-analyze --staged on real
# C code with real findings (banned strcpy/gets, a format string from argv):
# the hook run directly, a staged header, a new file not yet in the compile
# database, `git commit` through the installed shim, `git commit -a` and
# `git commit PATH` (temporary index in GIT_INDEX_FILE), a linked worktree,
# a hostile file name, and the pre-commit framework. Each time: the bad
# version blocks, the fixed one passes, and `git status`, the index and
# every file's bytes are identical before and after.
. "$SDL_TESTS_DIR/e2e/lib.sh"
. "$SDL_TESTS_DIR/e2e/hooks_lib.sh"
unset SDL_FAIL_ON SDL_HOOK_BUILD_DIR SDL_HOOK_BASELINE SDL_HOOK_SCOPE SDL_HOOK_CACHE SDL_HOOK_FLAGS SDL_HOOK_REQUIRE_COMPDB
"$SDL_ANALYZE" --help 2>&1 | grep -q -- '--staged' || { fail "sdl-analyze has no --staged"; finish; }

BAD_CPY='#include <string.h>\nvoid cp(char *d, const char *s) { strcpy(d, s); }\n'
GOOD_CPY='#include <string.h>\nvoid cp(char *d, const char *s, size_t n) { memcpy(d, s, n); }\n'
BAD_FMT='#include <stdio.h>\nint main(int argc, char **argv) { if (argc > 1) printf(argv[1]); return 0; }\n'
GOOD_FMT='#include <stdio.h>\nint main(int argc, char **argv) { if (argc > 1) printf("%%s", argv[1]); return 0; }\n'
run_hook() { (cd "$1" && "$HOOKS/pre-commit" "${@:2}"); }

R=$E2E_TMP/repo
make_c_repo "$R"
printf "$GOOD_CPY" >"$R/src/c.c"
printf "$GOOD_FMT" >"$R/src/main.c"
write_compdb "$R" src/a.c src/b.c src/c.c src/main.c
git -C "$R" add -A && git -C "$R" commit -q -m "more files"

# --- direct: format string from argv staged, the fix unstaged -> blocked
printf "$BAD_FMT" >"$R/src/main.c"
git -C "$R" add src/main.c
printf "$GOOD_FMT" >"$R/src/main.c"
s=$(snapshot "$R")
expect_exit 1 "format string from argv (staged) blocks" -- run_hook "$R"
expect_grep "format-nonliteral reported on the staged line" "src/main.c:2:" "$E2E_TMP/err"
expect_grep "rule id printed" "[format-nonliteral]" "$E2E_TMP/err"
expect_grep "suppression hint" "sdl-allow(rule-id): reason" "$E2E_TMP/err"
expect_same_snapshot "format string, blocked" "$R" "$s"
# reverse: the fix staged, the bug only in the work tree -> passes
git -C "$R" add src/main.c
printf "$BAD_FMT" >"$R/src/main.c"
s=$(snapshot "$R")
expect_exit 0 "fixed format string (staged) passes" -- run_hook "$R"
expect_same_snapshot "format string, passed" "$R" "$s"
git -C "$R" checkout -q -- src/main.c

# --- SIGINT midway through the real analyzer (bad content staged, so the
#     verdict is "not allowed" whether the signal lands before or after it)
printf "$BAD_FMT" >"$R/src/main.c"
git -C "$R" add src/main.c
printf "$GOOD_FMT" >"$R/src/main.c"
s=$(snapshot "$R")
set -m
(cd "$R" && exec "$HOOKS/pre-commit") >"$E2E_TMP/out" 2>"$E2E_TMP/err" &
pid=$!
sleep 0.15
kill -INT -- -"$pid" 2>/dev/null
wait "$pid"
rc=$?
set +m
[ "$rc" -ne 0 ] && pass "SIGINT (real analyzer): commit not allowed (exit $rc)" || fail "SIGINT (real analyzer): exit 0"
expect_same_snapshot "SIGINT (real analyzer)" "$R" "$s"
[ -z "$(find "$TMPDIR" -name 'sdl-pre-commit.*')" ] && pass "SIGINT: no temporary file left" || fail "SIGINT: temporary file left"
git -C "$R" reset -q --hard

# --- a staged header: checked through the units that include it
printf '#ifndef X_H\n#define X_H\nint x(int v);\nstatic inline void rd(char *b) { extern char *gets(char *); gets(b); }\n#endif\n' >"$R/include/x.h"
git -C "$R" add include/x.h
git -C "$R" checkout -q -- include/x.h 2>/dev/null || true
s=$(snapshot "$R")
expect_exit 1 "gets() in a staged header blocks (via its includers)" -- run_hook "$R"
expect_grep "finding located in the header" "include/x.h:4:" "$E2E_TMP/err"
expect_same_snapshot "staged header" "$R" "$s"
git -C "$R" reset -q --hard

# --- a new file not in the compile database: said, not checked; blocks on request
printf "$BAD_CPY" >"$R/src/new.c"
git -C "$R" add src/new.c
s=$(snapshot "$R")
expect_exit 0 "new file not in the database: not blocked by default" -- run_hook "$R"
expect_grep "says it was not checked" "NOT checked" "$E2E_TMP/err"
expect_grep "names the file" "src/new.c" "$E2E_TMP/err"
SDL_HOOK_REQUIRE_COMPDB=1 expect_exit 1 "... refused with sdl.requireCompdb" -- run_hook "$R"
write_compdb "$R" src/a.c src/b.c src/c.c src/main.c src/new.c
s=$(snapshot "$R")
expect_exit 1 "once in the database: strcpy blocks" -- run_hook "$R"
expect_grep "banned-function on the staged line" "src/new.c:2:" "$E2E_TMP/err"
expect_same_snapshot "new file" "$R" "$s"
# everything staged: analysed from the work tree with the result cache, kept
# in .git (never in the work tree); the warm run gives the same verdict
[ -n "$(ls -A "$R/.git/sdl-analyze-cache" 2>/dev/null)" ] && pass "cache filled under .git/sdl-analyze-cache" || fail "no cache under .git"
[ ! -e "$R/build/.sdl-analyze-cache" ] && pass "no cache written into the work tree" || fail "cache written into build/"
cp "$E2E_TMP/err" "$E2E_TMP/cold.err"
expect_exit 1 "warm run: same verdict" -- run_hook "$R"
diff <(grep -E ': (warning|error|note): ' "$E2E_TMP/cold.err") <(grep -E ': (warning|error|note): ' "$E2E_TMP/err") >/dev/null &&
	pass "warm run: same findings" || fail "warm run findings differ"
expect_same_snapshot "new file (warm)" "$R" "$s"
git -C "$R" reset -q --hard
rm -f "$R/src/new.c"
write_compdb "$R" src/a.c src/b.c src/c.c src/main.c

# --- hostile name (leading dash, space, quote, non-ASCII) in the database
n="-sp ace'ü.c"
printf "$BAD_CPY" >"$R/src/$n"
git -C "$R" add -- "src/$n"
printf "$GOOD_CPY" >"$R/src/$n"
write_compdb "$R" src/a.c src/b.c src/c.c src/main.c "src/$n"
s=$(snapshot "$R")
expect_exit 1 "hostile name, staged strcpy blocks" -- run_hook "$R"
expect_grep "finding names the file" "$n:2:" "$E2E_TMP/err"
expect_same_snapshot "hostile name" "$R" "$s"
git -C "$R" add -- "src/$n"
s=$(snapshot "$R")
expect_exit 0 "hostile name, fixed content passes" -- run_hook "$R"
expect_same_snapshot "hostile name (fixed)" "$R" "$s"
git -C "$R" commit -q --no-verify -m "odd name"

# --- through git: installed shim; git commit, git commit -a, git commit PATH
"$HOOKS/sdl-hooks" install --repo "$R" --hooks pre-commit >/dev/null || fail "install"
# (git commit itself refreshes the index's stat data: compare its entries)
git_state() { printf '%s\n' "$(git -C "$R" rev-parse HEAD)" "$(SNAPSHOT_INDEX=entries snapshot "$R")"; }
printf "$BAD_CPY" >"$R/src/c.c"
git -C "$R" add src/c.c
printf "$GOOD_CPY" >"$R/src/c.c"
printf '\nint c1(void) { return 1; }\n' >>"$R/src/c.c"
st=$(git_state)
expect_exit 1 "git commit: staged strcpy blocks" -- git -C "$R" commit -q -m bad
[ "$(git_state)" = "$st" ] && pass "git commit blocked: HEAD, status, index, files unchanged" || fail "blocked git commit changed something"
# -a commits the work tree (fixed): allowed although the index holds the bug
expect_exit 0 "git commit -a: the fixed work tree passes (index has the bug)" -- git -C "$R" commit -q -a -m "fixed -a"
printf "$BAD_CPY" >"$R/src/c.c" # only in the work tree, nothing staged
st=$(git_state)
expect_exit 1 "git commit -a: strcpy in the work tree blocks" -- git -C "$R" commit -q -a -m "bad -a"
[ "$(git_state)" = "$st" ] && pass "git commit -a blocked: nothing changed" || fail "blocked commit -a changed something"
expect_exit 1 "git commit PATH: strcpy in the work tree blocks" -- git -C "$R" commit -q -m "bad path" -- src/c.c
[ "$(git_state)" = "$st" ] && pass "git commit PATH blocked: nothing changed" || fail "blocked commit PATH changed something"
printf "$GOOD_CPY" >"$R/src/c.c"
printf '\nint c2(void) { return 2; }\n' >>"$R/src/c.c"
expect_exit 0 "git commit PATH: fixed content passes" -- git -C "$R" commit -q -m "good path" -- src/c.c

# --- linked worktree: its own index, the main one untouched
W=$E2E_TMP/wt
git -C "$R" worktree add -q -b side "$W"
write_compdb "$W" src/a.c src/b.c src/c.c src/main.c
printf "$BAD_CPY" >"$W/src/c.c"
git -C "$W" add src/c.c
printf "$GOOD_CPY" >"$W/src/c.c"
export SNAPSHOT_INDEX=entries
sm=$(snapshot "$R")
sw=$(snapshot "$W")
expect_exit 1 "linked worktree: staged strcpy blocks (installed hook, git commit)" -- git -C "$W" commit -q -m bad
expect_grep "finding in the worktree's file" "src/c.c:2:" "$E2E_TMP/err"
expect_same_snapshot "linked worktree" "$W" "$sw"
expect_same_snapshot "main worktree meanwhile" "$R" "$sm"
git -C "$W" add src/c.c
expect_exit 0 "linked worktree: fixed content commits" -- git -C "$W" commit -q -m good
"$HOOKS/sdl-hooks" uninstall --repo "$R" >/dev/null
unset SNAPSHOT_INDEX

# --- the pre-commit framework (Debian's pre-commit, installed when missing)
if ! need_pkg pre-commit pre-commit --version; then
	fail "pre-commit not installed (apt-get install pre-commit)"
	finish
fi
export PRE_COMMIT_HOME=$E2E_TMP/pc-home
ln -s "$HOOKS/sdl-hooks" "$E2E_TMP/bin/sdl-hooks"
export PATH=$E2E_TMP/bin:$PATH
cat >"$R/.pre-commit-config.yaml" <<'EOF'
repos:
  - repo: local
    hooks:
      - id: sdl-analyze-staged
        name: sdl-analyze (staged C/C++)
        entry: sdl-hooks run pre-commit
        language: system
        types_or: [c, c++, header]
        require_serial: true
EOF
git -C "$R" add .pre-commit-config.yaml && git -C "$R" commit -q --no-verify -m "pre-commit config"
(cd "$R" && pre-commit install -t pre-commit >/dev/null) || fail "pre-commit install"
printf "$BAD_FMT" >"$R/src/main.c"
git -C "$R" add src/main.c
printf "$GOOD_FMT" >"$R/src/main.c"
printf 'int unstaged_b(void);\n' >>"$R/src/b.c"
SNAPSHOT_INDEX=entries s=$(SNAPSHOT_INDEX=entries snapshot "$R")
head0=$(git -C "$R" rev-parse HEAD)
expect_exit 1 "framework: staged format-string bug blocks" -- git -C "$R" commit -m "bad fmt"
expect_grep "framework shows the real finding" "[format-nonliteral]" all
[ "$(git -C "$R" rev-parse HEAD)" = "$head0" ] && pass "framework: no commit made" || fail "framework: commit made"
[ "$(SNAPSHOT_INDEX=entries snapshot "$R")" = "$s" ] && pass "framework (blocked): status, index entries, files unchanged" || fail "framework run changed the repository"
printf '/* fixed */\n' >>"$R/src/main.c"
git -C "$R" add src/main.c
expect_exit 0 "framework: fixed content commits" -- git -C "$R" commit -q -m "good fmt"
grep -q 'unstaged_b' "$R/src/b.c" && pass "framework: unstaged edit kept" || fail "framework: unstaged edit lost"
finish
