#!/usr/bin/env bash
# sdl-analyze: the result cache (a warm run parses nothing; a changed header
# re-parses the TUs that include it, and only those), -j, and --shard K/N with
# `sdl-analyze merge` giving the same results as one unsharded run.
. "$SDL_TESTS_DIR/e2e/lib.sh"
. "$SDL_TESTS_DIR/fixtures/analyze/make_project.sh"
A=$SDL_ANALYZE
P=$E2E_TMP/proj
make_project "$P"
cd "$P" || exit 1
C=$E2E_TMP/cache

expect_exit 1 "cold run" -- "$A" -p build --root "$P" --cache "$C" --format json -o cold.json -j 2
[ "$(jq .parsed cold.json)" = 3 ] && pass "cold run parses 3 TUs" || fail "cold: $(jq -c '{parsed,from_cache}' cold.json)"
expect_exit 1 "warm run" -- "$A" -p build --root "$P" --cache "$C" --format json -o warm.json -j 2
[ "$(jq .parsed warm.json)" = 0 ] && [ "$(jq .from_cache warm.json)" = 3 ] && pass "warm run parses nothing" \
	|| fail "warm: $(jq -c '{parsed,from_cache}' warm.json)"
[ "$(jq -c .results cold.json)" = "$(jq -c .results warm.json)" ] && pass "cached results equal fresh ones" \
	|| fail "cached results differ"

printf '/* touched */\n' >>include/util.h
expect_exit 1 "after a header change" -- "$A" -p build --root "$P" --cache "$C" --format json -o h.json
[ "$(jq .parsed h.json)" = 2 ] && [ "$(jq .from_cache h.json)" = 1 ] && pass "header change re-parses its 2 includers only" \
	|| fail "after header change: $(jq -c '{parsed,from_cache}' h.json)"
expect_exit 1 "rule pack change invalidates" -- "$A" -p build --root "$P" --cache "$C" --audit --format json -o a.json
[ "$(jq .parsed a.json)" = 3 ] && pass "--audit is part of the key" || fail "audit key: $(jq -c '{parsed}' a.json)"
expect_exit 1 "--no-cache" -- "$A" -p build --root "$P" --cache "$C" --no-cache --format json -o n.json
[ "$(jq .parsed n.json)" = 3 ] && pass "--no-cache parses everything" || fail "--no-cache"
expect_exit 1 "default cache under the build directory" -- "$A" -p build --root "$P"
[ -d build/.sdl-analyze-cache ] && pass "default cache dir" || fail "no default cache dir"

# shards + merge == unsharded
norm() { jq -c '[.runs[0].results[] | {r: .ruleId, u: .locations[0].physicalLocation.artifactLocation.uri, l: .locations[0].physicalLocation.region.startLine, m: .message.text}] | sort' "$1"; }
arts() { jq -c '[.runs[0].artifacts[].location.uri] | sort' "$1"; }
expect_exit 1 "unsharded" -- "$A" -p build --root "$P" --no-cache --format sarif -o all.sarif
for k in 1 2 3; do
	"$A" -p build --root "$P" --no-cache --shard $k/3 --format sarif -o s$k.sarif 2>/dev/null
	case $? in 0|1) ;; *) fail "shard $k/3 failed" ;; esac
done
expect_exit 0 "merge" -- "$A" merge -o merged.sarif s1.sarif s2.sarif s3.sarif
validate_sarif merged.sarif
[ "$(norm merged.sarif)" = "$(norm all.sarif)" ] && pass "merged shards equal the unsharded results" \
	|| { fail "merged results differ"; diff <(norm merged.sarif | jq .) <(norm all.sarif | jq .) >&2; }
[ "$(arts merged.sarif)" = "$(arts all.sarif)" ] && pass "merged artifacts equal" || fail "artifacts differ"
tot=0
for k in 1 2 3; do tot=$((tot + $(jq '.runs[0].artifacts | map(select(.location.uri | startswith("src/"))) | length' s$k.sarif))); done
[ "$tot" = 3 ] && pass "each TU in exactly one shard" || fail "shards cover $tot TUs"
expect_exit 2 "merge of a missing file" -- "$A" merge -o m2.sarif nope.sarif
expect_one_line_error "nope.sarif"
[ -e m2.sarif ] && fail "merge wrote output on bad input" || pass "merge: no output on bad input"
finish
