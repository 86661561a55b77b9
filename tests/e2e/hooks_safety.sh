#!/usr/bin/env bash
# hooks/pre-commit is read-only and checks exactly the staged content, in
# every situation the issue lists: partial staging, added / renamed /
# deleted files, hostile file names, linked worktrees, merges with and
# without conflicts, no compile database, `git commit -a`, a failing run and
# a SIGINT midway. The analyzer is a stand-in that reads the index
# (hooks_lib.sh), so these tests check the hook itself and pass without the
# real sdl-analyze; hooks_analyze.sh repeats the core cases with it.
. "$SDL_TESTS_DIR/e2e/lib.sh"
. "$SDL_TESTS_DIR/e2e/hooks_lib.sh"
make_stub_analyze
export STUB_LOG=$E2E_TMP/stub.args
unset SDL_FAIL_ON SDL_HOOK_BUILD_DIR SDL_HOOK_BASELINE SDL_HOOK_SCOPE SDL_HOOK_CACHE SDL_HOOK_FLAGS

# run_hook DIR: the hook, run as git runs it (from the work-tree root).
run_hook() { (cd "$1" && "$HOOKS/pre-commit"); }

# stub_args_has PATH: the stub received PATH as one argument.
stub_args_has() {
	local a
	while IFS= read -r -d '' a; do [ "$a" = "$1" ] && return 0; done <"$STUB_LOG"
	return 1
}

R=$E2E_TMP/repo
make_c_repo "$R"

# --- nothing staged / no C file staged
s=$(snapshot "$R")
expect_exit 0 "nothing staged" -- run_hook "$R"
expect_grep "says there is nothing to check" "no staged C/C++ file" "$E2E_TMP/err"
printf 'docs\n' >"$R/README.md"
git -C "$R" add README.md
s=$(snapshot "$R")
rm -f "$STUB_LOG"
expect_exit 0 "only a non-C file staged" -- run_hook "$R"
[ ! -e "$STUB_LOG" ] && pass "analyzer not started for non-C files" || fail "analyzer started for README.md"
expect_same_snapshot "non-C staged" "$R" "$s"
git -C "$R" commit -q -m readme

# --- partially staged: clean staged content, bad unstaged edit -> allowed
printf '\nint a2(void) { return 2; }\n' >>"$R/src/a.c"
git -C "$R" add src/a.c
printf 'int a3(void) { return 3; } /* BAD_WARNING */\n' >>"$R/src/a.c"
s=$(snapshot "$R")
expect_exit 0 "partial staging: bad line only in the work tree" -- run_hook "$R"
expect_same_snapshot "partial staging (pass)" "$R" "$s"
expect_grep "prints how long it took" " s)" "$E2E_TMP/err"
expect_grep "notes that lines refer to the staged content" "line numbers refer to the staged content" "$E2E_TMP/err"
stub_args_has "$R/src/a.c" && pass "staged file passed as an absolute path" || fail "src/a.c not passed"
stub_args_has "--staged" && pass "--staged passed" || fail "--staged not passed"
stub_args_has "$R/build" && pass "-p build found" || fail "compile database dir not passed"

# --- reverse: bad line staged, then removed in the work tree -> blocked
git -C "$R" reset -q --hard
printf 'int a4(void) { return 4; } /* BAD_WARNING */\n' >>"$R/src/a.c"
git -C "$R" add src/a.c
sed -i '$d' "$R/src/a.c"
printf 'int a5(void) { return 5; }\n' >>"$R/src/a.c"
s=$(snapshot "$R")
expect_exit 1 "partial staging: bad line only in the index" -- run_hook "$R"
expect_same_snapshot "partial staging (blocked)" "$R" "$s"
expect_grep "finding printed clang-style" "src/a.c:3:1: warning: stub finding [stub.bad]" "$E2E_TMP/err"
expect_grep "suppression hint" "/* sdl-allow(rule-id): reason */" "$E2E_TMP/err"
expect_grep "blocked verdict with count" "commit blocked: 1 finding(s) at or above 'warning'" "$E2E_TMP/err"

# --- level: sdl.failOn error lets a warning through; the environment wins
git -C "$R" config sdl.failOn error
expect_exit 0 "sdl.failOn=error: warning allowed" -- run_hook "$R"
stub_args_has "error" && pass "--fail-on error passed" || fail "--fail-on error not passed"
SDL_FAIL_ON=warning expect_exit 1 "SDL_FAIL_ON=warning overrides git config" -- run_hook "$R"
git -C "$R" config sdl.failOn bogus
expect_exit 2 "sdl.failOn bogus: usage error" -- run_hook "$R"
git -C "$R" config --unset sdl.failOn
expect_same_snapshot "level checks" "$R" "$s"

# --- added, renamed, deleted, symlink; a bad file only deleted
git -C "$R" reset -q --hard
git -C "$R" mv src/b.c src/b_renamed.c
printf 'int n(void) { return 0; }\n' >"$R/src/new.c"
git -C "$R" add src/new.c
git -C "$R" rm -q include/x.h
ln -s a.c "$R/src/link.c"
git -C "$R" add src/link.c
compdb_staged "$R"
s=$(snapshot "$R")
expect_exit 0 "added + renamed + deleted + symlink" -- run_hook "$R"
expect_same_snapshot "added/renamed/deleted" "$R" "$s"
stub_args_has "$R/src/b_renamed.c" && pass "rename: new path checked" || fail "renamed file not passed"
stub_args_has "$R/src/new.c" && pass "added file checked" || fail "added file not passed"
stub_args_has "$R/src/b.c" && fail "rename: old path passed" || pass "rename: old path not passed"
stub_args_has "$R/include/x.h" && fail "deleted file passed" || pass "deleted file not passed"
stub_args_has "$R/src/link.c" && fail "symlink passed" || pass "symlink not passed"
# staged and then deleted from the work tree: the index still has it
printf 'int g(void) { return 0; } /* BAD_ERROR */\n' >"$R/src/gone.c"
git -C "$R" add src/gone.c
rm "$R/src/gone.c"
compdb_staged "$R"
s=$(snapshot "$R")
expect_exit 1 "staged file deleted from the work tree is still checked" -- run_hook "$R"
expect_same_snapshot "deleted from work tree" "$R" "$s"
git -C "$R" reset -q --hard

# --- hostile names: spaces, quotes, newline, leading dash, non-ASCII, glob and pathspec magic
names=("sp ace.c" "quo'te\"d.c" $'new\nline.c' "-dash.c" "--help.c" "ünïcödé.c" "star*.c" ":(glob)x.c" "back\\slash.c")
for n in "${names[@]}"; do printf 'int v(void) { return 1; }\n' >"$R/src/$n"; done
git -C "$R" add -A src
compdb_staged "$R"
s=$(snapshot "$R")
expect_exit 0 "hostile names, clean content" -- run_hook "$R"
expect_same_snapshot "hostile names (pass)" "$R" "$s"
for n in "${names[@]}"; do
	stub_args_has "$R/src/$n" && pass "name passed intact: $(printf '%q' "$n")" || fail "name mangled: $(printf '%q' "$n")"
done
for n in "${names[@]}"; do
	printf 'int w(void) { return 2; } /* BAD_WARNING */\n' >>"$R/src/$n"
	git -C "$R" add -- "src/$n"
	printf 'int clean(void);\n' >>"$R/src/$n" # unstaged tail
done
compdb_staged "$R"
s=$(snapshot "$R")
expect_exit 1 "hostile names, bad staged content" -- run_hook "$R"
expect_same_snapshot "hostile names (blocked)" "$R" "$s"
expect_grep "finding in a name with a leading dash" "src/-dash.c:2:1: warning" "$E2E_TMP/err"
# framework style: relative names as arguments, one with a leading dash
rm -f "$STUB_LOG"
compdb_staged "$R"
s=$(snapshot "$R")
(cd "$R" && "$HOOKS/pre-commit" src/-dash.c "src/sp ace.c" README.md) >"$E2E_TMP/out" 2>"$E2E_TMP/err"
[ $? = 1 ] && pass "file-name arguments: blocked" || fail "file-name arguments: wrong verdict"
stub_args_has "$R/src/-dash.c" && pass "argument -dash.c made absolute" || fail "argument -dash.c not absolute"
stub_args_has "$R/src/a.c" && fail "argument mode checked an unlisted file" || pass "argument mode checks only the listed files"
expect_same_snapshot "file-name arguments" "$R" "$s"
git -C "$R" reset -q --hard
git -C "$R" clean -qfd

# --- linked worktree: its own index; the main one is untouched
W=$E2E_TMP/wt
git -C "$R" worktree add -q -b side "$W"
printf 'int s(void) { return 0; } /* BAD_WARNING */\n' >"$W/src/side.c"
git -C "$W" add src/side.c
printf '\n' >>"$W/src/a.c"
compdb_staged "$W"
sm=$(snapshot "$R")
sw=$(snapshot "$W")
SDL_HOOK_BUILD_DIR=$W/build expect_exit 1 "linked worktree: staged finding blocks" -- run_hook "$W"
stub_args_has "$W/src/side.c" && pass "worktree path checked" || fail "worktree file not passed"
expect_same_snapshot "linked worktree" "$W" "$sw"
expect_same_snapshot "main worktree while the linked one is checked" "$R" "$sm"
expect_exit 0 "main worktree has nothing staged" -- run_hook "$R"

# --- merge: refuse while conflicts are unresolved, check the result after
git -C "$R" checkout -q -b theirs
printf '#include "x.h"\nint x(int v) { return v + 2; }\n' >"$R/src/a.c"
git -C "$R" commit -q -am theirs
git -C "$R" checkout -q main
printf '#include "x.h"\nint x(int v) { return v + 3; }\n' >"$R/src/a.c"
git -C "$R" commit -q -am ours
git -C "$R" merge -q theirs >/dev/null 2>&1 && fail "fixture: merge should conflict"
s=$(snapshot "$R")
rm -f "$STUB_LOG"
expect_exit 1 "merge with unresolved conflicts refused" -- run_hook "$R"
expect_grep "names the conflicted path" "src/a.c" "$E2E_TMP/err"
expect_grep "says why" "unresolved merge conflicts" "$E2E_TMP/err"
[ ! -e "$STUB_LOG" ] && pass "analyzer not started during conflicts" || fail "analyzer ran during conflicts"
expect_same_snapshot "conflict refusal" "$R" "$s"
printf '#include "x.h"\nint x(int v) { return v + 4; } /* BAD_NOTE */\n' >"$R/src/a.c"
git -C "$R" add src/a.c
s=$(snapshot "$R")
expect_exit 0 "resolved merge is checked (note below warning)" -- run_hook "$R"
expect_grep "says a merge is in progress" "merge in progress" "$E2E_TMP/err"
expect_same_snapshot "resolved merge" "$R" "$s"
git -C "$R" commit -q --no-verify -m merged

# --- failing and interrupted runs leave everything as it was
printf 'int f(void) { return 0; } /* BAD_ERROR */\n' >>"$R/src/b.c"
git -C "$R" add src/b.c
printf 'int unstaged(void);\n' >>"$R/src/b.c"
printf 'untracked\n' >"$R/untracked.txt"
s=$(snapshot "$R")
printf '#!/bin/sh\necho "sdl-analyze(broken): internal error" >&2\nexit 3\n' >"$E2E_TMP/bin/broken"
chmod +x "$E2E_TMP/bin/broken"
SDL_ANALYZE=$E2E_TMP/bin/broken expect_exit 3 "analyzer failure is passed on" -- run_hook "$R"
expect_grep "analyzer failure explained" "sdl-analyze failed (exit 3)" "$E2E_TMP/err"
expect_same_snapshot "analyzer failure" "$R" "$s"
set -m # job control: the background hook gets its own process group and SIGINT
(cd "$R" && STUB_SLEEP=3 exec "$HOOKS/pre-commit") >"$E2E_TMP/out" 2>"$E2E_TMP/err" &
pid=$!
sleep 1
kill -INT -- -"$pid"
wait "$pid"
rc=$?
set +m
[ "$rc" -ne 0 ] && pass "SIGINT midway: commit not allowed (exit $rc)" || fail "SIGINT midway: exit 0"
expect_same_snapshot "SIGINT midway" "$R" "$s"
left=$(find "$TMPDIR" -name 'sdl-pre-commit.*' | wc -l)
[ "$left" = 0 ] && pass "SIGINT: temporary files removed" || fail "SIGINT: $left temporary file(s) left"

# --- through git itself: installed hook, `git commit` and `git commit -a`
"$HOOKS/sdl-hooks" install --repo "$R" --hooks pre-commit >/dev/null || fail "install"
head_before=$(git -C "$R" rev-parse HEAD)
ls_before=$(git -C "$R" ls-files -s -z | sha256sum)
s_status=$(GIT_OPTIONAL_LOCKS=0 git -C "$R" status --porcelain=v1 -z | sha256sum)
expect_exit 1 "git commit blocked by the installed hook" -- git -C "$R" commit -q -m "bad"
[ "$(git -C "$R" rev-parse HEAD)" = "$head_before" ] && pass "HEAD unchanged" || fail "a commit was made"
[ "$(git -C "$R" ls-files -s -z | sha256sum)" = "$ls_before" ] && pass "index entries unchanged" || fail "index changed"
[ "$(GIT_OPTIONAL_LOCKS=0 git -C "$R" status --porcelain=v1 -z | sha256sum)" = "$s_status" ] && pass "status unchanged" || fail "status changed"
git -C "$R" reset -q --hard
printf 'int ca(void) { return 0; } /* BAD_WARNING */\n' >>"$R/src/b.c" # unstaged only
expect_exit 0 "git commit (nothing C staged) passes" -- git -C "$R" commit -q --allow-empty -m "empty"
expect_exit 1 "git commit -a sees the work-tree content (GIT_INDEX_FILE)" -- git -C "$R" commit -q -a -m "bad -a"
git -C "$R" reset -q --hard
printf 'int ok(void) { return 0; }\n' >>"$R/src/b.c"
expect_exit 0 "git commit -a with clean content" -- git -C "$R" commit -q -a -m "good"
"$HOOKS/sdl-hooks" uninstall --repo "$R" >/dev/null

# --- units for staged files that are not units: headers through their
#     includers (transitively), new files not in the database
H=$E2E_TMP/hdr
make_c_repo "$H"
printf '#include <stdio.h>\nint y(void);\n' >"$H/include/y.h"
printf '#include "y.h"\n#include "x.h"\nint z(void) { return y(); }\n' >"$H/src/z.c"  # via y.h
printf '#include <y.h>\nint w(void);\n' >"$H/include/w.h"                      # header -> header
printf '#include "../include/w.h"\nint v(void) { return 0; }\n' >"$H/src/v.c"    # via w.h -> y.h
write_compdb "$H" src/a.c src/b.c src/z.c src/v.c
git -C "$H" add -A && git -C "$H" commit -q -m more
printf '#include <stdio.h>\nint y(void); /* changed */\n' >"$H/include/y.h"
git -C "$H" add include/y.h
s=$(snapshot "$H")
rm -f "$STUB_LOG"
expect_exit 0 "staged header: checked through its includers" -- run_hook "$H"
stub_args_has "$H/src/z.c" && pass "direct includer analysed" || fail "direct includer of y.h not passed"
stub_args_has "$H/src/v.c" && pass "includer through another header analysed" || fail "transitive includer not passed"
stub_args_has "$H/src/a.c" && fail "unit not including y.h passed" || pass "units not including the header left out"
stub_args_has "$H/include/y.h" && fail "header passed as a unit" || pass "header not passed as a unit"
expect_grep "reports the unit count" "2 unit(s) analysed" "$E2E_TMP/err"
# everything staged: the work tree is the staged content -> cached analysis in .git
stub_args_has "--staged" && fail "--staged although index == work tree" || pass "index == work tree: work tree analysed"
stub_args_has "$H/.git/sdl-analyze-cache" && pass "cache in \$GIT_COMMON_DIR/sdl-analyze-cache" || fail "cache not under .git"
SDL_HOOK_CACHE=none expect_exit 0 "sdl.cache none" -- run_hook "$H"
stub_args_has "--no-cache" && pass "cache none -> --no-cache" || fail "--no-cache not passed"
printf '/* unstaged */\n' >>"$H/include/y.h"
s=$(snapshot "$H")
expect_exit 0 "partially staged header" -- run_hook "$H"
stub_args_has "--staged" && pass "index != work tree: --staged" || fail "--staged not passed"
expect_same_snapshot "staged header" "$H" "$s"
git -C "$H" checkout -q -- include/y.h
printf 'int orphan(void) { return 0; } /* BAD_ERROR */\n' >"$H/src/orphan.c"
git -C "$H" add src/orphan.c
s=$(snapshot "$H")
rm -f "$STUB_LOG"
expect_exit 0 "file in no unit of the database: not checked, not blocked" -- run_hook "$H"
expect_grep "names the unchecked file" "src/orphan.c" "$E2E_TMP/err"
expect_grep "says it is NOT checked" "NOT checked (skipped)" "$E2E_TMP/err"
SDL_HOOK_REQUIRE_COMPDB=1 expect_exit 1 "... refused with sdl.requireCompdb" -- run_hook "$H"
expect_same_snapshot "unchecked file" "$H" "$s"
# a database with relative entries ("file": "src/x.c", ".." in directory): jq path
jq --arg d "$H" '[.[] | .directory = ($d + "/build/..") | .file = (.file | ltrimstr($d + "/"))]' "$H/build/compile_commands.json" >"$H/build/cc.json"
mv "$H/build/cc.json" "$H/build/compile_commands.json"
printf 'int z2(void); /* BAD_WARNING */\n' >>"$H/src/z.c"
git -C "$H" add src/z.c
expect_exit 1 "relative database entries are recognised" -- run_hook "$H"
stub_args_has "$H/src/z.c" && pass "relative entry -> absolute unit" || fail "relative entry not matched"
printf '{ not json' >"$H/build/compile_commands.json"
expect_exit 2 "malformed compile database: error" -- run_hook "$H"

# --- no compile database: advice and exit 0; block on request; flags mode
N=$E2E_TMP/nodb
new_repo "$N"
mkdir -p "$N/include"
printf 'int m(void) { return 0; } /* BAD_WARNING */\n' >"$N/main.c"
git -C "$N" add main.c
s=$(snapshot "$N")
rm -f "$STUB_LOG"
expect_exit 0 "no compile database: not blocked" -- run_hook "$N"
expect_grep "advice names compile_commands.json" "no compile_commands.json" "$E2E_TMP/err"
expect_grep "advice shows how to make one" "CMAKE_EXPORT_COMPILE_COMMANDS=ON" "$E2E_TMP/err"
expect_grep "says the files were not checked" "were NOT checked" "$E2E_TMP/err"
[ ! -e "$STUB_LOG" ] && pass "analyzer not started without a database" || fail "analyzer started without a database"
git -C "$N" config sdl.requireCompdb true
expect_exit 1 "no compile database + sdl.requireCompdb: refused" -- run_hook "$N"
git -C "$N" config --unset sdl.requireCompdb
git -C "$N" config sdl.flags "-Iinclude -DX=1"
expect_exit 1 "no compile database + sdl.flags: analysed" -- run_hook "$N"
stub_args_has "-DX=1" && stub_args_has "--" && pass "flags passed after --" || fail "flags not passed"
git -C "$N" config --unset sdl.flags
git -C "$N" config sdl.buildDir nowhere
expect_exit 2 "sdl.buildDir without a database: error" -- run_hook "$N"
expect_same_snapshot "no compile database" "$N" "$s"

# --- initial commit (no HEAD), changed-lines scope, baseline
git -C "$N" config --unset sdl.buildDir
write_compdb "$N" main.c
git -C "$N" config sdl.buildDir build
git -C "$N" config sdl.hookScope changed-lines
expect_exit 1 "initial commit (unborn HEAD) is checked" -- run_hook "$N"
stub_args_has "--diff-base" && fail "--diff-base without HEAD" || pass "no --diff-base before the first commit"
mkdir -p "$N/.sdl" && printf '{}\n' >"$N/.sdl/baseline.sarif"
expect_exit 1 "default baseline picked up" -- run_hook "$N"
stub_args_has "$N/.sdl/baseline.sarif" && pass "--baseline .sdl/baseline.sarif passed" || fail "baseline not passed"
git -C "$N" config sdl.baseline missing.sarif
expect_exit 2 "missing configured baseline: error" -- run_hook "$N"

# --- tool lookup: missing tool is a clear refusal; found beside the hook
C=$E2E_TMP/x/y/hookcopy
mkdir -p "$C"
cp "$HOOKS/pre-commit" "$HOOKS/lib-sdl-hooks.sh" "$C/"
git -C "$N" config --unset sdl.baseline
rm -rf "$N/.sdl"
(cd "$N" && env -u SDL_ANALYZE PATH=/usr/bin:/bin "$C/pre-commit") >"$E2E_TMP/out" 2>"$E2E_TMP/err"
[ $? = 1 ] && pass "tool missing: refused" || fail "tool missing: wrong exit"
expect_grep "tool missing: says so" "sdl-analyze not found" "$E2E_TMP/err"
cp "$E2E_TMP/bin/sdl-analyze" "$C/sdl-analyze"
(cd "$N" && env -u SDL_ANALYZE PATH=/usr/bin:/bin "$C/pre-commit") >"$E2E_TMP/out" 2>"$E2E_TMP/err"
[ $? = 1 ] && pass "tool found beside the hook" || { fail "tool beside the hook not used"; cat "$E2E_TMP/err" >&2; }
ln -s "$C/pre-commit" "$E2E_TMP/bin/linked-hook"
(cd "$N" && env -u SDL_ANALYZE PATH=/usr/bin:/bin "$E2E_TMP/bin/linked-hook") >"$E2E_TMP/out" 2>"$E2E_TMP/err"
[ $? = 1 ] && pass "tool found beside the hook through a symlink" || fail "symlinked hook did not find its tool"
SDL_HOOK_SKIP=1 expect_exit 0 "SDL_HOOK_SKIP=1 skips, saying so" -- run_hook "$N"
expect_grep "skip is announced" "skipped" "$E2E_TMP/err"
finish
