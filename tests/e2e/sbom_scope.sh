#!/bin/bash
# Scope (docs/sbom.md "Scope"): components under test / example / doc trees
# are reported as excluded (CycloneDX scope, SPDX TEST_/DEV_DEPENDENCY_OF),
# --exclude and .sdl-sbom.json drop trees and say so in the SBOM, a malformed
# .sdl-sbom.json from the repository is noted (exit 0), one named by --config
# is bad input (exit 2), and vulnerabilities of excluded components are marked.
source "$SDL_TESTS_DIR/e2e/lib.sh"
FX="$SDL_TESTS_DIR/fixtures/sbom"
R="$E2E_TMP/repo"
new_repo "$R"
zlib() { mkdir -p "$R/$1"; printf '#define ZLIB_VERSION "%s"\n' "$2" >"$R/$1/zlib.h"; touch "$R/$1/deflate.c" "$R/$1/inflate.c"; }
zlib src/third_party/zlib 1.2.12       # product
zlib tests/third_party/zlib 1.2.12     # a test-only copy
zlib third_party/generated/zlib 1.3.1  # dropped by --exclude
mkdir -p "$R/examples/demo" "$R/docs/sample" "$R/src/testsuite_helpers" "$R/Tests/unit"
printf '{ "name": "demo", "dependencies": [ "fmt" ] }\n' >"$R/examples/demo/vcpkg.json"
printf '{ "name": "doc", "dependencies": [ "spdlog" ] }\n' >"$R/docs/sample/vcpkg.json"
printf '{ "name": "unit", "dependencies": [ "cmocka" ] }\n' >"$R/Tests/unit/vcpkg.json"
# "testsuite_helpers" is not a scope name: product
printf '{ "name": "h", "dependencies": [ "zstd" ] }\n' >"$R/src/testsuite_helpers/vcpkg.json"
git -C "$R" add -A && git -C "$R" commit -qm init

O="$E2E_TMP/o.json"
S="$E2E_TMP/o.spdx.json"
comps() { jq -r '.components[] | "\(.name)|\(.properties | map(select(.name=="sdl:path"))[0].value)|\(.scope // "-")|\(.properties | map(select(.name=="sdl:scope"))[0].value // "-")|\(.properties | map(select(.name=="sdl:scope-reason"))[0].value // "-")"' "$1" | sort; }

expect_exit 0 "scan with default scope rules" -- "$SDL_SBOM" --repo "$R" --no-cache -o "$O"
want=$(sort <<'W'
cmocka|Tests/unit/vcpkg.json|excluded|test|under Tests/
fmt|examples/demo/vcpkg.json|excluded|dev|under examples/
spdlog|docs/sample/vcpkg.json|excluded|dev|under docs/
zlib|src/third_party/zlib|-|-|-
zlib|tests/third_party/zlib|excluded|test|under tests/
zlib|third_party/generated/zlib|-|-|-
zstd|src/testsuite_helpers/vcpkg.json|-|-|-
W
)
got=$(comps "$O")
[ "$got" = "$want" ] && pass "scopes and reasons" || fail "scopes: got
$got"
grep -q "7 component(s): 3 in product, 4 test/example-only" "$E2E_TMP/err" && pass "summary counts scopes" \
	|| fail "summary: $(tail -1 "$E2E_TMP/err")"
validate_cyclonedx "$O"

# --exclude drops a tree, listed in the metadata; the same result in SPDX
expect_exit 0 "--exclude" -- "$SDL_SBOM" --repo "$R" --no-cache --exclude 'third_party/gen*' --exclude '**/nothing' -o "$O"
comps "$O" | grep -q generated && fail "excluded tree still reported" || pass "--exclude drops the tree"
[ "$(comps "$O" | wc -l)" = 6 ] && pass "nothing else dropped" || fail "count: $(comps "$O" | wc -l)"
got=$(jq -r '.metadata.properties[] | select(.name=="sdl:excluded-by-configuration") | .value' "$O")
[ "$got" = "third_party/gen* (--exclude): 1 component(s), 0 note(s) dropped
**/nothing (--exclude): 0 component(s), 0 note(s) dropped" ] && pass "exclusions listed in metadata" || fail "metadata: $got"
validate_cyclonedx "$O"
expect_exit 0 "--exclude, SPDX" -- "$SDL_SBOM" --repo "$R" --no-cache --exclude 'third_party/gen*' --format spdx -o "$S"
validate_spdx "$S"
rels=$(jq -r '. as $d | .relationships[] | select(.relationshipType != "DESCRIBES") | "\(.spdxElementId)|\(.relationshipType)|\(.relatedSpdxElement)"' "$S" \
	| sed -E 's/SPDXRef-[0-9a-zA-Z.-]*-([a-z]+)-[0-9a-f]+/\1/g' | sort | tr '\n' ' ')
n_test=$(jq '[.relationships[] | select(.relationshipType=="TEST_DEPENDENCY_OF" and .relatedSpdxElement=="SPDXRef-Product")] | length' "$S")
n_dev=$(jq '[.relationships[] | select(.relationshipType=="DEV_DEPENDENCY_OF" and .relatedSpdxElement=="SPDXRef-Product")] | length' "$S")
n_prod=$(jq '[.relationships[] | select(.spdxElementId=="SPDXRef-Product")] | length' "$S")
[ "$n_test/$n_dev/$n_prod" = "2/2/2" ] && pass "SPDX: 2 TEST_DEPENDENCY_OF, 2 DEV_DEPENDENCY_OF, 2 product relationships" \
	|| fail "SPDX relationships $n_test/$n_dev/$n_prod: $rels"
jq -e '.creationInfo.comment | contains("excluded by configuration: third_party/gen* (--exclude): 1 component(s)")' "$S" >/dev/null \
	&& pass "SPDX lists the exclusion" || fail "SPDX comment: $(jq -r .creationInfo.comment "$S")"
jq -e '[.packages[] | select((.comment // "") | contains("scope: test only (under tests/)"))] | length == 1' "$S" >/dev/null \
	&& pass "SPDX package comment names the scope" || fail "SPDX scope comment missing"

# glob semantics: '*' stays in one segment, '**' crosses them, a pattern covers its subtree
expect_exit 0 "--exclude '*/zlib' matches nothing at depth 3" -- "$SDL_SBOM" --repo "$R" --no-cache --exclude '*/zlib' -o "$O"
[ "$(comps "$O" | wc -l)" = 7 ] && pass "'*' does not cross '/'" || fail "'*/zlib' dropped: $(comps "$O")"
expect_exit 0 "--exclude '**/zlib'" -- "$SDL_SBOM" --repo "$R" --no-cache --exclude '**/zlib' -o "$O"
[ "$(comps "$O" | grep -c '^zlib')" = 0 ] && pass "'**' crosses '/'" || fail "'**/zlib' left: $(comps "$O")"
expect_exit 0 "--test-path" -- "$SDL_SBOM" --repo "$R" --no-cache --test-path 'src/third_party' -o "$O"
comps "$O" | grep -qx "zlib|src/third_party/zlib|excluded|test|matches test path 'src/third_party' (--test-path)" \
	&& pass "--test-path marks a tree test-only" || fail "--test-path: $(comps "$O")"
expect_exit 2 "empty --exclude" -- "$SDL_SBOM" --repo "$R" --no-cache --exclude '' -o "$O"
grep -q "^sdl-sbom: --exclude: pattern '': empty" "$E2E_TMP/err" && pass "empty pattern named" || fail "empty pattern: $(cat "$E2E_TMP/err")"

# .sdl-sbom.json of the scanned revision
printf '{ "exclude": ["third_party/generated"], "test_paths": ["src/testsuite_helpers"] }\n' >"$R/.sdl-sbom.json"
git -C "$R" add -A && git -C "$R" commit -qm config
expect_exit 0 "repository .sdl-sbom.json" -- "$SDL_SBOM" --repo "$R" --no-cache -o "$O"
got=$(comps "$O" | tr '\n' ' ')
[ "$got" = "cmocka|Tests/unit/vcpkg.json|excluded|test|under Tests/ fmt|examples/demo/vcpkg.json|excluded|dev|under examples/ spdlog|docs/sample/vcpkg.json|excluded|dev|under docs/ zlib|src/third_party/zlib|-|-|- zlib|tests/third_party/zlib|excluded|test|under tests/ zstd|src/testsuite_helpers/vcpkg.json|excluded|test|matches test path 'src/testsuite_helpers' (.sdl-sbom.json) " ] \
	&& pass ".sdl-sbom.json applied" || fail ".sdl-sbom.json: $got"
jq -e '.metadata.properties[] | select(.name=="sdl:excluded-by-configuration") | .value == "third_party/generated (.sdl-sbom.json): 1 component(s), 0 note(s) dropped"' "$O" >/dev/null \
	&& pass "file exclusion listed" || fail "file exclusion not listed"
expect_exit 0 "flags override the file" -- "$SDL_SBOM" --repo "$R" --no-cache --exclude 'nothing' -o "$O"
comps "$O" | grep -q "third_party/generated/zlib" && pass "--exclude replaces the file's list" || fail "file list still applied"
expect_exit 0 "--no-config" -- "$SDL_SBOM" --repo "$R" --no-cache --no-config -o "$O"
[ "$(comps "$O" | wc -l)" = 7 ] && pass "--no-config ignores the file" || fail "--no-config: $(comps "$O" | wc -l)"
# the working tree's file is not read: only the revision's
printf '{ "exclude": ["src"] }\n' >"$R/.sdl-sbom.json"
expect_exit 0 "working-tree edit ignored" -- "$SDL_SBOM" --repo "$R" --no-cache -o "$O"
comps "$O" | grep -q "src/third_party/zlib" && pass "the revision's file is used" || fail "working tree file read"

# malformed file from the repository: noted, not fatal, default rules
for bad in '{ "exclude": "src" }' '{ "exclude": [1] }' '{ "exlude": [] }' '{ "exclude": [' '[]'; do
	printf '%s\n' "$bad" >"$R/.sdl-sbom.json"
	git -C "$R" add -A && git -C "$R" commit -qm "bad config"
	expect_exit 0 "malformed .sdl-sbom.json: $bad" -- "$SDL_SBOM" --repo "$R" --no-cache -o "$O"
	jq -e '[.metadata.properties[] | select(.name=="sdl:not-examined" and (.value | startswith(".sdl-sbom.json: not used")))] | length == 1' "$O" >/dev/null \
		&& pass "noted as not examined" || fail "no note for: $bad"
	[ "$(comps "$O" | wc -l)" = 7 ] && pass "default scope rules apply" || fail "components: $(comps "$O" | wc -l)"
done
validate_cyclonedx "$O"
head -c 70000 /dev/zero | tr '\0' ' ' >"$R/.sdl-sbom.json"
git -C "$R" add -A && git -C "$R" commit -qm "huge config"
expect_exit 0 "oversized .sdl-sbom.json" -- "$SDL_SBOM" --repo "$R" --no-cache -o "$O"
grep -q ".sdl-sbom.json: not used" "$E2E_TMP/err" && pass "oversized file noted" || fail "oversized: $(cat "$E2E_TMP/err")"
# named by the user: bad input
printf '{ "exclude": [' >"$E2E_TMP/cfg.json"
expect_exit 2 "malformed --config" -- "$SDL_SBOM" --repo "$R" --no-cache --config "$E2E_TMP/cfg.json" -o "$O"
expect_one_line_error "cfg.json"
printf '{ "exclude": ["tests"] }' >"$E2E_TMP/cfg.json"
expect_exit 0 "--config" -- "$SDL_SBOM" --repo "$R" --no-cache --config "$E2E_TMP/cfg.json" -o "$O"
jq -e '.metadata.properties[] | select(.name=="sdl:excluded-by-configuration") | .value | startswith("tests ('"$E2E_TMP"'/cfg.json): 1 component(s)")' "$O" >/dev/null \
	&& pass "--config applied" || fail "--config: $(jq -c .metadata.properties "$O")"
expect_exit 2 "--config with --no-config" -- "$SDL_SBOM" --repo "$R" --no-cache --config "$E2E_TMP/cfg.json" --no-config -o "$O"

# vulnerabilities: matched in both scopes, the excluded one marked, analysis untouched
expect_exit 1 "--fail-on-vulns fails on the product copy" -- "$SDL_SBOM" --repo "$R" --no-cache --vulns "$FX/osv" --fail-on-vulns -o "$O"
got=$(jq -r '.vulnerabilities[] | select(.id=="CVE-2022-37434") | "\(.affects[0].ref)|\(has("analysis"))|\(.properties | map(select(.name=="sdl:component-scope"))[0].value // "-")|\(.properties | map(select(.name=="sdl:scope-reason"))[0].value // "-")"' "$O" | sort | tr '\n' ' ')
[ "$got" = "zlib@src/third_party/zlib|false|-|- zlib@tests/third_party/zlib|false|excluded|under tests/ " ] \
	&& pass "excluded-scope vulnerability marked" || fail "vulns: $got"
grep -q "open in test/example-only components" "$E2E_TMP/err" && pass "summary separates test-only vulnerabilities" || fail "summary: $(tail -1 "$E2E_TMP/err")"
validate_cyclonedx "$O"
expect_exit 0 "--fail-on-vulns ignores test-only copies" -- "$SDL_SBOM" --repo "$R" --no-cache --vulns "$FX/osv" --fail-on-vulns --exclude src --exclude third_party -o "$O"

# our own repository: every component found is in a test tree (fuzz seeds, fixtures); when
# this fails, a third-party component entered the product: review it, do not loosen the test.
# Without our .sdl-sbom.json the fuzz seeds are found and classified as test-only;
# with it (what scripts/run uses) they are excluded and nothing is left.
if git -C "$SDL_SOURCE_DIR" rev-parse -q --verify HEAD >/dev/null 2>&1; then
	expect_exit 0 "scan our own repository without its config" -- "$SDL_SBOM" --repo "$SDL_SOURCE_DIR" --no-config --no-cache --no-history -o "$O"
	grep -Eq "component\(s\): 0 in product, [1-9][0-9]* test/example-only" "$E2E_TMP/err" \
		&& pass "our repository: 0 product components" || fail "our repository: $(tail -1 "$E2E_TMP/err")"
	expect_exit 0 "scan our own repository with its config" -- "$SDL_SBOM" --repo "$SDL_SOURCE_DIR" --no-cache --no-history -o "$O"
	grep -Eq "0 component\(s\)|component\(s\): 0 in product, 0 test" "$E2E_TMP/err" \
		&& pass "our repository with .sdl-sbom.json: nothing left" || fail "our repository: $(tail -1 "$E2E_TMP/err")"
fi
finish
