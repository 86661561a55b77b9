#!/usr/bin/env bash
# sdl-analyze end to end: --format gitlab-sast (GitLab SAST report schema 15.x:
# required fields, stable ids, SOURCE_DATE_EPOCH times), SARIF helpUri only
# with --help-uri-base, and the SARIF result limit of GitHub code scanning
# (25,000 per run: the most severe kept, a notification and a warning).
. "$SDL_TESTS_DIR/e2e/lib.sh"
. "$SDL_TESTS_DIR/fixtures/analyze/make_project.sh"
A=$SDL_ANALYZE
P=$E2E_TMP/proj
make_project "$P"
cd "$P" || exit 1

# ---- gitlab-sast ------------------------------------------------------------
export SOURCE_DATE_EPOCH=1700000000
expect_exit 1 "gitlab-sast output" -- "$A" -p build --root "$P" --no-cache --format gitlab-sast -o "$E2E_TMP/gl.json"
jq -e '
  (.version | test("^15\\.[0-9]+\\.[0-9]+$"))
  and (.scan.type == "sast") and (.scan.status == "success")
  and ([.scan.analyzer, .scan.scanner] | all(.id != "" and .name != "" and .version != "" and .vendor.name != ""))
  and (.scan.start_time == "2023-11-14T22:13:20") and (.scan.end_time == "2023-11-14T22:13:20")
  and (.vulnerabilities | length > 0)
  and (.vulnerabilities | all(
        (.id | test("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"))
        and (.name | length > 0) and (.description | length > 0)
        and ([.severity] | inside(["Critical","High","Medium","Low","Info","Unknown"]))
        and (.identifiers | length > 0)
        and (.identifiers | all((.type | length > 0) and (.name | length > 0) and (.value | length > 0)))
        and ([.identifiers[] | select(.type == "sdl_rule")] | length == 1)
        and (.location.file | length > 0)
        and (.location.start_line | type == "number") and (.location.end_line >= .location.start_line)))
  and ([.vulnerabilities[].id] | length == (unique | length))' "$E2E_TMP/gl.json" >/dev/null \
	&& pass "gitlab-sast has the schema's required fields, unique ids" || fail "gitlab-sast shape: $(cat "$E2E_TMP/gl.json")"
jq -e '.vulnerabilities[] | select(.identifiers[0].value == "command-injection")
       | .severity == "Critical" and .location.file == "src/main.c" and .location.start_line == 10
         and (.identifiers | map(select(.type == "cwe")) | .[0] | .name == "CWE-78" and .value == "78"
              and (.url | endswith("/78.html")))' "$E2E_TMP/gl.json" >/dev/null \
	&& pass "severity from security-severity, CWE identifier" || fail "command-injection entry: $(cat "$E2E_TMP/gl.json")"
jq -e '[.vulnerabilities[] | select(.identifiers[0].value == "banned-function")][0].severity == "High"' \
	"$E2E_TMP/gl.json" >/dev/null && pass "7.5 is High" || fail "banned-function severity"
n_json=$("$A" -p build --root "$P" --no-cache --format json | jq .findings)
[ "$(jq '.vulnerabilities | length' "$E2E_TMP/gl.json")" = "$n_json" ] \
	&& pass "one vulnerability per unsuppressed finding ($n_json)" || fail "vulnerability count != $n_json"
"$A" -p build --root "$P" --no-cache --format gitlab-sast -o "$E2E_TMP/gl2.json" >/dev/null 2>&1
cmp -s "$E2E_TMP/gl.json" "$E2E_TMP/gl2.json" && pass "gitlab-sast deterministic under SOURCE_DATE_EPOCH" \
	|| fail "gitlab-sast differs between runs"
SOURCE_DATE_EPOCH=yesterday expect_exit 2 "bad SOURCE_DATE_EPOCH -> exit 2" -- \
	"$A" -p build --root "$P" --no-cache --format gitlab-sast -o "$E2E_TMP/gl3.json"
expect_one_line_error SOURCE_DATE_EPOCH
[ -e "$E2E_TMP/gl3.json" ] && fail "output written on bad SOURCE_DATE_EPOCH" || pass "no output on bad input"
unset SOURCE_DATE_EPOCH
expect_exit 1 "gitlab-sast with the clock" -- "$A" -p build --root "$P" --no-cache --format gitlab-sast
jq -e '.scan | (.start_time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$")) and .end_time >= .start_time' \
	"$E2E_TMP/out" >/dev/null && pass "scan times from the clock" || fail "scan times: $(jq .scan "$E2E_TMP/out")"

# ---- helpUri ------------------------------------------------------------------
expect_exit 1 "sarif without --help-uri-base" -- "$A" -p build --root "$P" --no-cache --format sarif -o "$E2E_TMP/a.sarif"
jq -e '[.runs[0].tool.driver.rules[] | has("helpUri")] | any | not' "$E2E_TMP/a.sarif" >/dev/null \
	&& pass "no helpUri by default" || fail "helpUri present without --help-uri-base"
expect_exit 1 "sarif with --help-uri-base" -- "$A" -p build --root "$P" --no-cache --format sarif \
	--help-uri-base https://example.com/sdl/docs/rules -o "$E2E_TMP/h.sarif"
validate_sarif "$E2E_TMP/h.sarif"
jq -e '.runs[0].tool.driver.rules[] | select(.id == "toctou") | .helpUri == "https://example.com/sdl/docs/rules/toctou.md"' \
	"$E2E_TMP/h.sarif" >/dev/null && pass "helpUri = base/<rule-id>.md" || fail "helpUri"
expect_exit 2 "--help-uri-base needs a URL" -- "$A" -p build --root "$P" --help-uri-base docs/rules
grep -q "help-uri-base needs an http(s) URL, not 'docs/rules'" "$E2E_TMP/err" && pass "usage error names the option" \
	|| fail "usage error: $(cat "$E2E_TMP/err")"

# ---- the 25,000-result limit ----------------------------------------------------
G=$E2E_TMP/gen
mkdir -p "$G"
awk 'BEGIN {
	print "#include <stdlib.h>\n#include <string.h>"
	for (f = 0; f < 250; f++) {
		printf "void copy%d(char *d, const char *s)\n{\n", f
		for (i = 0; i < 100; i++) print "\tstrcpy(d, s);"
		print "}"
	}
	print "int main(int argc, char **argv)\n{\n\t(void)argc;"
	for (i = 0; i < 10; i++) print "\tif (system(argv[1])) return 1;"
	print "\treturn 0;\n}"
}' >"$G/many.c"
cd "$G" || exit 1
expect_exit 1 "25,010 findings" -- "$A" --root "$G" --format sarif -o "$E2E_TMP/many.sarif" many.c -- -w
jq -e '.runs[0].results | length == 25000' "$E2E_TMP/many.sarif" >/dev/null \
	&& pass "SARIF run keeps 25,000 results" || fail "results: $(jq '.runs[0].results | length' "$E2E_TMP/many.sarif")"
jq -e '[.runs[0].results[] | select(.ruleId == "command-injection")] | length == 10' "$E2E_TMP/many.sarif" >/dev/null \
	&& pass "the most severe results are kept" || fail "command-injection results dropped"
jq -e '[.runs[0].results[] | .locations[0].physicalLocation.region.startLine] as $l | $l == ($l | sort)' \
	"$E2E_TMP/many.sarif" >/dev/null && pass "kept results in output order" || fail "kept results not sorted"
jq -e '.runs[0].invocations[0].toolExecutionNotifications[] | select(.message.text | test("25010 results exceed the 25000.*10 left out"))' \
	"$E2E_TMP/many.sarif" >/dev/null && pass "truncation said in a notification" || fail "no truncation notification"
grep -q 'warning: 10 results\|25010 results exceed' "$E2E_TMP/err" && pass "truncation said on stderr" \
	|| fail "stderr: $(cat "$E2E_TMP/err")"
"$A" --root "$G" --format sarif -o "$E2E_TMP/many2.sarif" many.c -- -w 2>/dev/null
cmp -s "$E2E_TMP/many.sarif" "$E2E_TMP/many2.sarif" && pass "truncation deterministic" || fail "truncated runs differ"
validate_sarif "$E2E_TMP/many.sarif"
expect_exit 1 "--max-results 5" -- "$A" --root "$G" --format sarif --max-results 5 -o "$E2E_TMP/five.sarif" many.c -- -w
jq -e '[.runs[0].results[].ruleId] == ["command-injection","command-injection","command-injection","command-injection","command-injection"]' \
	"$E2E_TMP/five.sarif" >/dev/null && pass "severity decides what is kept" || fail "kept: $(jq -c '[.runs[0].results[].ruleId]' "$E2E_TMP/five.sarif")"
finish
