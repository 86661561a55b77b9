#!/usr/bin/env bash
# sdl-gate: unusable or hostile input ends with exit 2, one line on stderr
# naming the file, and no package or output written. Also the read-only
# commands (catalog, explain, checks).
. "$SDL_TESTS_DIR/e2e/lib.sh"
FIX="$SDL_TESTS_DIR/fixtures/gate"
. "$FIX/repo.sh"
NOW=2026-03-01T00:00:00Z

R="$E2E_TMP/repo"
build_base "$R"

# bad CASE-NAME FILE-MENTION -- COMMAND...: exit 2, one line naming the file, nothing written
bad() {
	local what=$1 mention=$2; shift 3
	rm -rf "$E2E_TMP/pkg" "$E2E_TMP/out.json"
	expect_exit 2 "$what" -- "$@" --package "$E2E_TMP/pkg" -o "$E2E_TMP/out.json" && expect_one_line_error "$mention"
	[ -e "$E2E_TMP/pkg" ] && fail "$what: a package was written"
	[ -e "$E2E_TMP/out.json" ] && fail "$what: an output was written"
	ls "$E2E_TMP" | grep -q '^pkg\.tmp-' && fail "$what: temporary package left behind"
	return 0
}
G() { "$SDL_GATE" evaluate --repo "$R" --now "$NOW" "$@"; }
POL="$SDL_SOURCE_DIR/rules/policy/ml3-default.json"

# policies
printf '{ "schema": "sdl-gate-policy/1",\n  "catalog": "iec62443-4-1"\n  "requirements": {} }\n' >"$E2E_TMP/malformed.json"
bad "malformed policy" "malformed.json:3:" -- G --policy "$E2E_TMP/malformed.json"
jq '.requirements["SM-99"] = {"checks": ["git.reviewed"]}' "$POL" >"$E2E_TMP/unknown-req.json"
bad "unknown requirement id in the policy" "unknown-req.json:" -- G --policy "$E2E_TMP/unknown-req.json"
grep -q 'unknown-req.json:[0-9]*:[0-9]*: unknown requirement id "SM-99"' "$E2E_TMP/err" || fail "no file:line:col for SM-99"
jq '.requirements["SI-1"].checks += ["sarif.magic"]' "$POL" >"$E2E_TMP/unknown-check.json"
bad "unknown check in the policy" "unknown-check.json:" -- G --policy "$E2E_TMP/unknown-check.json"
jq '.requirements["SI-1"] = {"applicable": false}' "$POL" >"$E2E_TMP/na-noreason.json"
bad "not applicable without reason" "na-noreason.json:" -- G --policy "$E2E_TMP/na-noreason.json"
jq '.requirements["SI-1"].checks += ["doc.nosuch"]' "$POL" >"$E2E_TMP/undef-doc.json"
bad "document check without definition" "undef-doc.json:" -- G --policy "$E2E_TMP/undef-doc.json"
jq '.settings.vuln_severity = 11' "$POL" >"$E2E_TMP/bad-setting.json"
bad "out-of-range setting" "bad-setting.json:" -- G --policy "$E2E_TMP/bad-setting.json"
jq '.catalog = "iec62443-4-2"' "$POL" >"$E2E_TMP/other-cat.json"
bad "policy for another catalogue" "other-cat.json:" -- G --policy "$E2E_TMP/other-cat.json"
bad "missing policy file" "nosuch.json" -- G --policy "$E2E_TMP/nosuch.json"
jq '.requirements[0].id = "SM-1<script>"' "$SDL_SOURCE_DIR/rules/catalog/iec62443-4-1.json" >"$E2E_TMP/cat.json"
bad "catalogue with a hostile id" "cat.json:" -- G --catalog "$E2E_TMP/cat.json"

# evidence named by the user must exist and parse
bad "missing SARIF given on the command line" "nosuch.sarif" -- G --sarif "$E2E_TMP/nosuch.sarif"
cp -r "$R" "$E2E_TMP/r2"
jq '.evidence.sbom = "evidence/gone.cdx.json"' "$R/.sdl-gate.json" >"$E2E_TMP/r2/.sdl-gate.json"
bad "missing evidence file named in the project file" "evidence/gone.cdx.json" -- \
	"$SDL_GATE" evaluate --repo "$E2E_TMP/r2" --now "$NOW"
jq '.evidence.sbom = "../../etc/passwd"' "$R/.sdl-gate.json" >"$E2E_TMP/r2/.sdl-gate.json"
bad "project path leaving the repository" ".sdl-gate.json" -- "$SDL_GATE" evaluate --repo "$E2E_TMP/r2" --now "$NOW"
echo '{"schema": "sdl-gate-project/1", "evidence": {"sarif": 7}}' >"$E2E_TMP/r2/.sdl-gate.json"
bad "project with a wrong type" ".sdl-gate.json" -- "$SDL_GATE" evaluate --repo "$E2E_TMP/r2" --now "$NOW"

# allowed signers, tracker export, scoping file: malformed = bad input, file:line where known
printf 'ok@example.com %s\nbad@example.com ssh-ed25519 !!notbase64\n' "$(cut -d' ' -f1,2 "$KEY.pub")" >"$E2E_TMP/signers"
bad "malformed allowed signers" "signers:2: key data is not base64" -- G --allowed-signers "$E2E_TMP/signers"
printf 'a@b frobnicate ssh-ed25519 AAAA\n' >"$E2E_TMP/signers"
bad "allowed signers with an unknown option" "signers:1: unknown option 'frobnicate'" -- G --allowed-signers "$E2E_TMP/signers"
bad "missing allowed signers given on the command line" "nosuch-signers" -- G --allowed-signers "$E2E_TMP/nosuch-signers"
echo '[{"number": 1, "title": "no state"}]' >"$E2E_TMP/issues.json"
bad "tracker entry without a state" "issues.json: issue #1 has no \"state\"" -- G --tracker "$E2E_TMP/issues.json"
echo '{"issues": []}' >"$E2E_TMP/issues.json"
bad "tracker export of unknown shape" "not a tracker export" -- G --tracker "$E2E_TMP/issues.json"
printf '[{"number": 1,\n "state": }]\n' >"$E2E_TMP/issues.json"
bad "malformed tracker JSON" "issues.json:2:" -- G --tracker "$E2E_TMP/issues.json"
echo '{"schema": "sdl-gate-scoping/0", "requirements": {}}' >"$E2E_TMP/scoping.json"
bad "scoping file with a wrong schema" "not a scoping file" -- G --scoping "$E2E_TMP/scoping.json"
cp -r "$R" "$E2E_TMP/r3"
jq '.evidence.tracker = "evidence/gone.json"' "$R/.sdl-gate.json" >"$E2E_TMP/r3/.sdl-gate.json"
bad "missing tracker export named in the project file" "evidence/gone.json" -- "$SDL_GATE" evaluate --repo "$E2E_TMP/r3" --now "$NOW"
jq '.settings.signatures = "maybe"' "$POL" >"$E2E_TMP/bad-sig-setting.json"
bad "unknown signatures setting" "bad-sig-setting.json:" -- G --policy "$E2E_TMP/bad-sig-setting.json"

# hostile XML: any DOCTYPE (XXE, billion laughs) is refused
cat >"$E2E_TMP/xxe.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE testsuite [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<testsuite><testcase name="&xxe;"/></testsuite>
EOF
bad "JUnit with an XXE DOCTYPE" "xxe.xml:2" -- G --junit "$E2E_TMP/xxe.xml"
cat >"$E2E_TMP/lol.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<testsuite><testcase name="&lol2;"/></testsuite>
EOF
bad "JUnit billion laughs" "lol.xml" -- G --junit "$E2E_TMP/lol.xml"
printf '<testsuite><testcase name="a">' >"$E2E_TMP/trunc.xml"
bad "truncated JUnit" "trunc.xml:1:" -- G --junit "$E2E_TMP/trunc.xml"
{ printf '<testsuite>'; for i in $(seq 100); do printf '<a>'; done; } >"$E2E_TMP/deep.xml"
bad "deeply nested XML" "deep.xml" -- G --junit "$E2E_TMP/deep.xml"

# hostile JSON
{ for i in $(seq 200); do printf '['; done; for i in $(seq 200); do printf ']'; done; } >"$E2E_TMP/deep.json"
bad "deeply nested SBOM" "deep.json" -- G --sbom "$E2E_TMP/deep.json"
echo '{"version": "2.1.0"}' >"$E2E_TMP/notsarif.sarif"
bad "SARIF without runs" "notsarif.sarif" -- G --sarif "$E2E_TMP/notsarif.sarif"
echo '{"bomFormat": "SPDX"}' >"$E2E_TMP/notcdx.json"
bad "SBOM that is not CycloneDX" "notcdx.json" -- G --sbom "$E2E_TMP/notcdx.json"
printf '{"schema":"sdl-gate-waivers/1","waivers":[{"id":"W","requirement":"XX-1","owner":"a","approver":"b","reason":"r","expires":"2026-04-01"}]}' >"$E2E_TMP/w.json"
bad "waiver for an unknown requirement" "w.json" -- G --waivers "$E2E_TMP/w.json"
printf 'not json' >"$E2E_TMP/r3.json"
cp -r "$R" "$E2E_TMP/r3"; cp "$E2E_TMP/r3.json" "$E2E_TMP/r3/records/attestations/ATT-099.json"
bad "malformed attestation" "ATT-099.json:1:" -- "$SDL_GATE" evaluate --repo "$E2E_TMP/r3" --now "$NOW"
rm "$E2E_TMP/r3/records/attestations/ATT-099.json"
ln -s /etc/passwd "$E2E_TMP/r3/records/attestations/link.json"
bad "symlink among the records" "link.json" -- "$SDL_GATE" evaluate --repo "$E2E_TMP/r3" --now "$NOW"
rm "$E2E_TMP/r3/records/attestations/link.json"
ln -sf /etc/passwd "$E2E_TMP/r3/docs/security/hardening-guide.md"
bad "document symlinked out of the repository" "hardening-guide.md" -- "$SDL_GATE" evaluate --repo "$E2E_TMP/r3" --now "$NOW"
rm "$E2E_TMP/r3/docs/security/hardening-guide.md"
mv "$E2E_TMP/r3/evidence/junit.xml" "$E2E_TMP/outside.xml" && ln -s "$E2E_TMP/outside.xml" "$E2E_TMP/r3/evidence/junit.xml"
bad "evidence symlinked out of the repository" "evidence/junit.xml" -- "$SDL_GATE" evaluate --repo "$E2E_TMP/r3" --now "$NOW"
bad "bad --now" "--now" -- G --now yesterday
bad "no such repository" "nosuchdir" -- "$SDL_GATE" evaluate --repo "$E2E_TMP/nosuchdir"

# read-only commands
expect_exit 0 "catalog" -- "$SDL_GATE" catalog
[ "$(grep -c '^[A-Z]*-[0-9]' "$E2E_TMP/out")" = 47 ] && pass "47 requirements listed" || fail "catalog does not list 47"
expect_exit 0 "catalog CRA" -- "$SDL_GATE" catalog --catalog "$SDL_SOURCE_DIR/rules/catalog/cra-annex-i.json"
grep -q "^II.6" "$E2E_TMP/out" || fail "CRA catalogue not listed"
expect_exit 0 "explain SI-1" -- "$SDL_GATE" explain SI-1
grep -q "check sarif.coverage" "$E2E_TMP/out" || fail "explain does not show the policy's checks"
expect_exit 2 "explain unknown id" -- "$SDL_GATE" explain XX-9
expect_one_line_error "XX-9"
expect_exit 0 "checks" -- "$SDL_GATE" checks
for id in $(cut -d' ' -f1 "$E2E_TMP/out" | grep -v '^doc\.'); do
	[ -f "$SDL_SOURCE_DIR/docs/gate/$id.md" ] || fail "check $id has no page docs/gate/$id.md"
done
[ -f "$SDL_SOURCE_DIR/docs/gate/doc.md" ] || fail "no page for document checks"
expect_exit 2 "unknown command" -- "$SDL_GATE" frobnicate
expect_exit 2 "verify without package" -- "$SDL_GATE" verify
finish
