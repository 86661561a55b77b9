#!/usr/bin/env bash
# The CI split run locally: N processes each analyse `--shard K/N` (through
# sdl-ci, as the templates do), `sdl-analyze merge` joins them, and the
# merged SARIF equals the unsharded one (same results, same artifacts).
. "$SDL_TESTS_DIR/e2e/lib.sh"
. "$SDL_TESTS_DIR/e2e/hooks_lib.sh"
N=3
if ! "$SDL_ANALYZE" --help 2>&1 | grep -q -- '--shard'; then
	fail "sdl-analyze has no --shard / merge yet (issue 3): sharded analysis not testable"
	finish
fi
export SOURCE_DATE_EPOCH=1767225600
R=$E2E_TMP/repo
make_c_repo "$R"
files=(src/a.c src/b.c)
for i in $(seq 1 10); do
	printf '#include <string.h>\n#include <stdlib.h>\nvoid f%d(char *d, const char *s) { strcpy(d, s); }\nint g%d(void) { return rand(); }\n' "$i" "$i" >"$R/src/m$i.c"
	files+=("src/m$i.c")
done
write_compdb "$R" "${files[@]}"
# (--root: only files under the root are reported; ctest runs us elsewhere)
expect_exit 1 "unsharded analysis (findings)" -- "$SDL_ANALYZE" -p "$R/build" --root "$R" --no-cache --format sarif -o "$E2E_TMP/full.sarif"
# N concurrent processes, one cache directory shared by all (as a CI cache is)
run_shards() { # OUTDIR
	local k pids=()
	for k in $(seq 1 $N); do
		"$HOOKS/sdl-ci" --repo "$R" --build "$R/build" --shard "$k/$N" --out "$1" --cache "$E2E_TMP/cache" >"$E2E_TMP/shard$k.log" 2>&1 &
		pids+=($!)
	done
	for k in $(seq 1 $N); do
		wait "${pids[k - 1]}" && pass "shard $k/$N" || { fail "shard $k/$N"; cat "$E2E_TMP/shard$k.log" >&2; }
	done
}
run_shards "$E2E_TMP/shards"
[ -n "$(ls -A "$E2E_TMP/cache" 2>/dev/null)" ] && pass "shards filled the shared cache" || fail "shared cache empty"
expect_exit 0 "merge" -- "$SDL_ANALYZE" merge -o "$E2E_TMP/merged.sarif" "$E2E_TMP"/shards/analyze.shard-*.sarif
validate_sarif "$E2E_TMP/merged.sarif"
# the merge job as the templates run it: sdl-ci --sarif ... (merge, SBOM, gate)
sargs=()
for f in "$E2E_TMP"/shards/analyze.shard-*.sarif; do sargs+=(--sarif "$f"); done
"$HOOKS/sdl-ci" --repo "$R" "${sargs[@]}" --out "$E2E_TMP/gate" --policy "$SDL_SOURCE_DIR/rules/policy/ci-baseline.json" >"$E2E_TMP/gate.log" 2>&1
rc=$?
[ $rc = 1 ] && pass "merge job: findings refuse the release (exit 1)" || { fail "merge job: exit $rc, want 1"; cat "$E2E_TMP/gate.log" >&2; }
cmp -s "$E2E_TMP/merged.sarif" "$E2E_TMP/gate/analyze.sarif" && pass "merge job wrote the same merged SARIF" || fail "merge job SARIF differs from sdl-analyze merge"
# warm: the same split again, from the shared cache, gives the same bytes
run_shards "$E2E_TMP/shards-warm"
expect_exit 0 "merge (warm)" -- "$SDL_ANALYZE" merge -o "$E2E_TMP/merged-warm.sarif" "$E2E_TMP"/shards-warm/analyze.shard-*.sarif
# a shard job with --gitlab writes its own GitLab SAST report (one per job)
"$HOOKS/sdl-ci" --repo "$R" --build "$R/build" --shard "1/$N" --out "$E2E_TMP/gl1" --cache "$E2E_TMP/cache" --gitlab >"$E2E_TMP/gl1.log" 2>&1 &&
	pass "shard 1/$N with --gitlab" || { fail "shard --gitlab"; cat "$E2E_TMP/gl1.log" >&2; }
n_sh=$(jq '[.runs[].results[] | select((.suppressions // []) | length == 0)] | length' "$E2E_TMP/gl1/analyze.shard-1-of-$N.sarif")
n_gl=$(jq '.vulnerabilities | length' "$E2E_TMP/gl1/gl-sast-report.json" 2>/dev/null)
[ "$n_sh" = "$n_gl" ] && [ "$n_gl" -gt 0 ] && pass "shard SAST report holds the shard's $n_gl findings" || fail "shard SAST report: $n_gl vulnerabilities, SARIF has $n_sh"
canon() { jq -S 'del(.runs[].invocations) | .runs[].results |= sort_by(.locations[0].physicalLocation.artifactLocation.uri, .locations[0].physicalLocation.region.startLine, .ruleId)' "$1"; }
n_full=$(jq '[.runs[].results[]] | length' "$E2E_TMP/full.sarif")
[ "$n_full" -gt 0 ] && pass "fixture has $n_full findings" || fail "fixture produced no finding"
if diff <(canon "$E2E_TMP/full.sarif") <(canon "$E2E_TMP/merged.sarif") >"$E2E_TMP/diff"; then
	pass "merged shards equal the unsharded SARIF"
else
	fail "merged shards differ from the unsharded SARIF"; head -40 "$E2E_TMP/diff" >&2
fi
diff <(canon "$E2E_TMP/full.sarif") <(canon "$E2E_TMP/merged-warm.sarif") >/dev/null &&
	pass "warm (cached) shards equal the unsharded SARIF" || fail "warm shards differ"
for k in $(seq 1 $N); do
	[ "$(jq '[.runs[].results[]] | length' "$E2E_TMP/shards/analyze.shard-$k-of-$N.sarif")" -lt "$n_full" ] && pass "shard $k is a part" || fail "shard $k holds everything"
done
finish
