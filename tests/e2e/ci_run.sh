#!/usr/bin/env bash
# hooks/sdl-ci on a fixture repository with the real tools: outputs validated
# (SARIF, CycloneDX, SPDX, GitLab SAST shape, decision JSON), exit code for a
# passing and a failing release, shallow-clone detection. Fails (with the
# reason) until sdl-analyze, sdl-sbom and sdl-gate implement their interfaces.
. "$SDL_TESTS_DIR/e2e/lib.sh"
. "$SDL_TESTS_DIR/e2e/hooks_lib.sh"
CI=$HOOKS/sdl-ci
expect_exit 2 "sdl-ci bad option" -- "$CI" --bogus
expect_exit 2 "sdl-ci bad shard" -- "$CI" --shard 0/2
missing=
"$SDL_ANALYZE" --help 2>&1 | grep -q -- '--keep-going' || missing="$missing sdl-analyze(-p/--keep-going/--format sarif)"
"$SDL_SBOM" --help 2>&1 | grep -q -- '--rev' || missing="$missing sdl-sbom(--repo/--rev/--format)"
"$SDL_GATE" evaluate --help 2>&1 | grep -q -- '--package' || missing="$missing sdl-gate(evaluate --sarif/--sbom/--package)"
if [ -n "$missing" ]; then
	fail "tools not implemented yet:$missing"
	finish
fi
R=$E2E_TMP/repo
make_c_repo "$R"
expect_exit 0 "sdl-ci: clean fixture releases" -- "$CI" --repo "$R" --out "$E2E_TMP/out-ok" --gitlab
for f in analyze.sarif sbom.cdx.json sbom.spdx.json decision.json gl-sast-report.json; do
	[ -s "$E2E_TMP/out-ok/$f" ] && pass "output $f" || fail "missing output $f"
done
[ -d "$E2E_TMP/out-ok/evidence" ] && pass "evidence package" || fail "no evidence package"
validate_sarif "$E2E_TMP/out-ok/analyze.sarif"
validate_cyclonedx "$E2E_TMP/out-ok/sbom.cdx.json"
validate_spdx "$E2E_TMP/out-ok/sbom.spdx.json"
jq -e '.version and .scan.type == "sast" and (.vulnerabilities | type == "array")' "$E2E_TMP/out-ok/gl-sast-report.json" >/dev/null &&
	pass "GitLab SAST report shape" || fail "GitLab SAST report shape"
expect_exit 0 "evidence package verifies" -- "$SDL_GATE" verify "$E2E_TMP/out-ok/evidence"
for j in "$E2E_TMP"/out-ok/evidence/*.xml; do
	[ -f "$j" ] && python3 -c "import xml.etree.ElementTree as E,sys; r=E.parse(sys.argv[1]).getroot(); assert r.tag in ('testsuites','testsuite')" "$j" &&
		pass "JUnit XML $(basename "$j")"
done
printf '#include <string.h>\nvoid cp(char *d, const char *s) { strcpy(d, s); }\n' >"$R/src/c.c"
write_compdb "$R" src/a.c src/b.c src/c.c
git -C "$R" add -A && git -C "$R" commit -q -m "banned call"
expect_exit 1 "sdl-ci: banned call refuses the release" -- "$CI" --repo "$R" --out "$E2E_TMP/out-bad"
[ -s "$E2E_TMP/out-bad/decision.json" ] && pass "decision written on refusal" || fail "no decision on refusal"
# shallow clone: detected and reported
git clone -q --depth 1 "file://$R" "$E2E_TMP/shallow"
cp -r "$R/build" "$E2E_TMP/shallow/"
"$CI" --repo "$E2E_TMP/shallow" --build "$R/build" --out "$E2E_TMP/out-sh" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
expect_grep "shallow clone detected" "shallow clone" "$E2E_TMP/err"
"$CI" --repo "$E2E_TMP/shallow" --build "$R/build" --out "$E2E_TMP/out-sh" --fetch >"$E2E_TMP/out" 2>"$E2E_TMP/err"
[ "$(git -C "$E2E_TMP/shallow" rev-parse --is-shallow-repository)" = false ] && pass "--fetch unshallowed" || fail "--fetch did not unshallow"
finish
