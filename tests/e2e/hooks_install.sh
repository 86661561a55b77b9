#!/usr/bin/env bash
# hooks/sdl-hooks install/uninstall: $GIT_DIR/hooks, core.hooksPath (relative,
# absolute, not yet existing), linked worktrees; an existing hook is chained
# and restored byte for byte with its mode; idempotent; refuses to clobber.
. "$SDL_TESTS_DIR/e2e/lib.sh"
. "$SDL_TESTS_DIR/e2e/hooks_lib.sh"
make_stub_analyze
I=$HOOKS/sdl-hooks

# fingerprint FILE: bytes + mode (+ link target) of one hook
fingerprint() { if [ -L "$1" ]; then printf 'L %s' "$(readlink "$1")"; else stat -c '%a' "$1"; sha256sum <"$1"; fi; }

expect_exit 0 "sdl-hooks --help" -- "$I" --help
expect_grep "help shows install" "install" "$E2E_TMP/out"
expect_exit 2 "sdl-hooks without a command" -- "$I"
expect_exit 2 "sdl-hooks bogus command" -- "$I" bogus
expect_exit 2 "unknown hook name" -- "$I" install --hooks pre-rebase
expect_exit 2 "--repo not a repository" -- "$I" install --repo "$E2E_TMP"

# --- plain repository, nothing there before
R=$E2E_TMP/plain
make_c_repo "$R"
expect_exit 0 "install into .git/hooks" -- "$I" install --repo "$R"
for h in pre-commit pre-push commit-msg; do
	[ -x "$R/.git/hooks/$h" ] && pass "$h installed" || fail "$h not installed"
done
expect_exit 0 "install again (idempotent)" -- "$I" install --repo "$R"
[ ! -e "$R/.git/hooks/pre-commit.sdl-chained" ] && pass "second install chains nothing" || fail "second install chained its own shim"
expect_exit 0 "status" -- "$I" status --repo "$R"
expect_grep "status reports installed" "installed" "$E2E_TMP/out"
printf 'int z(void) { return 0; } /* BAD_WARNING */\n' >"$R/src/z.c"
git -C "$R" add src/z.c
compdb_staged "$R"
expect_exit 1 "installed hook blocks git commit" -- git -C "$R" commit -q -m z
expect_exit 0 "uninstall" -- "$I" uninstall --repo "$R"
ls "$R/.git/hooks" | grep -qvE '\.sample$' && fail "uninstall left files: $(ls "$R/.git/hooks")" || pass "only the samples are left"
expect_exit 0 "uninstall again (idempotent)" -- "$I" uninstall --repo "$R"
expect_exit 0 "commit passes without the hook" -- git -C "$R" commit -q -m z

# --- an existing hook is chained, runs first, and is restored exactly
printf '#!/bin/sh\necho "legacy pre-commit ran" >&2\n[ -z "$LEGACY_FAIL" ]\n' >"$R/.git/hooks/pre-commit"
chmod 750 "$R/.git/hooks/pre-commit"
printf '#!/bin/sh\nwhile read -r l; do echo "legacy pre-push got: $l" >&2; done\n' >"$R/.git/hooks/pre-push"
chmod 755 "$R/.git/hooks/pre-push"
ln -s ../../tools/msg-hook "$R/.git/hooks/commit-msg" # dangling symlink: kept as is
fp_pc=$(fingerprint "$R/.git/hooks/pre-commit")
fp_pp=$(fingerprint "$R/.git/hooks/pre-push")
fp_cm=$(fingerprint "$R/.git/hooks/commit-msg")
expect_exit 0 "install over existing hooks" -- "$I" install --repo "$R"
expect_grep "says it chains" "existing hook runs first" "$E2E_TMP/out"
[ "$(fingerprint "$R/.git/hooks/pre-commit.sdl-chained")" = "$fp_pc" ] && pass "old pre-commit kept aside intact" || fail "old pre-commit altered"
expect_exit 0 "install twice over chained hooks" -- "$I" install --repo "$R"
[ "$(fingerprint "$R/.git/hooks/pre-commit.sdl-chained")" = "$fp_pc" ] && pass "re-install keeps the chained hook" || fail "re-install replaced the chained hook"
printf 'int y(void) { return 0; }\n' >"$R/src/y.c"
git -C "$R" add src/y.c
compdb_staged "$R"
expect_exit 0 "chained: both hooks pass" -- git -C "$R" commit -q -m y
expect_grep "legacy hook ran" "legacy pre-commit ran" "$E2E_TMP/err"
expect_grep "our hook ran after it" "sdl pre-commit: ok" "$E2E_TMP/err"
printf 'int y2(void) { return 0; }\n' >>"$R/src/y.c"
git -C "$R" add src/y.c
LEGACY_FAIL=1 expect_exit 1 "chained: a failing legacy hook blocks" -- git -C "$R" commit -q -m y2
grep -q "sdl pre-commit" "$E2E_TMP/err" && fail "our hook ran after the legacy hook failed" || pass "our hook not run after a legacy failure"
# pre-push: both hooks get the pushed refs on stdin
stubsbom=$E2E_TMP/bin/sdl-sbom
printf '#!/bin/sh\nexit 0\n' >"$stubsbom"; chmod +x "$stubsbom"
git init -q --bare "$E2E_TMP/remote.git"
git -C "$R" remote add origin "$E2E_TMP/remote.git"
git -C "$R" commit -q --no-verify -m y2
SDL_SBOM=$stubsbom expect_exit 0 "chained pre-push runs" -- git -C "$R" push -q origin main
expect_grep "legacy pre-push got stdin" "legacy pre-push got: refs/heads/main" "$E2E_TMP/err"
expect_exit 0 "uninstall restores" -- "$I" uninstall --repo "$R"
[ "$(fingerprint "$R/.git/hooks/pre-commit")" = "$fp_pc" ] && pass "pre-commit restored byte for byte, mode kept" || fail "pre-commit not restored"
[ "$(fingerprint "$R/.git/hooks/pre-push")" = "$fp_pp" ] && pass "pre-push restored" || fail "pre-push not restored"
[ "$(fingerprint "$R/.git/hooks/commit-msg")" = "$fp_cm" ] && pass "symlinked commit-msg restored as the same link" || fail "commit-msg symlink not restored"
[ -z "$(find "$R/.git/hooks" -name '*.sdl-*')" ] && pass "no sdl files left" || fail "sdl files left behind"

# --- refuse to clobber: a foreign hook where our shim was, with a chained one
expect_exit 0 "install again" -- "$I" install --repo "$R" --hooks pre-commit
printf '#!/bin/sh\nexit 0\n' >"$R/.git/hooks/pre-commit" # someone replaced our shim
fp_foreign=$(fingerprint "$R/.git/hooks/pre-commit")
expect_exit 1 "install refuses when both a foreign hook and .sdl-chained exist" -- "$I" install --repo "$R" --hooks pre-commit
expect_exit 1 "uninstall refuses too" -- "$I" uninstall --repo "$R" --hooks pre-commit
[ "$(fingerprint "$R/.git/hooks/pre-commit")" = "$fp_foreign" ] && [ "$(fingerprint "$R/.git/hooks/pre-commit.sdl-chained")" = "$fp_pc" ] &&
	pass "nothing touched after refusal" || fail "refusal changed files"
rm "$R/.git/hooks/pre-commit.sdl-chained" # resolved by hand, as the message says

# --- core.hooksPath: relative, from a subdirectory; directory created and removed
H=$E2E_TMP/hp
make_c_repo "$H"
git -C "$H" config core.hooksPath .githooks
expect_exit 0 "install with relative core.hooksPath from a subdirectory" -- "$I" install --repo "$H/src"
[ -x "$H/.githooks/pre-commit" ] && pass "installed into core.hooksPath" || fail "not in core.hooksPath"
[ ! -e "$H/.git/hooks/pre-commit" ] && pass "not installed into .git/hooks" || fail "installed into .git/hooks"
printf 'int q(void) { return 0; } /* BAD_ERROR */\n' >"$H/src/q.c"
git -C "$H" add src/q.c
compdb_staged "$H"
expect_exit 1 "hooksPath hook blocks the commit" -- git -C "$H" commit -q -m q
expect_exit 0 "uninstall from hooksPath" -- "$I" uninstall --repo "$H"
[ ! -e "$H/.githooks" ] && pass "created hooks directory removed again" || fail ".githooks left behind"
mkdir -p "$E2E_TMP/abs-hooks"
printf '#!/bin/sh\nexit 0\n' >"$E2E_TMP/abs-hooks/pre-commit"
chmod +x "$E2E_TMP/abs-hooks/pre-commit"
git -C "$H" config core.hooksPath "$E2E_TMP/abs-hooks"
expect_exit 0 "install with absolute core.hooksPath" -- "$I" install --repo "$H"
[ -f "$E2E_TMP/abs-hooks/pre-commit.sdl-chained" ] && pass "absolute hooksPath: existing hook chained" || fail "absolute hooksPath not used"
expect_exit 0 "uninstall absolute hooksPath" -- "$I" uninstall --repo "$H"
[ -d "$E2E_TMP/abs-hooks" ] && [ -f "$E2E_TMP/abs-hooks/pre-commit" ] && pass "pre-existing directory and hook kept" || fail "pre-existing hooks dir damaged"

# --- linked worktree: hooks are shared, installed once in the common dir
W=$E2E_TMP/wt
git -C "$R" worktree add -q -b wtb "$W"
expect_exit 0 "install from a linked worktree" -- "$I" install --repo "$W" --hooks pre-commit
[ -f "$R/.git/hooks/pre-commit.sdl-chained" ] && [ -x "$R/.git/hooks/pre-commit" ] && pass "worktree install went to the common hooks dir" || fail "worktree install misplaced"
printf 'int ww(void) { return 0; } /* BAD_WARNING */\n' >"$W/src/ww.c"
git -C "$W" add src/ww.c
compdb_staged "$W"
SDL_HOOK_BUILD_DIR=$W/build expect_exit 1 "hook blocks a commit in the linked worktree" -- git -C "$W" commit -q -m ww
expect_exit 0 "uninstall from the linked worktree" -- "$I" uninstall --repo "$W" --hooks pre-commit
[ "$(fingerprint "$R/.git/hooks/pre-commit")" = "$fp_foreign" ] && pass "worktree uninstall restored the hook" || fail "worktree uninstall did not restore"

# --- the shim survives a moved toolchain with a clear message
expect_exit 0 "install (for the moved-toolchain check)" -- "$I" install --repo "$R" --hooks pre-commit
sed -i "s|^sdl_hook=.*|sdl_hook='/nonexistent/pre-commit'|" "$R/.git/hooks/pre-commit"
expect_exit 1 "shim with a missing hook script blocks with advice" -- git -C "$R" commit -q -m x
expect_grep "advice to re-install" "re-run 'sdl-hooks install'" "$E2E_TMP/err"
expect_exit 0 "run entry point" -- env SDL_HOOK_SKIP=1 "$I" run pre-commit
expect_exit 2 "run with an unknown hook" -- "$I" run post-merge
finish
