#!/bin/bash
# sdl-sbom on bad input: a corrupt repository, a missing repository, a
# malformed manifest, a huge file, a symlink out of the tree, bad usage.
source "$SDL_TESTS_DIR/e2e/lib.sh"

# not a repository / missing directory: exit 2, one line naming the path
mkdir -p "$E2E_TMP/plain"
expect_exit 2 "directory without a repository" -- "$SDL_SBOM" --repo "$E2E_TMP/plain" --no-cache -o "$E2E_TMP/x.json"
expect_one_line_error "$E2E_TMP/plain"
expect_exit 2 "missing directory" -- "$SDL_SBOM" --repo "$E2E_TMP/nope" -o "$E2E_TMP/x.json"
expect_one_line_error "$E2E_TMP/nope"
[ ! -e "$E2E_TMP/x.json" ] && pass "no partial output" || fail "output written on bad input"
expect_exit 2 "unknown format" -- "$SDL_SBOM" --format xml
expect_exit 2 "unknown revision" -- "$SDL_SBOM" --repo "$E2E_TMP/plain" --rev nope

# corrupt repository: a damaged object
R="$E2E_TMP/corrupt"
new_repo "$R"
echo 'int x;' >"$R/a.c" && git -C "$R" add -A && git -C "$R" commit -qm one
tree=$(git -C "$R" rev-parse HEAD^{tree})
obj="$R/.git/objects/${tree:0:2}/${tree:2}"
chmod u+w "$obj" && printf 'garbage' >"$obj"
expect_exit 2 "corrupt repository" -- "$SDL_SBOM" --repo "$R" --no-cache -o "$E2E_TMP/c.json"
lines=$(wc -l <"$E2E_TMP/err")
[ "$lines" -le 2 ] && grep -q "$tree\|corrupt\|object" "$E2E_TMP/err" && pass "corrupt repository named" || { fail "corrupt repo message"; cat "$E2E_TMP/err"; }

# a repository with broken pieces: still an SBOM, marked incomplete
R="$E2E_TMP/broken"
new_repo "$R"
mkdir -p "$R/subprojects" "$R/third_party"
printf '{ "dependencies": [ "zlib", ' >"$R/vcpkg.json"
printf '[wrap-file]\ndirectory = zlib-1.3.1\nsource_url = https://zlib.net/zlib-1.3.1.tar.gz\nsource_hash = ff0ba4c292013dbc27530b3a81e1f9a813cd39de01ca5e0f8bf355702efa593e\n' >"$R/subprojects/zlib.wrap"
printf 'manifest:\n  projects:\n    - name: cmsis\n  url: x\n   bad: indentation\n' >"$R/west.yml"
ln -s /usr/include "$R/third_party/sysinc"
ln -s ../../../outside "$R/third_party/escape"
head -c 20000000 /dev/zero | tr '\0' 'a' >"$R/CMakeLists.txt"
git -C "$R" add -A && git -C "$R" commit -qm broken
expect_exit 0 "repository with broken pieces still yields an SBOM" -- "$SDL_SBOM" --repo "$R" --no-cache -o "$E2E_TMP/b.json"
for p in vcpkg.json west.yml third_party/sysinc third_party/escape CMakeLists.txt; do
	jq -e --arg p "$p" '.metadata.properties[] | select(.name=="sdl:not-examined") | select(.value | startswith($p + ": "))' "$E2E_TMP/b.json" >/dev/null \
		&& pass "not examined: $p" || fail "$p not listed as not examined"
	grep -q "warning: $p: " "$E2E_TMP/err" && pass "stderr names $p" || fail "stderr does not name $p"
done
grep -q "vcpkg.json:1:.*" "$E2E_TMP/err" && pass "malformed JSON manifest names line" || fail "no line for vcpkg.json"
grep -q "out of the tree" "$E2E_TMP/err" && pass "symlink out of the tree reported" || fail "symlink message"
jq -e '.compositions[0].aggregate == "incomplete"' "$E2E_TMP/b.json" >/dev/null && pass "marked incomplete" || fail "not marked incomplete"
jq -e '.components[] | select(.name=="zlib" and .version=="1.3.1" and .hashes[0].alg=="SHA-256")' "$E2E_TMP/b.json" >/dev/null \
	&& pass "meson wrap next to broken files still found" || fail "meson wrap missing"
validate_cyclonedx "$E2E_TMP/b.json"

# bad signatures directory: exit 2 naming the file
mkdir -p "$E2E_TMP/sigs" && printf '{ "components": [ { "name": "x", "detect": [ { "files": ["a"], "grep": { "file": "a", "pattern": "(" } } ] } ] }' >"$E2E_TMP/sigs/bad.json"
expect_exit 2 "bad signature pattern" -- "$SDL_SBOM" --repo "$R" --signatures "$E2E_TMP/sigs"
expect_one_line_error "bad.json"
finish
