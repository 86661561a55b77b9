#!/usr/bin/env bash
# sdl-gate: evaluate -> package -> verify -> tamper -> verify fails; signed
# manifests; reproducible packages; outputs validated (SARIF schema, JUnit
# well-formed, HTML self-contained).
. "$SDL_TESTS_DIR/e2e/lib.sh"
FIX="$SDL_TESTS_DIR/fixtures/gate"
. "$FIX/repo.sh"
NOW=2026-03-01T00:00:00Z
export SOURCE_DATE_EPOCH=1772323200 # 2026-03-01

R="$E2E_TMP/repo"
build_base "$R"
P="$E2E_TMP/pkg"

expect_exit 0 "evaluate with package" -- "$SDL_GATE" evaluate --repo "$R" --package "$P" \
	--sarif-out "$E2E_TMP/gate.sarif" --junit-out "$E2E_TMP/gate.junit.xml" \
	--report-html "$E2E_TMP/report.html" --json-out "$E2E_TMP/d.json" -o "$E2E_TMP/report.md"
grep -q "manifest sha256 [0-9a-f]\{64\}" "$E2E_TMP/err" || fail "manifest digest not printed for anchoring"
expect_exit 0 "verify intact package" -- "$SDL_GATE" verify "$P"
grep -q "^intact: " "$E2E_TMP/out" || fail "verify does not say intact"
for f in manifest.json decision.json report.md report.html junit.xml gate.sarif \
	inputs/evidence/analyze.sarif inputs/evidence/sbom.cdx.json inputs/evidence/junit.xml \
	inputs/records/attestations/ATT-011.json inputs/docs/security/threat-model.md \
	inputs/.sdl-gate.json; do
	[ -f "$P/$f" ] || fail "package lacks $f"
done
jq -e '.commits | length == 1 and .[0].reviewed and .[0].signed' "$P/git-range.json" >/dev/null \
	&& pass "git-range.json records the release range" || fail "git-range.json missing or wrong"
jq -e '.tools["sdl-gate"] and .tools.libgit2 and .tools.expat and .release_commit and .policy.sha256' \
	"$P/manifest.json" >/dev/null || fail "manifest lacks tool versions, release commit or policy digest"

# Outputs in their formats.
validate_sarif "$E2E_TMP/gate.sarif"
validate_sarif "$P/gate.sarif"
xmllint --noout "$E2E_TMP/gate.junit.xml" && pass "gate JUnit is well-formed" || fail "gate JUnit malformed"
[ "$(grep -c '<testcase ' "$E2E_TMP/gate.junit.xml")" = 47 ] && pass "47 test cases" || fail "JUnit does not hold 47 test cases"
[ "$(grep -c '<tr id="req-' "$E2E_TMP/report.html")" = 47 ] && pass "47 requirement rows" || fail "HTML lacks requirement rows"
grep -q '<svg' "$E2E_TMP/report.html" || fail "HTML has no picture"
if grep -Eiq '<script|src=|<link|url\(|@import|href="(https?:)?//' "$E2E_TMP/report.html"; then
	fail "HTML loads something from outside"
else
	pass "HTML is self-contained"
fi
xmllint --html --noout "$E2E_TMP/report.html" 2>/dev/null && pass "HTML parses" || fail "HTML does not parse"

# Reproducible: the same inputs and SOURCE_DATE_EPOCH give the same bytes.
expect_exit 0 "second package" -- "$SDL_GATE" evaluate --repo "$R" --package "$E2E_TMP/pkg2" -o "$E2E_TMP/md2"
diff -r "$P" "$E2E_TMP/pkg2" >/dev/null && pass "two packages are identical" || fail "packages differ"
# Re-writing over an earlier package replaces it atomically.
expect_exit 0 "package over an earlier package" -- "$SDL_GATE" evaluate --repo "$R" --package "$E2E_TMP/pkg2" -o -
ls "$E2E_TMP" | grep -q 'pkg2\.\(tmp\|old\)-' && fail "temporary directories left behind"

# Tampering: a changed byte, an added file, a removed file, a symlink.
tamper() { # WHAT COMMAND...: copy, apply, verify must fail naming the file
	local what=$1; shift
	rm -rf "$E2E_TMP/t"; cp -r "$P" "$E2E_TMP/t"
	(cd "$E2E_TMP/t" && eval "$@")
	expect_exit 1 "verify detects: $what" -- "$SDL_GATE" verify "$E2E_TMP/t"
}
tamper "changed byte in an input" 'printf "x" | dd of=inputs/evidence/junit.xml bs=1 seek=10 conv=notrunc 2>/dev/null'
grep -q "changed: inputs/evidence/junit.xml" "$E2E_TMP/out" || fail "changed file not named"
tamper "changed byte in the decision" 'sed -i "s/\"release\"/\"rElease\"/" decision.json'
grep -q "changed: decision.json" "$E2E_TMP/out" || fail "changed decision not named"
tamper "added file" 'echo extra > inputs/extra.txt'
grep -q "added: inputs/extra.txt" "$E2E_TMP/out" || fail "added file not named"
tamper "removed file" 'rm report.md'
grep -q "missing: report.md" "$E2E_TMP/out" || fail "removed file not named"
tamper "symlink" 'ln -s /etc/passwd inputs/link'
grep -q "symlink: inputs/link" "$E2E_TMP/out" || fail "symlink not named"
tamper "truncated file" ': > junit.xml'

# A hostile manifest: paths that leave the package are refused (exit 2).
rm -rf "$E2E_TMP/t"; cp -r "$P" "$E2E_TMP/t"
jq '.files[0].path = "../../etc/passwd"' "$P/manifest.json" >"$E2E_TMP/t/manifest.json"
expect_exit 2 "manifest with ../ path" -- "$SDL_GATE" verify "$E2E_TMP/t"
expect_one_line_error "manifest.json"
jq '.files[0].path = "/etc/passwd"' "$P/manifest.json" >"$E2E_TMP/t/manifest.json"
expect_exit 2 "manifest with absolute path" -- "$SDL_GATE" verify "$E2E_TMP/t"
expect_exit 2 "verify a directory without manifest" -- "$SDL_GATE" verify "$E2E_TMP"
expect_one_line_error "manifest.json"

# Signed manifest (Ed25519).
openssl genpkey -algorithm ed25519 -out "$E2E_TMP/k.pem" 2>/dev/null
openssl pkey -in "$E2E_TMP/k.pem" -pubout -out "$E2E_TMP/k.pub" 2>/dev/null
openssl genpkey -algorithm ed25519 -out "$E2E_TMP/other.pem" 2>/dev/null
openssl pkey -in "$E2E_TMP/other.pem" -pubout -out "$E2E_TMP/other.pub" 2>/dev/null
expect_exit 0 "signed package" -- "$SDL_GATE" evaluate --repo "$R" --package "$E2E_TMP/spkg" --sign-key "$E2E_TMP/k.pem" -o -
[ -f "$E2E_TMP/spkg/manifest.sig" ] || fail "no manifest.sig"
expect_exit 0 "signature verifies" -- "$SDL_GATE" verify "$E2E_TMP/spkg" --key "$E2E_TMP/k.pub"
grep -q "signature verified" "$E2E_TMP/out" || fail "verify does not report the signature"
expect_exit 1 "wrong key refused" -- "$SDL_GATE" verify "$E2E_TMP/spkg" --key "$E2E_TMP/other.pub"
grep -q "bad signature" "$E2E_TMP/out" || fail "bad signature not reported"
# Tamper with the manifest itself and re-hash nothing: the signature catches it.
rm -rf "$E2E_TMP/t"; cp -r "$E2E_TMP/spkg" "$E2E_TMP/t"
sed -i 's/"no_release"/"release"/; s/"decision": "release"/"decision": "releas3"/' "$E2E_TMP/t/manifest.json"
expect_exit 1 "tampered manifest fails the signature" -- "$SDL_GATE" verify "$E2E_TMP/t" --key "$E2E_TMP/k.pub"
rm "$E2E_TMP/t/manifest.sig"
expect_exit 1 "missing signature with --key" -- "$SDL_GATE" verify "$E2E_TMP/t" --key "$E2E_TMP/k.pub"
expect_exit 2 "a private key is not a public key" -- "$SDL_GATE" verify "$E2E_TMP/spkg" --key "$E2E_TMP/k.pem"
expect_one_line_error "k.pem"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$E2E_TMP/rsa.pem" 2>/dev/null
expect_exit 2 "non-Ed25519 signing key refused" -- "$SDL_GATE" evaluate --repo "$R" --package "$E2E_TMP/rpkg" --sign-key "$E2E_TMP/rsa.pem" -o -
expect_one_line_error "rsa.pem"
[ -e "$E2E_TMP/rpkg" ] && fail "a package was written despite the bad key"
ls "$E2E_TMP" | grep -q 'rpkg\.tmp-' && fail "temporary package left behind"

# The target is some other directory: never replaced.
mkdir -p "$E2E_TMP/precious" && echo keep >"$E2E_TMP/precious/file"
expect_exit 2 "refuse to replace a non-package directory" -- "$SDL_GATE" evaluate --repo "$R" --package "$E2E_TMP/precious" -o -
[ -f "$E2E_TMP/precious/file" ] || fail "non-package directory was touched"

# The archive form (libarchive): reproducible, verified, tamper-evident, hostile entries refused.
expect_exit 0 "archive package" -- "$SDL_GATE" evaluate --repo "$R" --package "$E2E_TMP/p1.tar.gz" -o -
expect_exit 0 "archive package again" -- "$SDL_GATE" evaluate --repo "$R" --package "$E2E_TMP/p2.tar.gz" -o -
cmp -s "$E2E_TMP/p1.tar.gz" "$E2E_TMP/p2.tar.gz" && pass "two archives are byte-identical" || fail "archives differ"
expect_exit 0 "verify archive" -- "$SDL_GATE" verify "$E2E_TMP/p1.tar.gz"
ls "$E2E_TMP" | grep -q 'p1\.tar\.gz\.tmp-' && fail "temporary directory left behind"
retar() { # OUT PYTHON-BODY: rewrite p1.tar.gz entry by entry (m = member, data = bytes or None)
	python3 - "$E2E_TMP/p1.tar.gz" "$1" "$2" <<'EOF'
import io, sys, tarfile
src, dst, body = sys.argv[1:4]
with tarfile.open(src, "r:gz") as i, tarfile.open(dst, "w:gz") as o:
    extra = []
    for m in i.getmembers():
        data = i.extractfile(m).read() if m.isfile() else None
        exec(body)
        if m is None:
            continue
        o.addfile(m, io.BytesIO(data) if data is not None else None)
    for m, data in extra:
        o.addfile(m, io.BytesIO(data) if data is not None else None)
EOF
}
retar "$E2E_TMP/t1.tar.gz" 'data = data.replace(b"SEC-REQ-1", b"SEC-REQ-9") if m.name == "inputs/evidence/junit.xml" else data'
expect_exit 1 "archive: changed input detected" -- "$SDL_GATE" verify "$E2E_TMP/t1.tar.gz"
grep -q "changed: inputs/evidence/junit.xml" "$E2E_TMP/out" || fail "changed archive entry not named"
retar "$E2E_TMP/t2.tar.gz" 'm = None if m.name == "report.md" else m'
expect_exit 1 "archive: removed file detected" -- "$SDL_GATE" verify "$E2E_TMP/t2.tar.gz"
retar "$E2E_TMP/t3.tar.gz" '
if m.name == "report.md":
    n = tarfile.TarInfo("../../escape.txt"); n.size = 2; extra.append((n, b"x\n"))'
expect_exit 2 "archive: ../ entry refused" -- "$SDL_GATE" verify "$E2E_TMP/t3.tar.gz"
expect_one_line_error "t3.tar.gz"
[ -e "$E2E_TMP/../escape.txt" ] && fail "an entry was written outside"
retar "$E2E_TMP/t4.tar.gz" '
if m.name == "report.md":
    n = tarfile.TarInfo("inputs/link"); n.type = tarfile.SYMTYPE; n.linkname = "/etc/passwd"; extra.append((n, None))'
expect_exit 2 "archive: symlink entry refused" -- "$SDL_GATE" verify "$E2E_TMP/t4.tar.gz"
expect_one_line_error "t4.tar.gz"
head -c 300 "$E2E_TMP/p1.tar.gz" >"$E2E_TMP/t5.tar.gz"
expect_exit 2 "archive: truncated archive refused" -- "$SDL_GATE" verify "$E2E_TMP/t5.tar.gz"
expect_one_line_error "t5.tar.gz"
expect_exit 0 "signed archive" -- "$SDL_GATE" evaluate --repo "$R" --package "$E2E_TMP/s.tar.gz" --sign-key "$E2E_TMP/k.pem" -o -
expect_exit 0 "signed archive verifies" -- "$SDL_GATE" verify "$E2E_TMP/s.tar.gz" --key "$E2E_TMP/k.pub"
expect_exit 1 "signed archive, wrong key" -- "$SDL_GATE" verify "$E2E_TMP/s.tar.gz" --key "$E2E_TMP/other.pub"

expect_exit 0 "package command" -- "$SDL_GATE" package --repo "$R" -o "$E2E_TMP/p3.tar.gz"
cmp -s "$E2E_TMP/p1.tar.gz" "$E2E_TMP/p3.tar.gz" && pass "package command writes the same archive" || fail "package command differs"
[ -s "$E2E_TMP/out" ] && fail "package command printed a report on stdout"
expect_exit 2 "package without -o" -- "$SDL_GATE" package --repo "$R"

# Previous release comparison in the HTML.
(cd "$R" && unsuppress)
expect_exit 1 "evaluate against the previous package" -- "$SDL_GATE" evaluate --repo "$R" --previous "$P" --format html -o "$E2E_TMP/delta.html"
grep -q 'class="worse">SI-1: met &rarr; not_met' "$E2E_TMP/delta.html" && pass "HTML shows what got worse" || fail "HTML lacks the comparison"
finish
