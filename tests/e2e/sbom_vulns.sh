#!/bin/bash
# --vulns with a small OSV set (version lists, ECOSYSTEM/SEMVER and GIT ranges,
# a broken record) and --vex with OpenVEX and CycloneDX VEX.
source "$SDL_TESTS_DIR/e2e/lib.sh"
FX="$SDL_TESTS_DIR/fixtures/sbom"
R="$E2E_TMP/repo"
new_repo "$R"
mkdir -p "$R/third_party/zlib" "$R/libs/mbedtls"
printf '#define ZLIB_VERSION "1.2.12"\n' >"$R/third_party/zlib/zlib.h"
touch "$R/third_party/zlib/deflate.c" "$R/third_party/zlib/inflate.c"
printf '[submodule "m"]\n\tpath = libs/mbedtls\n\turl = https://github.com/Mbed-TLS/mbedtls.git\n' >"$R/.gitmodules"
git -C "$R" add -A
git -C "$R" update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,libs/mbedtls
git -C "$R" commit -qm init

O="$E2E_TMP/v.json"
expect_exit 0 "match OSV records" -- "$SDL_SBOM" --repo "$R" --no-cache --vulns "$FX/osv" -o "$O"
ids=$(jq -r '.vulnerabilities[] | "\(.id)|\(.affects[0].ref)"' "$O" | sort | tr '\n' ' ')
[ "$ids" = "CVE-2022-37434|zlib@third_party/zlib OSV-TEST-0001|zlib@third_party/zlib OSV-TEST-0002|mbedtls@libs/mbedtls " ] \
	&& pass "exactly the affected records match" || fail "matches: $ids"
grep -q "3 open, 0 resolved" "$E2E_TMP/err" && pass "summary counts" || fail "summary: $(tail -1 "$E2E_TMP/err")"
grep -q "broken.json" "$E2E_TMP/err" && pass "broken OSV record named" || fail "broken record not reported"
validate_cyclonedx "$O"
expect_exit 1 "--fail-on-vulns" -- "$SDL_SBOM" --repo "$R" --no-cache --vulns "$FX/osv" --fail-on-vulns -o "$O"

expect_exit 0 "apply VEX" -- "$SDL_SBOM" --repo "$R" --no-cache --vulns "$FX/osv" --vex "$FX/vex/openvex.json" --vex "$FX/vex/cdx-vex.json" -o "$O"
jq -e '.vulnerabilities[] | select(.id=="CVE-2022-37434") | .analysis.state=="not_affected" and .analysis.justification=="code_not_reachable"' "$O" >/dev/null \
	&& pass "OpenVEX not_affected via alias" || fail "OpenVEX not applied"
jq -e '.vulnerabilities[] | select(.id=="OSV-TEST-0002") | .analysis.state=="resolved"' "$O" >/dev/null \
	&& pass "CycloneDX VEX applied" || fail "CycloneDX VEX not applied"
jq -e '.vulnerabilities[] | select(.id=="OSV-TEST-0001") | has("analysis") | not' "$O" >/dev/null \
	&& pass "unrelated vulnerability untouched" || fail "VEX applied too widely"
grep -q "1 open, 2 resolved by VEX" "$E2E_TMP/err" && pass "summary after VEX" || fail "summary: $(tail -1 "$E2E_TMP/err")"
validate_cyclonedx "$O"

printf '{ "statements": [ { "vulnerability": "CVE-1", "status": "not_affected" } ] }' >"$E2E_TMP/bad-vex.json"
expect_exit 2 "not_affected without justification" -- "$SDL_SBOM" --repo "$R" --no-cache --vulns "$FX/osv" --vex "$E2E_TMP/bad-vex.json" -o "$O"
expect_one_line_error "bad-vex.json"
expect_exit 2 "missing --vulns dir" -- "$SDL_SBOM" --repo "$R" --no-cache --vulns "$E2E_TMP/none" -o "$O"
expect_one_line_error "$E2E_TMP/none"
finish
