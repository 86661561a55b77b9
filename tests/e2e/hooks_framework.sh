#!/usr/bin/env bash
# Our hooks under the real pre-commit framework (Debian's `pre-commit`
# package, installed here with apt-get when missing, as CI does).
# The shipped .pre-commit-hooks.yaml uses `language: unsupported` and the
# git-hook stage names (pre-commit >= 4.4). For an older framework (Debian 12
# has 3.0.4) the test checks that it rejects exactly that key, then runs the
# same hooks with the documented fallback (`language: system`, old stage
# names), both as a hook repository and as a `repo: local` config.
# The analyzer is the index-reading stand-in of hooks_lib.sh.
. "$SDL_TESTS_DIR/e2e/lib.sh"
. "$SDL_TESTS_DIR/e2e/hooks_lib.sh"
make_stub_analyze

need_pkg pre-commit pre-commit --version || { fail "pre-commit not installed and apt-get install pre-commit failed"; finish; }
ver=$(pre-commit --version | awk '{print $2}')
pass "pre-commit $ver"
export PRE_COMMIT_HOME=$E2E_TMP/pc-home
ln -s "$HOOKS/sdl-hooks" "$E2E_TMP/bin/sdl-hooks"
export PATH=$E2E_TMP/bin:$PATH

# The hook repository: the shipped manifest, or its fallback dialect.
P=$E2E_TMP/provider
new_repo "$P"
if printf '%s\n4.4.0\n' "$ver" | sort -V -C; then
	modern=0
	expect_exit 1 "pre-commit $ver rejects the shipped manifest (language: unsupported)" -- \
		pre-commit validate-manifest "$SDL_SOURCE_DIR/.pre-commit-hooks.yaml"
	expect_grep "rejection names the language key" "unsupported" all
	python3 - "$SDL_SOURCE_DIR/.pre-commit-hooks.yaml" "$P/.pre-commit-hooks.yaml" <<'EOF'
import sys, yaml
hooks = yaml.safe_load(open(sys.argv[1]))
old = {"pre-commit": "commit", "pre-merge-commit": "merge-commit", "pre-push": "push"}
for h in hooks:
    assert h["language"] == "unsupported", h
    h["language"] = "system"
    h["stages"] = [old.get(s, s) for s in h.get("stages", [])]
    h.pop("minimum_pre_commit_version", None)
yaml.safe_dump(hooks, open(sys.argv[2], "w"), sort_keys=False)
EOF
else
	modern=1
	cp "$SDL_SOURCE_DIR/.pre-commit-hooks.yaml" "$P/"
fi
expect_exit 0 "hook manifest valid for pre-commit $ver" -- pre-commit validate-manifest "$P/.pre-commit-hooks.yaml"
git -C "$P" add -A && git -C "$P" commit -q -m hooks
prov_rev=$(git -C "$P" rev-parse HEAD)

R=$E2E_TMP/user
make_c_repo "$R"
cat >"$R/.pre-commit-config.yaml" <<EOF
default_install_hook_types: [pre-commit, commit-msg]
repos:
  - repo: $P
    rev: $prov_rev
    hooks:
      - id: sdl-analyze-staged
      - id: sdl-commit-msg
EOF
git -C "$R" add .pre-commit-config.yaml && git -C "$R" commit -q -m config
expect_exit 0 "pre-commit install" -- bash -c "cd '$R' && pre-commit install -t pre-commit -t commit-msg"

# blocked commit: staged bad line, unstaged edit elsewhere and in the same file
printf 'int f(void) { return 0; } /* BAD_WARNING */\n' >>"$R/src/a.c"
git -C "$R" add src/a.c
printf 'int unstaged_a(void);\n' >>"$R/src/a.c"
printf 'int unstaged_b(void);\n' >>"$R/src/b.c"
export SNAPSHOT_INDEX=entries
s=$(snapshot "$R")
head0=$(git -C "$R" rev-parse HEAD)
expect_exit 1 "framework: staged finding blocks the commit" -- git -C "$R" commit -m "with finding"
expect_grep "framework shows our finding" "src/a.c:3:1: warning: stub finding" all
expect_grep "framework shows our hint" "sdl-allow(rule-id)" all
[ "$(git -C "$R" rev-parse HEAD)" = "$head0" ] && pass "no commit made" || fail "commit made despite finding"
# pre-commit itself stashes and restores (rewriting the index's stat data):
# the user's bytes and the index entries must be back
expect_same_snapshot "framework run (blocked)" "$R" "$s"

# clean staged content passes, unstaged bad content is ignored
git -C "$R" reset -q --hard
printf 'int g(void) { return 1; }\n' >>"$R/src/a.c"
git -C "$R" add src/a.c
printf 'int bad_unstaged(void); /* BAD_ERROR */\n' >>"$R/src/a.c"
expect_exit 0 "framework: clean staged content passes" -- git -C "$R" commit -q -m "clean REQ-1"
expect_grep "our hook ran" "sdl-analyze (staged C/C++)" all
grep -q "BAD_ERROR" "$R/src/a.c" && pass "unstaged bad line still in the work tree" || fail "unstaged change lost"

# commit-msg through the framework
git -C "$R" config sdl.requireReference 'REQ-[0-9]+'
git -C "$R" reset -q --hard
printf 'int h(void) { return 1; }\n' >>"$R/src/b.c"
git -C "$R" add src/b.c
expect_exit 1 "framework commit-msg: no reference refused" -- git -C "$R" commit -q -m "no reference"
expect_grep "commit-msg explains" "names no tracker issue or requirement" all
expect_exit 0 "framework commit-msg: reference accepted" -- git -C "$R" commit -q -m "fix parser, refs REQ-42"

# run --all-files: file names passed as arguments
printf 'int old(void) { return 0; } /* BAD_ERROR */\n' >"$R/src/legacy.c"
git -C "$R" add src/legacy.c && git -C "$R" commit -q --no-verify -m legacy
compdb_staged "$R"
expect_exit 1 "pre-commit run --all-files finds the committed finding" -- bash -c "cd '$R' && pre-commit run --all-files"
expect_grep "--all-files names the file" "src/legacy.c:1:1: error" all

# the documented repo: local fallback
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
git -C "$R" add .pre-commit-config.yaml
printf 'int l(void) { return 0; } /* BAD_WARNING */\n' >>"$R/src/b.c"
git -C "$R" add src/b.c
expect_exit 1 "repo: local (language: system) blocks" -- git -C "$R" commit -q -m "local REQ-3"
expect_grep "local config ran our hook" "commit blocked" all
[ $modern = 1 ] && pass "shipped manifest used unmodified" || pass "pre-commit $ver < 4.4: fallback dialect used (documented in docs/hooks.md)"
finish
