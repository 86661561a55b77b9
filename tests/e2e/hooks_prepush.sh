#!/usr/bin/env bash
# hooks/pre-push (component changes between the remote's commit and the
# pushed one) and hooks/commit-msg (sdl.requireReference). sdl-sbom is a
# stand-in here that lists the purls in components.txt at --rev, so the
# comparison logic is tested on its own; hooks_tools.sh runs the real one.
. "$SDL_TESTS_DIR/e2e/lib.sh"
. "$SDL_TESTS_DIR/e2e/hooks_lib.sh"
cat >"$E2E_TMP/bin/sdl-sbom" <<'EOF'
#!/usr/bin/env bash
while [ $# -gt 0 ]; do case $1 in --repo) repo=$2; shift ;; --rev) rev=$2; shift ;; -o) out=$2; shift ;; --format) shift ;; esac; shift; done
git -C "$repo" show "$rev:components.txt" 2>/dev/null |
	jq -R -s '{bomFormat: "CycloneDX", specVersion: "1.6",
	  components: [split("\n")[] | select(length > 0) | split(" ") |
	    {type: "library", name: .[0], purl: .[1], version: (.[1] | capture("@(?<v>[^?#]+)").v // null)}]}' >"$out"
EOF
chmod +x "$E2E_TMP/bin/sdl-sbom"
export SDL_SBOM=$E2E_TMP/bin/sdl-sbom
PP=$HOOKS/pre-push
zero=0000000000000000000000000000000000000000

R=$E2E_TMP/repo
make_c_repo "$R"
printf 'zlib pkg:generic/zlib@1.2.13\nmbedtls pkg:github/Mbed-TLS/mbedtls@v2.28.0\nold pkg:generic/old@1\n' >"$R/components.txt"
git -C "$R" add components.txt && git -C "$R" commit -q -m comps
base=$(git -C "$R" rev-parse HEAD)
printf 'zlib pkg:generic/zlib@1.3.1\nmbedtls pkg:github/Mbed-TLS/mbedtls@v2.28.0\ncjson pkg:github/DaveGamble/cJSON@v1.7.15\n' >"$R/components.txt"
git -C "$R" commit -q -am bump
head=$(git -C "$R" rev-parse HEAD)

s=$(snapshot "$R")
push() { (cd "$R" && printf '%s\n' "$@" | "$PP" origin "$E2E_TMP/remote.git"); }
expect_exit 0 "pre-push reports (does not block by default)" -- push "refs/heads/main $head refs/heads/main $base"
expect_grep "added component" "+ added    pkg:github/DaveGamble/cJSON@v1.7.15" "$E2E_TMP/err"
expect_grep "changed version" "~ changed  pkg:generic/zlib: 1.2.13 -> 1.3.1" "$E2E_TMP/err"
expect_grep "removed component" "- removed  pkg:generic/old@1" "$E2E_TMP/err"
grep -q mbedtls "$E2E_TMP/err" && fail "unchanged component reported" || pass "unchanged component not reported"
expect_grep "count and range" "3 component change(s) in refs/heads/main, ${base:0:12}..${head:0:12}" "$E2E_TMP/err"
expect_same_snapshot "pre-push" "$R" "$s"
git -C "$R" config sdl.pushBlockOnComponentChange true
expect_exit 1 "pre-push blocks when configured" -- push "refs/heads/main $head refs/heads/main $base"
expect_exit 0 "no change: nothing to block" -- push "refs/heads/main $base refs/heads/main $base"
expect_exit 0 "deleting a remote branch is not checked" -- push "(delete) $zero refs/heads/old $base"
# new branch: base is the fork point from the remote's default branch
git -C "$R" update-ref refs/remotes/origin/main "$base"
git -C "$R" symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main
expect_exit 1 "new remote branch: compared with the fork point" -- push "refs/heads/topic $head refs/heads/topic $zero"
expect_grep "new branch report" "${base:0:12}..${head:0:12}" "$E2E_TMP/err"
git -C "$R" update-ref -d refs/remotes/origin/HEAD
git -C "$R" update-ref -d refs/remotes/origin/main
expect_exit 1 "no common base: every component is new" -- push "refs/heads/topic $head refs/heads/topic $zero"
expect_grep "says so" "no common base" "$E2E_TMP/err"
# under the pre-commit framework
PRE_COMMIT_FROM_REF=$base PRE_COMMIT_TO_REF=$head expect_exit 1 "framework refs (PRE_COMMIT_*_REF)" -- bash -c "cd '$R' && '$PP' origin x </dev/null"
# a broken sdl-sbom: reported; fails closed only when blocking
printf '#!/bin/sh\necho "sdl-sbom: boom" >&2\nexit 3\n' >"$E2E_TMP/bin/broken"
chmod +x "$E2E_TMP/bin/broken"
SDL_SBOM=$E2E_TMP/bin/broken expect_exit 1 "sbom failure with blocking: refused" -- push "refs/heads/main $head refs/heads/main $base"
expect_grep "sbom failure named" "sdl-sbom failed" "$E2E_TMP/err"
git -C "$R" config --unset sdl.pushBlockOnComponentChange
SDL_SBOM=$E2E_TMP/bin/broken expect_exit 0 "sbom failure without blocking: warned" -- push "refs/heads/main $head refs/heads/main $base"
SDL_SBOM=/nonexistent expect_exit 0 "sbom missing: warned" -- push "refs/heads/main $head refs/heads/main $base"
expect_same_snapshot "pre-push (all cases)" "$R" "$s"

# --- commit-msg
CM=$HOOKS/commit-msg
msg() { printf '%b' "$1" >"$E2E_TMP/msg"; (cd "$R" && "$CM" "$E2E_TMP/msg"); }
expect_exit 0 "commit-msg: no policy, anything goes" -- msg 'whatever\n'
git -C "$R" config sdl.requireReference '(REQ-[0-9]+|#[0-9]+)'
expect_exit 1 "commit-msg: reference missing" -- msg 'fix the parser\n'
expect_grep "names the policy" "sdl.requireReference" "$E2E_TMP/err"
expect_exit 0 "commit-msg: reference in the body" -- msg 'fix the parser\n\nRefs: REQ-12\n'
expect_exit 0 "commit-msg: issue number" -- msg 'fix #12\n'
expect_exit 1 "commit-msg: reference only in a comment line" -- msg 'fix\n# REQ-1\n'
expect_exit 1 "commit-msg: reference only below the scissors" -- msg 'fix\n# ------------------------ >8 ------------------------\ndiff REQ-3\n'
expect_exit 0 "commit-msg: fixup! exempt" -- msg 'fixup! fix the parser\n'
git -C "$R" config core.commentChar ';'
expect_exit 0 "commit-msg: core.commentChar respected" -- msg 'fix\n# REQ-9 is text now\n'
git -C "$R" config --unset core.commentChar
git -C "$R" config sdl.requireReference '(unclosed'
expect_exit 2 "commit-msg: invalid regex is an error, not a pass" -- msg 'fix REQ-1\n'
git -C "$R" config sdl.requireReference 'REQ-[0-9]+'
expect_exit 2 "commit-msg: missing message file" -- bash -c "cd '$R' && '$CM'"
"$HOOKS/sdl-hooks" install --repo "$R" --hooks commit-msg >/dev/null
expect_exit 1 "git commit refused without reference" -- git -C "$R" commit -q --allow-empty -m "no ref"
expect_exit 0 "git commit with reference" -- git -C "$R" commit -q --allow-empty -m "ok REQ-7"
finish
