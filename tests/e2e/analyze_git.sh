#!/usr/bin/env bash
# sdl-analyze with git: --staged reads the index (partially staged files,
# headers included) and changes nothing; --diff-base keeps findings on changed
# lines; --baseline marks results new/unchanged; inline suppressions stay in
# SARIF with their justification.
. "$SDL_TESTS_DIR/e2e/lib.sh"
. "$SDL_TESTS_DIR/fixtures/analyze/make_project.sh"
A=$SDL_ANALYZE
P=$E2E_TMP/proj
make_project "$P"
cd "$P" || exit 1
new_repo "$P"
printf 'build/\n' >.gitignore
git add -A && git commit -qm initial

# --staged: the index has a bug the work tree no longer has, and vice versa
cat >src/clean.c <<'C'
#include <stdio.h>
#include "util.h"
int clean(const char *s)
{
	char b[8];
	copy_name(b, s);
	return printf("%s\n", b);
}
C
git add src/clean.c
cat >src/clean.c <<'C'
#include <stdio.h>
int clean(const char *s)
{
	char *g = getenv("X");
	return printf("%s %s\n", s, g);
}
C
# a header change staged, then reverted in the work tree
sed -i 's/strcpy(dst, src);/strcpy(dst, src); sprintf(dst, "%s", src);/' include/util.h
git add include/util.h
git show HEAD:include/util.h >include/util.h
before_index=$(sha256sum .git/index)
before_tree=$(git status --porcelain | sha256sum)
expect_exit 1 "--staged" -- "$A" -p build --root "$P" --staged --format json -o "$E2E_TMP/st.json"
jq -e '.results[] | select(.rule=="banned-function" and (.message | test("sprintf")))' "$E2E_TMP/st.json" >/dev/null \
	&& pass "staged header content analysed" || fail "staged header not seen: $(jq -c .results "$E2E_TMP/st.json")"
[ "$(sha256sum .git/index)" = "$before_index" ] && pass "index unchanged" || fail "--staged changed the index"
[ "$(git status --porcelain | sha256sum)" = "$before_tree" ] && pass "work tree unchanged" || fail "work tree changed"
[ -e build/.sdl-analyze-cache ] && fail "--staged wrote a cache" || pass "--staged wrote nothing"
expect_exit 1 "work tree, not staged" -- "$A" -p build --root "$P" --no-cache --format json -o "$E2E_TMP/wt.json"
jq -e '.results[] | select(.message | test("sprintf"))' "$E2E_TMP/wt.json" >/dev/null \
	&& fail "work-tree run saw staged content" || pass "work-tree run reads the work tree"
git commit -qm staged
git show HEAD:src/clean.c >src/clean.c
git show HEAD:include/util.h >include/util.h

# --diff-base: only findings on lines changed since the base
base=$(git rev-parse HEAD)
cat >>src/net.c <<'C'
int more(char *d, const char *s)
{
	return sprintf(d, "%s", s);
}
C
expect_exit 1 "--diff-base" -- "$A" -p build --root "$P" --no-cache --diff-base "$base" --format json -o "$E2E_TMP/d.json"
[ "$(jq '.results | length' "$E2E_TMP/d.json")" = 1 ] && [ "$(jq -r '.results[0].path' "$E2E_TMP/d.json")" = src/net.c ] \
	&& pass "diff-base keeps only the changed line" || fail "diff-base: $(jq -c .results "$E2E_TMP/d.json")"
expect_exit 2 "--diff-base with a bad revision" -- "$A" -p build --root "$P" --no-cache --diff-base no-such-rev
expect_one_line_error "no-such-rev"

# --baseline: fingerprints survive lines moving
expect_exit 1 "baseline run" -- "$A" -p build --root "$P" --no-cache --format sarif -o "$E2E_TMP/base.sarif"
sed -i '1i /* a new first line moves everything down */' src/main.c
cat >>src/main.c <<'C'
int extra(const char *c) { return system(c); }
C
expect_exit 0 "run against the baseline (nothing new)" -- "$A" -p build --root "$P" --no-cache --baseline "$E2E_TMP/base.sarif" --format sarif -o "$E2E_TMP/new.sarif"
validate_sarif "$E2E_TMP/new.sarif"
nnew=$(jq '[.runs[0].results[] | select(.baselineState=="new")] | length' "$E2E_TMP/new.sarif")
nunch=$(jq '[.runs[0].results[] | select(.baselineState=="unchanged")] | length' "$E2E_TMP/new.sarif")
nbase=$(jq '.runs[0].results | length' "$E2E_TMP/base.sarif")
[ "$nnew" = 0 ] && [ "$nunch" = "$nbase" ] && pass "moved findings are unchanged, none new" \
	|| fail "baseline states: new=$nnew unchanged=$nunch (base $nbase)"
expect_exit 0 "text shows only new results (none at error level here)" -- "$A" -p build --root "$P" --no-cache --baseline "$E2E_TMP/base.sarif" --fail-on error src/net.c
git show HEAD:src/main.c >src/main.c
printf 'int extra(const char *c) { return system(c); }\n' >>src/main.c
printf 'int main2(void) { return extra(getenv("CMD")); }\n' >>src/main.c
expect_exit 1 "a new bug against the baseline" -- "$A" -p build --root "$P" --no-cache --baseline "$E2E_TMP/base.sarif"
[ "$(grep -c 'command-injection' "$E2E_TMP/out")" = 1 ] && pass "only the new finding is printed" \
	|| fail "baseline text: $(cat "$E2E_TMP/out")"
expect_exit 2 "--baseline missing file" -- "$A" -p build --root "$P" --no-cache --baseline "$E2E_TMP/none.sarif"
expect_one_line_error "none.sarif"

# suppressions stay in SARIF with their justification
git show HEAD:src/main.c >src/main.c
sed -i 's|return system(argv\[1\]);|/* sdl-allow(command-injection): argv[1] is a fixed tool name checked by the caller */\n\treturn system(argv[1]);|' src/main.c
expect_exit 1 "suppressed run" -- "$A" -p build --root "$P" --no-cache --format sarif -o "$E2E_TMP/sup.sarif"
validate_sarif "$E2E_TMP/sup.sarif"
jq -e '.runs[0].results[] | select(.ruleId=="command-injection") | .suppressions[0].justification | test("fixed tool name")' \
	"$E2E_TMP/sup.sarif" >/dev/null && pass "suppression kept with justification" || fail "suppression not in SARIF"
expect_exit 1 "text hides suppressed" -- "$A" -p build --root "$P" --no-cache src/main.c
grep -q command-injection "$E2E_TMP/out" && fail "suppressed finding printed" || pass "suppressed finding not printed"
# --root defaults to the work tree around the compile database, wherever we run from
git add -A && git commit -qm state
( cd "$E2E_TMP" && "$A" -p "$P/build" --no-cache >"$E2E_TMP/far.out" 2>"$E2E_TMP/far.err" )
[ $? = 1 ] && grep -q '^include/util.h:' "$E2E_TMP/far.out" && ! grep -q '^proj/' "$E2E_TMP/far.out" && pass "-p from elsewhere reports the project's files" \
	|| fail "-p from elsewhere: $(cat "$E2E_TMP/far.out" "$E2E_TMP/far.err")"

# --staged reads the index git names in GIT_INDEX_FILE (git commit -a / git commit PATH)
cp .git/index "$E2E_TMP/alt-index"
printf '#include <string.h>\nvoid alt(char *d, const char *s) { strcpy(d, s); }\n' >src/clean.c
GIT_INDEX_FILE=$E2E_TMP/alt-index git add src/clean.c
git show HEAD:src/clean.c >src/clean.c
expect_exit 1 "--staged with GIT_INDEX_FILE" -- env GIT_INDEX_FILE="$E2E_TMP/alt-index" "$A" -p build --root "$P" --no-cache --staged
grep -q "^src/clean.c:2:.*strcpy" "$E2E_TMP/out" && pass "the GIT_INDEX_FILE index is analysed" \
	|| fail "GIT_INDEX_FILE ignored: $(cat "$E2E_TMP/out" "$E2E_TMP/err")"
expect_exit 0 "--staged without GIT_INDEX_FILE: .git/index" -- "$A" -p build --root "$P" --no-cache --staged
grep -q "src/clean.c" "$E2E_TMP/out" && fail "the default index shows the other index's content" || pass "default index unchanged"
expect_exit 2 "GIT_INDEX_FILE naming a non-index" -- env GIT_INDEX_FILE="$P/src/main.c" "$A" -p build --root "$P" --no-cache --staged
finish
