#!/bin/bash
# sdl-sbom over a fixture history: vendored zlib added, bumped, downgraded,
# patched, moved, replaced by a manifest entry; a submodule; FetchContent
# added and removed; an unknown vendored tree; a single vendored file.
# Asserts exact components, versions and history events, validates both
# formats with the real validator, and checks determinism and the cache.
source "$SDL_TESTS_DIR/e2e/lib.sh"

R="$E2E_TMP/repo"
new_repo "$R"
n=0
commit() { n=$((n + 1)); GIT_AUTHOR_DATE="2026-01-0${n}T00:00:00Z" GIT_COMMITTER_DATE="2026-01-0${n}T00:00:00Z" \
	git -C "$R" commit -qm "$1"; }
# commit subjects deliberately lie about versions: versions come from files
zlib_version() { printf '/* zlib.h */\n#define ZLIB_VERSION "%s"\n#define ZLIB_VERNUM 0x1000\n' "$1" >"$R/$2/zlib.h"; }

mkdir -p "$R/src" "$R/third_party/zlib"
echo 'int main(void) { return 0; }' >"$R/src/main.c"
zlib_version 1.2.11 third_party/zlib
echo 'int deflate(void) { return 0; }' >"$R/third_party/zlib/deflate.c"
echo 'int inflate(void) { return 0; }' >"$R/third_party/zlib/inflate.c"
cat >"$R/third_party/zlib/LICENSE" <<'L'
  This software is provided 'as-is', without any express or implied
  warranty.  In no event will the authors be held liable for any damages
  arising from the use of this software.
  2. Altered source versions must be plainly marked as such, and must not be
     misrepresented as being the original software.
  3. This notice may not be removed or altered from any source distribution.
L
git -C "$R" add -A && commit "import zlib 9.9.9"
C_ADD=$(git -C "$R" rev-parse HEAD)
zlib_version 1.2.13 third_party/zlib && git -C "$R" add -A && commit "bump zlib"
C_BUMP=$(git -C "$R" rev-parse HEAD)
zlib_version 1.2.12 third_party/zlib && git -C "$R" add -A && commit "zlib: go back"
C_DOWN=$(git -C "$R" rev-parse HEAD)
echo '/* local fix */' >>"$R/third_party/zlib/deflate.c" && git -C "$R" add -A && commit "fix deflate"
C_PATCH=$(git -C "$R" rev-parse HEAD)
mkdir -p "$R/vendor" && git -C "$R" mv third_party/zlib vendor/zlib && commit "reorganise"
C_MOVE=$(git -C "$R" rev-parse HEAD)
printf '[submodule "mbedtls"]\n\tpath = libs/mbedtls\n\turl = https://github.com/Mbed-TLS/mbedtls.git\n' >"$R/.gitmodules"
git -C "$R" add .gitmodules
mkdir -p "$R/libs/mbedtls" # an unpopulated submodule, as after a clone without --recursive
git -C "$R" update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,libs/mbedtls
commit "add mbedtls submodule"
cat >"$R/CMakeLists.txt" <<'L'
cmake_minimum_required(VERSION 3.20)
include(FetchContent)
FetchContent_Declare(json # the JSON library
  GIT_REPOSITORY https://github.com/nlohmann/json.git
  GIT_TAG v3.11.3)
FetchContent_Declare(fmt URL https://github.com/fmtlib/fmt/archive/refs/tags/10.2.1.tar.gz
  URL_HASH SHA256=1250e4cc58bf06ee631567523f48848dc4596133e163f02615c97f78bab6c811)
L
git -C "$R" add -A && commit "fetch json"
git -C "$R" rm -rq vendor/zlib
printf '{ "name": "demo", "dependencies": [ "zlib" ],\n  "overrides": [ { "name": "zlib", "version": "1.3.1" } ] }\n' >"$R/vcpkg.json"
git -C "$R" add -A && commit "use zlib from vcpkg"
C_SWITCH=$(git -C "$R" rev-parse HEAD)
mkdir -p "$R/third_party/foo"
printf 'Permission to use, copy, modify, and/or distribute this software for any purpose with or without fee is hereby granted.\n' >"$R/third_party/foo/LICENSE"
echo '1.4.2' >"$R/third_party/foo/VERSION"
echo 'int foo(void);' >"$R/third_party/foo/foo.c"
printf '/* linenoise.c -- guerrilla line editing library against the idea that a\n * line editing lib needs to be 20,000 lines of C code. */\n' >"$R/src/linenoise.c"
git -C "$R" add -A && commit "add foo and linenoise"
sed -i '/FetchContent_Declare(fmt/,/URL_HASH/d' "$R/CMakeLists.txt"
git -C "$R" add -A && commit "drop fmt"
C_DROP=$(git -C "$R" rev-parse HEAD)

OUT="$E2E_TMP/out.cdx.json"
export SOURCE_DATE_EPOCH=1767225600
expect_exit 0 "scan the fixture history" -- "$SDL_SBOM" --repo "$R" --no-cache -o "$OUT"
grep -q "5 component(s): 5 in product, 0 test/example-only (1 of unknown identity)" "$E2E_TMP/err" && pass "summary line" || { fail "summary line"; cat "$E2E_TMP/err"; }
validate_cyclonedx "$OUT"

comps=$(jq -r '.components[] | "\(.name)|\(.version // "-")|\(.properties[] | select(.name=="sdl:kind") | .value)|\(.properties[] | select(.name=="sdl:path") | .value)"' "$OUT" | sort)
want=$(sort <<'L'
json|v3.11.3|manifest|CMakeLists.txt
mbedtls|1111111111111111111111111111111111111111|submodule|libs/mbedtls
zlib|1.3.1|manifest|vcpkg.json
foo|1.4.2|unknown-vendored|third_party/foo
linenoise|-|vendored-file|src/linenoise.c
L
)
# fmt was declared and dropped: it must not be listed
for line in $want; do
	grep -qxF "$line" <<<"$comps" && pass "component $line" || fail "missing component $line (got: $comps)"
done
[ "$(jq '.components | length' "$OUT")" = 5 ] && pass "exactly 5 components at HEAD" || fail "component count: $comps"

ev() { jq -r --arg n "$1" '.components[] | select(.name==$n) | .pedigree.commits[] | "\(.uid)|\(.message | split(" | ")[0])"' "$OUT"; }
zev=$(ev zlib)
check_event() { grep -qxF "$2" <<<"$1" && pass "event $2" || fail "event '$2' missing in: $1"; }
check_event "$zev" "$C_ADD|introduced: - -> 1.2.11"
check_event "$zev" "$C_BUMP|version (upgrade): 1.2.11 -> 1.2.13"
check_event "$zev" "$C_DOWN|version (downgrade): 1.2.13 -> 1.2.12"
check_event "$zev" "$C_PATCH|modified"
check_event "$zev" "$C_MOVE|moved: third_party/zlib -> vendor/zlib"
check_event "$zev" "$C_SWITCH|switched: vendored:vendor/zlib -> vcpkg:vcpkg.json"
check_event "$zev" "$C_SWITCH|version (upgrade): 1.2.12 -> 1.3.1"
[ "$(wc -l <<<"$zev")" -ge 6 ] && pass "zlib history has every event" || fail "zlib history: $zev"
jq -e '.components[] | select(.name=="zlib") | .pedigree.patches[0].type == "unofficial"' "$OUT" >/dev/null \
	&& pass "local modification recorded as a patch" || fail "no patch for the local modification"
jq -e --arg c "$C_DROP" '.metadata.properties[] | select(.name=="sdl:removed-component") | select(.value | test("^fmt .*removed in " + $c))' "$OUT" >/dev/null \
	&& pass "fmt removal recorded" || fail "fmt removal not recorded"
jq -e '.components[] | select(.name=="foo") | .licenses[0].license.id == "ISC"' "$OUT" >/dev/null \
	&& pass "unknown component licence from its own LICENSE" || fail "foo licence"
jq -e '.components[] | select(.name=="mbedtls") | .purl == "pkg:github/mbed-tls/mbedtls@1111111111111111111111111111111111111111"' "$OUT" >/dev/null \
	&& pass "submodule purl names the upstream" || fail "submodule purl: $(jq -c '.components[] | select(.name=="mbedtls")' "$OUT")"
jq -e '.compositions[0].aggregate == "incomplete"' "$OUT" >/dev/null \
	&& pass "not checked out submodule makes the SBOM incomplete" || fail "composition should be incomplete"
grep -q "submodule not checked out" "$E2E_TMP/err" && pass "missing submodule checkout named on stderr" || fail "no warning for the submodule"

# SPDX: schema, namespace, relationship targets
SP="$E2E_TMP/out.spdx.json"
expect_exit 0 "SPDX output" -- "$SDL_SBOM" --repo "$R" --no-cache --format spdx -o "$SP"
validate_spdx "$SP"
jq -e '.documentNamespace | test("^https://")' "$SP" >/dev/null && pass "documentNamespace present" || fail "documentNamespace"
missing=$(jq -r '[.packages[].SPDXID, .SPDXID] as $ids | .relationships[] | select((.spdxElementId as $a | $ids | index($a)) == null or (.relatedSpdxElement as $b | $ids | index($b)) == null) | .relatedSpdxElement' "$SP")
[ -z "$missing" ] && pass "every relationship target exists" || fail "dangling relationships: $missing"
jq -e '[.packages[] | select(.name=="zlib") | .annotations[].comment] | any(test("downgrade\\) 1.2.13 -> 1.2.12"))' "$SP" >/dev/null \
	&& pass "history in SPDX annotations" || fail "SPDX annotations"

# determinism
expect_exit 0 "second run" -- "$SDL_SBOM" --repo "$R" --no-cache -o "$E2E_TMP/again.json"
cmp -s "$OUT" "$E2E_TMP/again.json" && pass "identical bytes on a re-run" || fail "output differs between runs"

# single-commit scan agrees on the components
expect_exit 0 "--no-history" -- "$SDL_SBOM" --repo "$R" --no-history -o "$E2E_TMP/nohist.json"
[ "$(jq '.components | length' "$E2E_TMP/nohist.json")" = 5 ] && pass "same components without history" || fail "no-history count"

# the cache: a re-run after one new commit examines only that commit, same bytes
CD="$E2E_TMP/cache"
expect_exit 0 "cached run" -- "$SDL_SBOM" --repo "$R" --cache "$CD" -o "$E2E_TMP/c1.json"
echo '/* another local fix */' >>"$R/src/main.c" && git -C "$R" add -A && commit "one more"
expect_exit 0 "incremental run" -- "$SDL_SBOM" --repo "$R" --cache "$CD" -o "$E2E_TMP/c2.json"
grep -q "1 commit(s) examined (incremental, from cache)" "$E2E_TMP/err" && pass "incremental: one commit examined" || fail "not incremental: $(cat "$E2E_TMP/err")"
expect_exit 0 "full run for comparison" -- "$SDL_SBOM" --repo "$R" --no-cache -o "$E2E_TMP/c3.json"
cmp -s "$E2E_TMP/c2.json" "$E2E_TMP/c3.json" && pass "incremental output equals the full scan" || fail "cached and full outputs differ"
printf 'garbage' >"$(ls "$CD"/*/*.json | head -1)"
expect_exit 0 "corrupt cache entry is ignored" -- "$SDL_SBOM" --repo "$R" --cache "$CD" -o "$E2E_TMP/c4.json"
cmp -s "$E2E_TMP/c4.json" "$E2E_TMP/c3.json" && pass "corrupt cache: same result" || fail "corrupt cache changed the result"

finish
