#!/usr/bin/env bash
# sdl-analyze end to end: output formats, SARIF validity, exit codes,
# --fail-on, dropped flags, header findings once, rule pack override, and the
# bad-input matrix (one clear line, exit 2, no output file).
. "$SDL_TESTS_DIR/e2e/lib.sh"
. "$SDL_TESTS_DIR/fixtures/analyze/make_project.sh"
A=$SDL_ANALYZE
P=$E2E_TMP/proj
make_project "$P"
cd "$P" || exit 1

expect_exit 1 "findings -> exit 1" -- "$A" -p build --root "$P" --no-cache
grep -q '^src/main.c:10:16: error: command passed to .system. .* \[command-injection\]$' "$E2E_TMP/out" \
	|| fail "text output not clang-style: $(cat "$E2E_TMP/out")"
n=$(grep -c 'include/util.h:6:2: warning: call to banned function .strcpy.' "$E2E_TMP/out")
[ "$n" = 1 ] && pass "header finding reported once for two TUs" || fail "header finding $n times"
grep -q 'dropped compiler flags clang does not understand: -fconserve-stack -fno-tree-loop-distribute-patterns' "$E2E_TMP/err" \
	&& pass "dropped flags named once" || fail "dropped flags: $(cat "$E2E_TMP/err")"
grep -q $'\033' "$E2E_TMP/out" && fail "colour when not a terminal" || pass "no colour off a terminal"

expect_exit 0 "--fail-on none -> exit 0" -- "$A" -p build --root "$P" --no-cache --fail-on none
expect_exit 0 "--fail-on error, file without errors" -- "$A" -p build --root "$P" --no-cache --fail-on error src/clean.c
expect_exit 1 "--fail-on error with an error" -- "$A" -p build --root "$P" --no-cache --fail-on error src/main.c

expect_exit 1 "sarif output" -- "$A" -p build --root "$P" --no-cache --format sarif -o "$E2E_TMP/r.sarif"
validate_sarif "$E2E_TMP/r.sarif"
arts=$(jq -r '.runs[0].artifacts[].location.uri' "$E2E_TMP/r.sarif" | sort | tr '\n' ' ')
[ "$arts" = "include/util.h src/clean.c src/main.c src/net.c " ] && pass "artifacts list every analysed file" \
	|| fail "artifacts: $arts"
jq -e '.runs[0].tool.driver.rules[] | select(.id=="command-injection") | .properties.tags | index("external/cwe/cwe-78")' \
	"$E2E_TMP/r.sarif" >/dev/null && pass "rules carry CWE tags" || fail "no CWE tag"
jq -e '[.runs[0].results[] | .partialFingerprints["sdlFingerprint/v1"]] | all' "$E2E_TMP/r.sarif" >/dev/null \
	&& pass "every result has a fingerprint" || fail "results without fingerprint"

expect_exit 1 "json summary" -- "$A" -p build --root "$P" --no-cache --format json -o "$E2E_TMP/r.json"
[ "$(jq '.by_rule["banned-function"]' "$E2E_TMP/r.json")" = 1 ] && pass "json counts per rule" \
	|| fail "json by_rule: $(cat "$E2E_TMP/r.json")"

expect_exit 0 "--list-rules" -- "$A" --list-rules
grep -q '^command-injection .*CWE-78 ENV33-C' "$E2E_TMP/out" && pass "list shows CWE and CERT" || fail "list-rules"

# a rule pack override: turn one rule off, lower another
cat >"$E2E_TMP/over.json" <<'J'
{ "rules": [ { "id": "command-injection", "enabled": false },
             { "id": "banned-function", "level": "note" } ] }
J
expect_exit 0 "--rules override (level, enabled)" -- "$A" -p build --root "$P" --no-cache --rules "$E2E_TMP/over.json"
grep -q 'command-injection' "$E2E_TMP/out" && fail "disabled rule reported"
grep -q 'note: call to banned function' "$E2E_TMP/out" && pass "level override" || fail "level not overridden"

# --audit: unproven untrusted-data cases as notes, not counted by --fail-on warning
cat >"$P/src/audit.c" <<'C'
#include <stdlib.h>
int run(const char *cmd) { return system(cmd); }
C
expect_exit 0 "untainted parameter: quiet by default" -- "$A" --root "$P" src/audit.c --
[ -s "$E2E_TMP/out" ] && fail "default run reported: $(cat "$E2E_TMP/out")" || pass "no finding without --audit"
expect_exit 0 "--audit reports a note" -- "$A" --root "$P" --audit src/audit.c --
grep -q 'src/audit.c:2:42: note: .*audit.*\[command-injection\]' "$E2E_TMP/out" && pass "--audit note" \
	|| fail "--audit: $(cat "$E2E_TMP/out")"
expect_exit 1 "--audit note fails --fail-on note" -- "$A" --root "$P" --audit --fail-on note src/audit.c --
rm "$P/src/audit.c"

# FILE... -- FLAGS, no database
expect_exit 1 "files with flags after --" -- "$A" --root "$P" src/main.c -- -Iinclude
grep -q 'src/main.c:10:16' "$E2E_TMP/out" && pass "no-database mode finds" || fail "no-database mode"

# parse errors: reported, exit 2 unless --keep-going
printf 'int broken( {\n' >"$P/src/broken.c"
expect_exit 2 "parse error -> exit 2" -- "$A" --root "$P" --format sarif -o "$E2E_TMP/pe.sarif" src/broken.c --
jq -e '.runs[0].invocations[0].toolExecutionNotifications | length > 0' "$E2E_TMP/pe.sarif" >/dev/null \
	&& pass "parse error in toolExecutionNotifications" || fail "no notification: $(jq -c '.runs[0].invocations' "$E2E_TMP/pe.sarif")"
expect_exit 0 "--keep-going" -- "$A" --root "$P" --keep-going src/broken.c --
rm "$P/src/broken.c"

# bad input matrix: one line naming the file, exit 2, no output file
bad() {
	local what=$1 name=$2; shift 2
	rm -f "$E2E_TMP/o.sarif"
	expect_exit 2 "$what" -- "$A" --root "$P" -o "$E2E_TMP/o.sarif" --format sarif "$@"
	expect_one_line_error "$name"
	[ -e "$E2E_TMP/o.sarif" ] && fail "$what: output written" || pass "$what: no output file"
}
mkdir -p "$E2E_TMP/nodb" "$E2E_TMP/baddb"
printf '[{"directory": "/x", "file": "a.c", ' >"$E2E_TMP/baddb/compile_commands.json"
bad "missing compile database" "$E2E_TMP/nodb/compile_commands.json" -p "$E2E_TMP/nodb"
bad "malformed compile database" "$E2E_TMP/baddb/compile_commands.json" -p "$E2E_TMP/baddb"
bad "missing file" "src/nope.c" src/nope.c --
head -c 4096 /bin/ls >"$P/src/bin.c"
bad "binary file" "src/bin.c" src/bin.c --
rm "$P/src/bin.c"
cp "$P/src/clean.c" "$P/src/$(printf 'bad\xff.c')"
bad "non-UTF-8 path" 'bad\xff.c' "$(printf 'src/bad\xff.c')" --
rm "$P/src/$(printf 'bad\xff.c')"
printf '{"rules": [ {"id": "x" ' >"$E2E_TMP/badpack.json"
bad "malformed rule pack" "$E2E_TMP/badpack.json" --rules "$E2E_TMP/badpack.json" src/clean.c --
printf '{"rules": [ {"id": "no-such-rule", "level": "error"} ] }' >"$E2E_TMP/unkpack.json"
bad "rule pack naming an unknown rule" "$E2E_TMP/unkpack.json" --rules "$E2E_TMP/unkpack.json" src/clean.c --
bad "file not in the database" "src/other.c" -p build src/other.c
# AZ_MAX_SOURCE_BYTES for a source named by the compile database (the command
# line's FILE is covered by robust_limits.sh)
mkdir -p "$E2E_TMP/bigdb"
printf 'int big(void) { return 0; }\n' >src/big.c && truncate -s $((16 * 1024 * 1024 + 1)) src/big.c
printf '[{"directory": "%s", "file": "src/big.c", "arguments": ["cc", "-c", "src/big.c"]}]' "$P" \
	>"$E2E_TMP/bigdb/compile_commands.json"
bad "16 MiB + 1 source in the database" "src/big.c: larger than 16777216 bytes" -p "$E2E_TMP/bigdb"
truncate -s $((16 * 1024 * 1024)) src/big.c
expect_exit 0 "16 MiB source in the database accepted" -- "$A" --root "$P" --no-cache -p "$E2E_TMP/bigdb"
rm -f src/big.c
# AZ_MAX_TUS: a database with more entries is refused from its count alone
# (none of the sources exists: no per-entry work is done first)
mkdir -p "$E2E_TMP/manydb"
awk -v d="$P" 'BEGIN { printf "["; for (i = 0; i <= 200000; i++) printf "{\"directory\":\"%s\",\"file\":\"m%d.c\",\"command\":\"cc\"},", d, i;
	printf "{\"directory\":\"%s\",\"file\":\"m.c\",\"command\":\"cc\"}]", d }' >"$E2E_TMP/manydb/compile_commands.json"
bad "200,002 database entries" "more than 200000 translation units" -p "$E2E_TMP/manydb"
expect_exit 2 "bad --fail-on" -- "$A" --fail-on fatal src/clean.c --
expect_exit 2 "bad --shard" -- "$A" --shard 3/2 src/clean.c --
expect_exit 2 "nothing to analyse" -- "$A"
# a header as FILE with -p: analysed through a translation unit that includes it
expect_exit 1 "-p with a header FILE" -- "$A" -p build --root "$P" --no-cache include/util.h
[ "$(grep -c . "$E2E_TMP/out")" = 1 ] && grep -q '^include/util.h:6:2: .*\[banned-function\]$' "$E2E_TMP/out" \
	&& pass "only the header's findings" || fail "header FILE: $(cat "$E2E_TMP/out")"
printf 'int lonely(void);\n' >include/lonely.h
expect_exit 2 "a header nothing includes" -- "$A" -p build --root "$P" --no-cache include/lonely.h
grep -q 'include/lonely.h: not in' "$E2E_TMP/err" && pass "names the header" || fail "lonely header: $(cat "$E2E_TMP/err")"
rm -f include/lonely.h
finish
