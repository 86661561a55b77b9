#!/bin/bash
# OSV GIT ranges decided by ancestry in the submodule's upstream repository,
# through the CLI: an upstream history with the vulnerability introduced at
# one commit and fixed at a later one (and a side branch that never merged the
# fix); the product's submodule is moved from commit to commit and each scan
# must say affected or not. Without the upstream history the record is not
# decided (listed as not examined), never guessed.
source "$SDL_TESTS_DIR/e2e/lib.sh"
URL="https://example.org/acme/libup.git"
U="$E2E_TMP/libup"
new_repo "$U"
c() { echo "$1" >"$U/up.c" && git -C "$U" add -A && git -C "$U" commit -qm "$1" && git -C "$U" rev-parse HEAD; }
base=$(c base)
intro=$(c "introduce the bug")
mid=$(c "unrelated change")
git -C "$U" branch -q side "$mid"
fixed=$(c "fix the bug")
after=$(c "later work")
git -C "$U" checkout -q side
side=$(c "side branch without the fix")
git -C "$U" checkout -q -

V="$E2E_TMP/osv"
mkdir -p "$V"
cat >"$V/OSV-TEST-ancestry.json" <<J
{ "id": "OSV-TEST-ANCESTRY", "summary": "introduced and fixed by commit",
  "affected": [ { "ranges": [ { "type": "GIT", "repo": "https://example.org/acme/libup",
    "events": [ { "introduced": "$intro" }, { "fixed": "$fixed" } ] } ] } ] }
J

R="$E2E_TMP/product"
new_repo "$R"
git -C "$R" -c protocol.file.allow=always submodule --quiet add "$U" libs/up
git -C "$R" config -f .gitmodules submodule.libs/up.url "$URL"
git -C "$R" add .gitmodules && git -C "$R" commit -qm "add libup"
O="$E2E_TMP/o.json"

# at: move the submodule to commit $2, scan, expect affected ($3 = 1) or not (0)
at() {
	git -C "$R/libs/up" checkout -q "$2"
	git -C "$R" add libs/up && git -C "$R" commit -qm "libup at $1" --allow-empty
	expect_exit 0 "scan at $1" -- "$SDL_SBOM" --repo "$R" --no-cache --vulns "$V" -o "$O"
	n=$(jq '[.vulnerabilities[]? | select(.id == "OSV-TEST-ANCESTRY")] | length' "$O")
	[ "$n" = "$3" ] && pass "$1: affected=$3" || fail "$1: expected affected=$3, got $n matches"
}
at "before the introducing commit" "$base" 0
at "the introducing commit" "$intro" 1
at "after introduced, before the fix" "$mid" 1
at "the fixing commit" "$fixed" 0
at "after the fix" "$after" 0
at "side branch that never merged the fix" "$side" 1
validate_cyclonedx "$O"

# without the upstream history: not decided, named, the SBOM marked incomplete
rm -rf "$R/.git/modules/libs/up" "$R/libs/up"
expect_exit 0 "scan without the upstream history" -- "$SDL_SBOM" --repo "$R" --no-cache --vulns "$V" -o "$O"
n=$(jq '[.vulnerabilities[]? | select(.id == "OSV-TEST-ANCESTRY")] | length' "$O")
[ "$n" = 0 ] && pass "undecided record not reported as a match" || fail "guessed affected without history"
grep -q "OSV-TEST-ANCESTRY.*cannot decide" "$E2E_TMP/err" && pass "undecided record named on stderr" ||
	fail "no 'cannot decide' warning: $(cat "$E2E_TMP/err")"
jq -e '.compositions[0].aggregate == "incomplete"' "$O" >/dev/null && pass "SBOM marked incomplete" ||
	fail "composition should be incomplete"
finish
