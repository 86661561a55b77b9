#!/usr/bin/env bash
# Dogfooding (issue 7): the three tools on this repository.
#  1. sdl-analyze over our own compile database with --fail-on warning:
#     exit 0, zero unjustified findings (suppressions carry a justification).
#     Fails, listing them, while any finding remains.
#  2. sdl-sbom over our own history: exit 0, CycloneDX and SPDX valid.
#  3. sdl-gate evaluate with our own project file and policy on that evidence:
#     a decision (0 or 1, not 2/3), a package, and `verify` of it exits 0.
# Everything is written under $E2E_TMP: the checkout may be a clean clone
# without build/out/, and the repository is only read (no cache written
# into it).
. "$SDL_TESTS_DIR/e2e/lib.sh"
SRC=$SDL_SOURCE_DIR
CDB="$SDL_BUILD_DIR/compile_commands.json"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600}

# ---------------------------------------------------------------- analyze
[ -f "$CDB" ] || fail "no compile database at $CDB (CMAKE_EXPORT_COMPILE_COMMANDS)"
ntu=$(jq length "$CDB")
if expect_exit 0 "sdl-analyze on our own $ntu translation units, --fail-on warning" -- \
	"$SDL_ANALYZE" -p "$SDL_BUILD_DIR" --root "$SRC" --cache "$E2E_TMP/acache" -q \
	--fail-on warning --format sarif -o "$E2E_TMP/analyze.sarif"; then :; else
	# list the findings that block, as path:line: rule (message)
	if [ -s "$E2E_TMP/analyze.sarif" ]; then
		jq -r '.runs[].results[] | select((.suppressions // []) == [] and (.baselineState // "new") != "unchanged")
			| "  finding: \(.locations[0].physicalLocation.artifactLocation.uri):\(.locations[0].physicalLocation.region.startLine): \(.ruleId) (\(.message.text))"' \
			"$E2E_TMP/analyze.sarif" | sort | tee "$E2E_TMP/findings" >&2
		fail "$(wc -l <"$E2E_TMP/findings") unjustified finding(s) in our own code (listed above)"
	fi
fi
if [ -s "$E2E_TMP/analyze.sarif" ]; then
	validate_sarif "$E2E_TMP/analyze.sarif"
	# every suppression carries a justification
	n=$(jq '[.runs[].results[].suppressions // [] | .[] | select((.justification // "") == "")] | length' "$E2E_TMP/analyze.sarif")
	[ "$n" = 0 ] && pass "every suppression has a justification" || fail "$n suppression(s) without justification"
	# every TU parsed: no parse-error notification
	n=$(jq '[.runs[].invocations[]?.toolExecutionNotifications[]? | select(.level == "error")] | length' "$E2E_TMP/analyze.sarif")
	[ "$n" = 0 ] && pass "every translation unit parsed" || fail "$n error notification(s) in our own analysis"
else
	fail "sdl-analyze wrote no SARIF"
	printf '{"version":"2.1.0","runs":[]}' >"$E2E_TMP/analyze.sarif"
fi

# ------------------------------------------------------------------- sbom
for fmt in cyclonedx spdx; do
	expect_exit 0 "sdl-sbom over our own history ($fmt)" -- \
		"$SDL_SBOM" --repo "$SRC" --cache "$E2E_TMP/scache" --format "$fmt" -o "$E2E_TMP/sbom.$fmt.json"
	grep -q 'commit(s) examined' "$E2E_TMP/err" && pass "summary: $(grep 'commit(s) examined' "$E2E_TMP/err" | cut -c1-120)"
done
[ -s "$E2E_TMP/sbom.cyclonedx.json" ] && validate_cyclonedx "$E2E_TMP/sbom.cyclonedx.json"
[ -s "$E2E_TMP/sbom.spdx.json" ] && validate_spdx "$E2E_TMP/sbom.spdx.json"
[ -s "$E2E_TMP/sbom.cyclonedx.json" ] || printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[]}' >"$E2E_TMP/sbom.cyclonedx.json"

# ------------------------------------------------------------------- gate
"$SDL_GATE" evaluate --repo "$SRC" --sarif "$E2E_TMP/analyze.sarif" --sbom "$E2E_TMP/sbom.cyclonedx.json" \
	--compile-db "$CDB" --package "$E2E_TMP/evidence" --format json -o "$E2E_TMP/decision.json" \
	--report-md "$E2E_TMP/report.md" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
got=$?
case $got in
0|1) pass "sdl-gate evaluate with our own policy: a decision (exit $got): $(tail -1 "$E2E_TMP/err")";;
*) fail "sdl-gate evaluate with our own policy: exit $got"; head -5 "$E2E_TMP/err" >&2;;
esac
if [ -f "$E2E_TMP/decision.json" ]; then
	jq -e '.requirements | length == 47' "$E2E_TMP/decision.json" >/dev/null \
		&& pass "decision covers the 47 requirements" || fail "decision does not list 47 requirements"
	# what is not met, for the report (not a failure: the decision is the gate's to make)
	jq -r '.requirements[] | select(.status == "not_met") | "  not met: \(.id)"' "$E2E_TMP/decision.json" 2>/dev/null | paste -sd" " | sed "s/^/  /"
fi
[ -f "$E2E_TMP/evidence/manifest.json" ] && pass "evidence package written" || fail "no evidence package"
expect_exit 0 "sdl-gate verify of our own package" -- "$SDL_GATE" verify "$E2E_TMP/evidence"
finish
