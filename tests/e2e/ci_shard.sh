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
expect_exit 1 "unsharded analysis (findings)" -- "$SDL_ANALYZE" -p "$R/build" --no-cache --format sarif -o "$E2E_TMP/full.sarif"
pids=()
for k in $(seq 1 $N); do
	"$HOOKS/sdl-ci" --repo "$R" --build "$R/build" --shard "$k/$N" --out "$E2E_TMP/shards" >"$E2E_TMP/shard$k.log" 2>&1 &
	pids+=($!)
done
for k in $(seq 1 $N); do
	wait "${pids[k - 1]}" && pass "shard $k/$N" || { fail "shard $k/$N"; cat "$E2E_TMP/shard$k.log" >&2; }
done
expect_exit 0 "merge" -- "$SDL_ANALYZE" merge -o "$E2E_TMP/merged.sarif" "$E2E_TMP"/shards/analyze.shard-*.sarif
validate_sarif "$E2E_TMP/merged.sarif"
canon() { jq -S 'del(.runs[].invocations) | .runs[].results |= sort_by(.locations[0].physicalLocation.artifactLocation.uri, .locations[0].physicalLocation.region.startLine, .ruleId)' "$1"; }
n_full=$(jq '[.runs[].results[]] | length' "$E2E_TMP/full.sarif")
[ "$n_full" -gt 0 ] && pass "fixture has $n_full findings" || fail "fixture produced no finding"
if diff <(canon "$E2E_TMP/full.sarif") <(canon "$E2E_TMP/merged.sarif") >"$E2E_TMP/diff"; then
	pass "merged shards equal the unsharded SARIF"
else
	fail "merged shards differ from the unsharded SARIF"; head -40 "$E2E_TMP/diff" >&2
fi
for k in $(seq 1 $N); do
	[ "$(jq '[.runs[].results[]] | length' "$E2E_TMP/shards/analyze.shard-$k-of-$N.sarif")" -lt "$n_full" ] && pass "shard $k is a part" || fail "shard $k holds everything"
done
finish
