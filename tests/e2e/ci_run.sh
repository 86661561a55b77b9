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
# A fixture is no release candidate: judge it with the per-change policy.
POL=$SDL_SOURCE_DIR/rules/policy/ci-baseline.json
expect_exit 2 "sdl-ci --policy missing file" -- "$CI" --repo "$R" --out "$E2E_TMP/out-x" --policy "$E2E_TMP/none.json"
expect_exit 2 "sdl-ci --junit missing file" -- "$CI" --repo "$R" --out "$E2E_TMP/out-x" --junit "$E2E_TMP/none.xml"
expect_exit 1 "sdl-ci: default policy (ML3 release) refuses a bare fixture" -- "$CI" --repo "$R" --out "$E2E_TMP/out-ml3"
jq -e '.policy.file | endswith("ml3-default.json")' "$E2E_TMP/out-ml3/decision.json" >/dev/null &&
	pass "default policy is the ML3 release policy" || fail "default policy not ML3"
expect_exit 0 "sdl-ci: clean fixture releases (ci-baseline policy)" -- "$CI" --repo "$R" --out "$E2E_TMP/out-ok" --gitlab --policy "$POL"
for f in analyze.sarif sbom.cdx.json sbom.spdx.json decision.json gate.junit.xml gate.sarif report.md report.html gl-sast-report.json; do
	[ -s "$E2E_TMP/out-ok/$f" ] && pass "output $f" || fail "missing output $f"
done
[ -d "$E2E_TMP/out-ok/evidence" ] && pass "evidence package" || fail "no evidence package"
validate_sarif "$E2E_TMP/out-ok/analyze.sarif"
validate_cyclonedx "$E2E_TMP/out-ok/sbom.cdx.json"
validate_spdx "$E2E_TMP/out-ok/sbom.spdx.json"
validate_sarif "$E2E_TMP/out-ok/gate.sarif"
python3 -c "import xml.etree.ElementTree as E,sys; r=E.parse(sys.argv[1]).getroot(); assert r.tag in ('testsuites','testsuite'); assert len(r.findall('.//testcase')) == 47" "$E2E_TMP/out-ok/gate.junit.xml" &&
	pass "gate JUnit: 47 requirement test cases" || fail "gate JUnit malformed"
jq -e '.policy.file | endswith("ci-baseline.json")' "$E2E_TMP/out-ok/decision.json" >/dev/null &&
	pass "--policy reached the gate" || fail "--policy not used by the gate"
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
expect_exit 1 "sdl-ci: banned call refuses the release" -- "$CI" --repo "$R" --out "$E2E_TMP/out-bad" --policy "$POL"
jq -e '[.runs[].results[] | select(.ruleId == "banned-function")] | length == 1' "$E2E_TMP/out-bad/analyze.sarif" >/dev/null &&
	pass "analysis found the banned call" || fail "banned call not in analyze.sarif"
jq -e '[.runs[].results[]] | length > 0' "$E2E_TMP/out-bad/gate.sarif" >/dev/null &&
	pass "gate SARIF names the failing requirement" || fail "gate SARIF empty on refusal"
[ -s "$E2E_TMP/out-bad/decision.json" ] && pass "decision written on refusal" || fail "no decision on refusal"
# GitLab SAST report (sdl-analyze --format gitlab-sast): the finding, its CWE, its place
expect_exit 1 "sdl-ci --gitlab on the failing fixture" -- "$CI" --repo "$R" --out "$E2E_TMP/out-gl" --policy "$POL" --gitlab
jq -e '.scan.type == "sast" and (.vulnerabilities | length == 1)
	and (.vulnerabilities[0].location.file == "src/c.c") and (.vulnerabilities[0].location.start_line == 2)
	and ([.vulnerabilities[0].identifiers[].type] | index("cwe") != null)' "$E2E_TMP/out-gl/gl-sast-report.json" >/dev/null &&
	pass "GitLab SAST report: the banned call with file, line and CWE" || { fail "GitLab SAST report content"; cat "$E2E_TMP/out-gl/gl-sast-report.json" >&2; }
expect_exit 2 "--gitlab in the merge job is refused (shards write the reports)" -- "$CI" --repo "$R" --out "$E2E_TMP/out-x" --sarif "$E2E_TMP/out-gl/analyze.sarif" --gitlab
expect_grep "says where the reports come from" "--shard K/N --gitlab" "$E2E_TMP/err"
# shallow clone: detected and reported
git clone -q --depth 1 "file://$R" "$E2E_TMP/shallow"
cp -r "$R/build" "$E2E_TMP/shallow/"
"$CI" --repo "$E2E_TMP/shallow" --build "$R/build" --out "$E2E_TMP/out-sh" --policy "$POL" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
expect_grep "shallow clone detected" "shallow clone" "$E2E_TMP/err"
"$CI" --repo "$E2E_TMP/shallow" --build "$R/build" --out "$E2E_TMP/out-sh" --policy "$POL" --fetch >"$E2E_TMP/out" 2>"$E2E_TMP/err"
[ "$(git -C "$E2E_TMP/shallow" rev-parse --is-shallow-repository)" = false ] && pass "--fetch unshallowed" || fail "--fetch did not unshallow"
finish
