#!/usr/bin/env bash
# The bad-input matrix of issue 7: malformed and hostile inputs across the
# three tools. Every row asserts exit 2, exactly one line on stderr naming the
# file, no hang (120 s), no sanitizer report, and no output created or changed:
# each row runs twice, once without the output file and once with an old one
# of known content, and the output directory must be unchanged both times.
#
# The rows complement the per-tool tests (analyze_cli.sh, sbom_bad_input.sh,
# gate_badinput.sh): docs/robustness.md lists both. Inputs are generated here
# (hostile files are large or need git), a few static ones live in
# tests/fixtures/robust/.
. "$SDL_TESTS_DIR/e2e/lib.sh"
FIXR="$SDL_TESTS_DIR/fixtures/robust"
FIX="$SDL_TESTS_DIR/fixtures/gate"
. "$FIX/repo.sh"
NOW=2026-03-01T00:00:00Z
I="$E2E_TMP/in"   # inputs
O="$E2E_TMP/o"    # output directory
mkdir -p "$I"
declare -A COUNT=([analyze]=0 [sbom]=0 [gate]=0 [verify]=0)

snapshot() { (cd "$1" && find . -print0 | LC_ALL=C sort -z | while IFS= read -r -d '' f; do
	if [ -f "$f" ] && [ ! -L "$f" ]; then printf '%s %s\n' "$f" "$(sha256sum <"$f" | cut -c1-64)"
	else printf '%s\n' "$f"; fi; done); }

# bad TOOL NAME MENTION -- ARGS...: TOOL is analyze, sbom, gate (evaluate on
# the gate fixture repository, with --package) or verify.
bad() {
	local tool=$1 name=$2 mention=$3; shift 4
	local cmd pre before after got lines ok=1
	case $tool in
	analyze) cmd=("$SDL_ANALYZE" --no-cache -j 1 --format sarif "$@" -o "$O/out");;
	sbom) cmd=("$SDL_SBOM" --no-cache "$@" -o "$O/out");;
	gate) cmd=("$SDL_GATE" evaluate --repo "$R" --now "$NOW" "$@" -o "$O/out" --package "$O/pkg");;
	verify) cmd=("$SDL_GATE" verify "$@");;
	esac
	COUNT[$tool]=$((COUNT[$tool] + 1))
	for pre in absent present; do
		rm -rf "$O"; mkdir -p "$O"
		[ $pre = present ] && printf 'old output\n' >"$O/out"
		before=$(snapshot "$O")
		timeout 120 "${cmd[@]}" >"$E2E_TMP/out" 2>"$E2E_TMP/err" </dev/null
		got=$?
		after=$(snapshot "$O")
		lines=$(wc -l <"$E2E_TMP/err")
		if [ "$got" = 124 ]; then fail "$tool-$name: hangs (killed after 120 s)"; ok=0; break
		elif [ "$got" = 99 ] || grep -q 'Sanitizer\|runtime error' "$E2E_TMP/err"; then
			fail "$tool-$name: sanitizer report"; head -30 "$E2E_TMP/err" >&2; ok=0; break
		elif [ "$got" != 2 ]; then
			fail "$tool-$name: exit $got, want 2"; head -c 600 "$E2E_TMP/err" | sed 's/^/  stderr: /' >&2; ok=0; break
		elif [ "$lines" != 1 ]; then
			fail "$tool-$name: $lines lines on stderr, want 1"; head -5 "$E2E_TMP/err" >&2; ok=0; break
		elif ! grep -qF -- "$mention" "$E2E_TMP/err"; then
			fail "$tool-$name: stderr does not name '$mention': $(cat "$E2E_TMP/err")"; ok=0; break
		fi
		if [ "$before" != "$after" ]; then
			fail "$tool-$name: output changed (old file $pre)"; diff <(echo "$before") <(echo "$after") | head -5 >&2; ok=0; break
		fi
	done
	[ $ok = 1 ] && pass "$tool-$name: exit 2: $(cat "$E2E_TMP/err")"
	return 0
}

deep() { # N OPEN CLOSE: N opening brackets then N closing ones
	local n=$1; head -c "$n" /dev/zero | tr '\0' "$2"; head -c "$n" /dev/zero | tr '\0' "$3"
}

# ===================================================================== analyze
P="$E2E_TMP/proj"
mkdir -p "$P/src" "$P/build"
printf 'int f(void) { return 0; }\n' >"$P/src/a.c"
db() { # NAME CONTENT-ON-STDIN: a build dir with that compile_commands.json
	mkdir -p "$I/$1"; cat >"$I/$1/compile_commands.json"
}
printf '{"directory": "%s", "file": "src/a.c", "command": "cc -c src/a.c"}' "$P" | db notarray
bad analyze compdb-not-an-array "notarray/compile_commands.json" -- --root "$P" -p "$I/notarray"
printf '[{"directory": 5, "file": "src/a.c", "command": "cc -c src/a.c"}]' | db wrongtype
bad analyze compdb-wrong-type "wrongtype/compile_commands.json" -- --root "$P" -p "$I/wrongtype"
printf '[{"directory": "%s", "file": "src/a.c", "command": "cc -c src/a.c", "output": ["a.o"]}]' "$P" | db nonstring
bad analyze compdb-member-not-a-string "nonstring/compile_commands.json" -- --root "$P" -p "$I/nonstring"
printf '[{"directory": "%s", "file": "src/a.c"}]' "$P" | db nocmd
bad analyze compdb-entry-without-command "nocmd/compile_commands.json" -- --root "$P" -p "$I/nocmd"
: | db empty
bad analyze compdb-empty-file "empty/compile_commands.json" -- --root "$P" -p "$I/empty"
deep 100000 '[' ']' | db deep
bad analyze compdb-nesting-1e5 "deep/compile_commands.json" -- --root "$P" -p "$I/deep"
printf '[{"directory": "%s", "file": "src/a.c", "command": "cc -c src/a.c\0"}]' "$P" | db nul
bad analyze compdb-nul-byte "nul/compile_commands.json" -- --root "$P" -p "$I/nul"
printf '[{"directory": "%s", "file": "src/\xc3\x28.c", "command": "cc -c x.c"}]' "$P" | db utf8
bad analyze compdb-invalid-utf8 "utf8/compile_commands.json" -- --root "$P" -p "$I/utf8"
head -c 4096 /dev/urandom | db binary
bad analyze compdb-binary "binary/compile_commands.json" -- --root "$P" -p "$I/binary"
printf '[{"directory": "%s", "file": "src/gone.c", "command": "cc -c src/gone.c"}]' "$P" | db gone
bad analyze compdb-missing-source "gone.c" -- --root "$P" -p "$I/gone"
mkdir -p "$I/outside-src"; printf 'int g;\n' >"$I/outside-src/o.c"
printf '[{"directory": "%s", "file": "../../in/outside-src/o.c", "command": "cc -c ../../in/outside-src/o.c"}]' "$P/src" | db outside
# not bad input (docs/analyze.md: files outside --root are analysed, never
# reported): exit 0, and nothing of the outside file in the output
expect_exit 0 "analyze-compdb-source-outside-root: analysed, not reported" -- \
	"$SDL_ANALYZE" --no-cache -j 1 --format sarif --root "$P" -p "$I/outside" -o "$E2E_TMP/outside.sarif"
grep -q 'outside-src' "$E2E_TMP/outside.sarif" && fail "a file outside the root is in the SARIF" || pass "nothing outside the root reported"
mkdir -p "$I/loop"; ln -s compile_commands.json "$I/loop/compile_commands.json"
bad analyze compdb-symlink-loop "loop/compile_commands.json" -- --root "$P" -p "$I/loop"
mkdir -p "$I/isdir/compile_commands.json"
bad analyze compdb-is-a-directory "isdir/compile_commands.json" -- --root "$P" -p "$I/isdir"
ln -s loop.c "$P/src/loop.c"
bad analyze source-symlink-loop "loop.c" -- --root "$P" "$P/src/loop.c" --
mkdir -p "$P/src/dir.c"
bad analyze source-is-a-directory "dir.c" -- --root "$P" "$P/src/dir.c" --
printf 'int a;\n\0\0\0int b;\n' >"$P/src/nul.c"
bad analyze source-nul-bytes "nul.c" -- --root "$P" "$P/src/nul.c" --
deep 100000 '{' '}' | sed 's/{{/{"a":{/; s/^/{"rules":/' >"$I/deeppack.json"
bad analyze rule-pack-nesting-1e5 "deeppack.json" -- --root "$P" --rules "$I/deeppack.json" "$P/src/a.c" --
printf '{"rules": 5}' >"$I/typepack.json"
bad analyze rule-pack-wrong-type "typepack.json" -- --root "$P" --rules "$I/typepack.json" "$P/src/a.c" --
head -c 2048 /dev/urandom >"$I/binpack.json"
bad analyze rule-pack-binary "binpack.json" -- --root "$P" --rules "$I/binpack.json" "$P/src/a.c" --
{ printf '{"version": "2.1.0", "runs": '; deep 100000 '[' ']'; printf '}'; } >"$I/deep.sarif"
bad analyze baseline-sarif-nesting-1e5 "deep.sarif" -- --root "$P" --baseline "$I/deep.sarif" "$P/src/a.c" --
printf '{"version": "2.1.0", "runs": [{"tool": ' >"$I/trunc.sarif"
bad analyze baseline-sarif-truncated "trunc.sarif" -- --root "$P" --baseline "$I/trunc.sarif" "$P/src/a.c" --
bad analyze baseline-missing "nosuch.sarif" -- --root "$P" --baseline "$I/nosuch.sarif" "$P/src/a.c" --

# ======================================================================== sbom
S="$E2E_TMP/srepo"
mkrepo() { # DIR: a repository with a vendored zlib and two commits
	new_repo "$1"; mkdir -p "$1/third_party/zlib"
	printf '#define ZLIB_VERSION "1.2.13"\n' >"$1/third_party/zlib/zlib.h"; : >"$1/third_party/zlib/deflate.c"; : >"$1/third_party/zlib/inflate.c"
	printf 'int main(void) { return 0; }\n' >"$1/main.c"
	git -C "$1" add -A && git -C "$1" commit -qm one
	printf '#define ZLIB_VERSION "1.3.1"\n' >"$1/third_party/zlib/zlib.h"
	git -C "$1" add -A && git -C "$1" commit -qm two
}
mkrepo "$S"
obj() { printf '%s/.git/objects/%s/%s' "$1" "${2:0:2}" "${2:2}"; }

R1="$E2E_TMP/corrupt-commit"; mkrepo "$R1"
c=$(git -C "$R1" rev-parse HEAD); f=$(obj "$R1" "$c"); chmod u+w "$f"; printf 'x\234garbage' >"$f"
bad sbom corrupt-commit-object "$R1" -- --repo "$R1"
R2="$E2E_TMP/missing-commit"; mkrepo "$R2"
c=$(git -C "$R2" rev-parse HEAD); rm -f "$(obj "$R2" "$c")"
bad sbom missing-head-commit "$R2" -- --repo "$R2"
# Missing and damaged blobs are not fatal by design (docs/sbom.md: "missing
# objects are reported as notes"): exit 0, a warning naming the object, the
# SBOM marked incomplete. Not counted as exit-2 rows.
incomplete() { # NAME REPO OBJECT
	expect_exit 0 "sbom-$1: not fatal" -- "$SDL_SBOM" --no-cache --repo "$2" -o "$E2E_TMP/inc.json" || return 0
	grep -q "warning: .*$3" "$E2E_TMP/err" && pass "sbom-$1: warning names the object" || fail "sbom-$1: no warning naming $3: $(cat "$E2E_TMP/err")"
	jq -e '.compositions[0].aggregate == "incomplete"' "$E2E_TMP/inc.json" >/dev/null && pass "sbom-$1: SBOM marked incomplete" || fail "sbom-$1: SBOM not marked incomplete"
}
R3="$E2E_TMP/missing-blob"; mkrepo "$R3"
b=$(git -C "$R3" rev-parse HEAD:third_party/zlib/zlib.h); rm -f "$(obj "$R3" "$b")"
incomplete missing-blob "$R3" "$b"
R4="$E2E_TMP/truncated-blob"; mkrepo "$R4"
b=$(git -C "$R4" rev-parse HEAD:third_party/zlib/zlib.h); f=$(obj "$R4" "$b"); chmod u+w "$f"; head -c 5 "$f" >"$f.t"; mv "$f.t" "$f"
incomplete truncated-blob "$R4" "$b"
R5="$E2E_TMP/bad-head"; mkrepo "$R5"
printf 'ref: refs/heads/../../../../etc/passwd\n' >"$R5/.git/HEAD"
bad sbom head-ref-escaping "$R5" -- --repo "$R5"
R6="$E2E_TMP/gitfile-loop"; mkdir -p "$R6"; printf 'gitdir: %s\n' "$R6" >"$R6/.git"
bad sbom gitfile-pointing-to-itself "gitfile-loop" -- --repo "$R6"
printf 'not a directory\n' >"$I/plainfile"
bad sbom repo-is-a-file "plainfile" -- --repo "$I/plainfile"
sig() { mkdir -p "$I/sig-$1"; cat >"$I/sig-$1/pack.json"; }
printf '{"components": [{"name": "x", ' | sig trunc
bad sbom signatures-truncated "sig-trunc/pack.json" -- --repo "$S" --signatures "$I/sig-trunc"
printf '{"components": 5}' | sig type
bad sbom signatures-wrong-type "sig-type/pack.json" -- --repo "$S" --signatures "$I/sig-type"
{ printf '{"components": '; deep 100000 '[' ']'; printf '}'; } | sig deep
bad sbom signatures-nesting-1e5 "sig-deep/pack.json" -- --repo "$S" --signatures "$I/sig-deep"
printf '{"components": [{"name": "\xff\xfe"}]}' | sig utf8
bad sbom signatures-invalid-utf8 "sig-utf8/pack.json" -- --repo "$S" --signatures "$I/sig-utf8"
head -c 4096 /dev/urandom | sig bin
bad sbom signatures-binary "sig-bin/pack.json" -- --repo "$S" --signatures "$I/sig-bin"
mkdir -p "$I/sig-loop"; ln -s loop.json "$I/sig-loop/loop.json"
bad sbom signatures-symlink-loop "loop.json" -- --repo "$S" --signatures "$I/sig-loop"
bad sbom signatures-missing-dir "nosuch-sigs" -- --repo "$S" --signatures "$I/nosuch-sigs"
printf '{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [' >"$I/trunc.vex.json"
bad sbom vex-truncated "trunc.vex.json" -- --repo "$S" --vex "$I/trunc.vex.json"
printf '{"@context": "https://openvex.dev/ns/v0.2.0", "statements": "all"}' >"$I/type.vex.json"
bad sbom vex-wrong-type "type.vex.json" -- --repo "$S" --vex "$I/type.vex.json"
{ printf '{"statements": '; deep 100000 '[' ']'; printf '}'; } >"$I/deep.vex.json"
bad sbom vex-nesting-1e5 "deep.vex.json" -- --repo "$S" --vex "$I/deep.vex.json"
bad sbom vex-missing "nosuch.vex.json" -- --repo "$S" --vex "$I/nosuch.vex.json"
bad sbom vulns-missing-dir "nosuch-osv" -- --repo "$S" --vulns "$I/nosuch-osv"
# OSV records are data from outside: an unusable record is listed as not
# examined (docs/sbom.md), never fatal; absurd ranges must not crash, hang or
# invent an affected version (tests/fixtures/robust/osv-absurd/).
expect_exit 0 "sbom-osv-absurd-records: not fatal" -- \
	timeout 120 "$SDL_SBOM" --no-cache --repo "$S" --vulns "$FIXR/osv-absurd" -o "$E2E_TMP/osv.json"
for f in truncated.json wrong-shape.json; do
	grep -q "warning: .*osv-absurd/$f" "$E2E_TMP/err" && pass "sbom-osv: $f named as not read" || fail "sbom-osv: $f not named on stderr"
done
jq -e '(.vulnerabilities // []) | length == 0' "$E2E_TMP/osv.json" >/dev/null \
	&& pass "sbom-osv: absurd ranges affect nothing" || fail "sbom-osv: a vulnerability from absurd ranges"

# ======================================================================== gate
R="$E2E_TMP/grepo"
build_base "$R" >/dev/null 2>&1 || fail "gate fixture repository"
{ printf '{"version": "2.1.0", "runs": '; deep 100000 '[' ']'; printf '}'; } >"$I/g-deep.sarif"
bad gate sarif-nesting-1e5 "g-deep.sarif" -- --sarif "$I/g-deep.sarif"
head -c 300 "$R/evidence/analyze.sarif" >"$I/g-trunc.sarif"
bad gate sarif-truncated "g-trunc.sarif" -- --sarif "$I/g-trunc.sarif"
head -c 4096 /dev/urandom >"$I/g-bin.sarif"
bad gate sarif-binary "g-bin.sarif" -- --sarif "$I/g-bin.sarif"
jq -c . "$R/evidence/analyze.sarif" | sed 's/"2.1.0"/"2.1.0\\u0000"/' >"$I/g-nul.sarif"
bad gate sarif-escaped-nul "g-nul.sarif" -- --sarif "$I/g-nul.sarif"
jq -c '.runs[0].tool.driver.name = "X"' "$R/evidence/analyze.sarif" | sed 's/"X"/"\xc0\xaf"/' >"$I/g-utf8.sarif"
bad gate sarif-invalid-utf8 "g-utf8.sarif" -- --sarif "$I/g-utf8.sarif"
jq '.runs = {}' "$R/evidence/analyze.sarif" >"$I/g-type.sarif"
bad gate sarif-runs-wrong-type "g-type.sarif" -- --sarif "$I/g-type.sarif"
jq '.components = "zlib"' "$R/evidence/sbom.cdx.json" >"$I/g-type.cdx.json"
bad gate sbom-components-wrong-type "g-type.cdx.json" -- --sbom "$I/g-type.cdx.json"
head -c 4096 /dev/urandom >"$I/g-bin.xml"
bad gate junit-binary "g-bin.xml" -- --junit "$I/g-bin.xml"
printf '<testsuite name="\xff\xfe"><testcase name="a"/></testsuite>\n' >"$I/g-utf8.xml"
bad gate junit-invalid-utf8 "g-utf8.xml" -- --junit "$I/g-utf8.xml"
printf '<testsuite><testcase name="a\0b"/></testsuite>\n' >"$I/g-nul.xml"
bad gate junit-nul-byte "g-nul.xml" -- --junit "$I/g-nul.xml"
cat >"$I/g-pe.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE testsuite [ <!ENTITY % pe SYSTEM "http://127.0.0.1:9/evil.dtd"> %pe; ]>
<testsuite><testcase name="a"/></testsuite>
EOF
bad gate junit-parameter-entity "g-pe.xml" -- --junit "$I/g-pe.xml"
cat >"$I/g-ext.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE testsuite SYSTEM "http://127.0.0.1:9/junit.dtd">
<testsuite><testcase name="a"/></testsuite>
EOF
bad gate junit-external-dtd "g-ext.xml" -- --junit "$I/g-ext.xml"
{ printf '<testsuite>'; head -c 100000 /dev/zero | sed 's/\x0/<a>/g'; } >"$I/g-deep.xml"
bad gate junit-nesting-1e5 "g-deep.xml" -- --junit "$I/g-deep.xml"
printf '<html><body>not junit</body></html>\n' >"$I/g-html.xml"
bad gate junit-wrong-root "g-html.xml" -- --junit "$I/g-html.xml"
head -c 100000 /dev/zero | tr '\0' '[' >"$I/g-deep-policy.json"
bad gate policy-nesting-1e5 "g-deep-policy.json" -- --policy "$I/g-deep-policy.json"
: >"$I/g-empty-policy.json"
bad gate policy-empty-file "g-empty-policy.json" -- --policy "$I/g-empty-policy.json"
head -c 4096 /dev/urandom >"$I/g-bin-policy.json"
bad gate policy-binary "g-bin-policy.json" -- --policy "$I/g-bin-policy.json"
jq '.requirements = ["SM-1"]' "$SDL_SOURCE_DIR/rules/policy/ml3-default.json" >"$I/g-type-policy.json"
bad gate policy-requirements-wrong-type "g-type-policy.json" -- --policy "$I/g-type-policy.json"
jq '.waivers = {}' "$R/records/waivers.json" >"$I/g-type-waivers.json"
bad gate waivers-wrong-type "g-type-waivers.json" -- --waivers "$I/g-type-waivers.json"
head -c 40 "$R/records/waivers.json" >"$I/g-trunc-waivers.json"
bad gate waivers-truncated "g-trunc-waivers.json" -- --waivers "$I/g-trunc-waivers.json"
{ printf "["; head -c 100000 /dev/zero | sed "s/\x0/{\"a\":/g"; } >"$I/g-deep-issues.json"
bad gate tracker-nesting-1e5 "g-deep-issues.json" -- --tracker "$I/g-deep-issues.json"
mkdir -p "$I/att-loop"; ln -s ATT-1.json "$I/att-loop/ATT-1.json"
bad gate attestation-symlink-loop "ATT-1.json" -- --attestations "$I/att-loop"
ln -s "$I/g-self" "$I/g-self"
bad gate sarif-symlink-loop "g-self" -- --sarif "$I/g-self"
mkdir -p "$I/g-dir.sarif"
bad gate sarif-is-a-directory "g-dir.sarif" -- --sarif "$I/g-dir.sarif"
printf '[{"directory": "/", "file": "../../../../etc/passwd", "command": "cc"}' >"$I/g-trunc-cdb.json"
bad gate compile-db-truncated "g-trunc-cdb.json" -- --compile-db "$I/g-trunc-cdb.json"

# verify: packages that are not usable
PK="$E2E_TMP/pk"
"$SDL_GATE" evaluate --repo "$R" --now "$NOW" --package "$PK" -o /dev/null >/dev/null 2>&1
pkg() { rm -rf "${I:?}/$1"; cp -r "$PK" "$I/$1"; }
pkg nomanifest; rm "$I/nomanifest/manifest.json"
bad verify no-manifest "manifest.json" -- "$I/nomanifest"
pkg dotdot; jq '.files[0].path = "../../../etc/passwd"' "$PK/manifest.json" >"$I/dotdot/manifest.json"
bad verify manifest-path-with-dotdot "manifest.json" -- "$I/dotdot"
pkg abs; jq '.files[0].path = "/etc/passwd"' "$PK/manifest.json" >"$I/abs/manifest.json"
bad verify manifest-absolute-path "manifest.json" -- "$I/abs"
pkg trunc; head -c 100 "$PK/manifest.json" >"$I/trunc/manifest.json"
bad verify manifest-truncated "manifest.json" -- "$I/trunc"
pkg mtype; jq '.files = "all"' "$PK/manifest.json" >"$I/mtype/manifest.json"
bad verify manifest-files-wrong-type "manifest.json" -- "$I/mtype"
pkg mdeep; { printf '{"files": '; deep 100000 '[' ']'; printf '}'; } >"$I/mdeep/manifest.json"
bad verify manifest-nesting-1e5 "manifest.json" -- "$I/mdeep"
pkg mloop; rm "$I/mloop/manifest.json"; ln -s manifest.json "$I/mloop/manifest.json"
bad verify manifest-symlink-loop "manifest.json" -- "$I/mloop"
bad verify package-missing "nosuch-pkg" -- "$I/nosuch-pkg"
# archives: names leaving the tree, links, a truncated archive
mkdir -p "$I/tarsrc/pkg"; cp -r "$PK/." "$I/tarsrc/pkg/"
mapfile -t NAMES < <(cd "$I/tarsrc/pkg" && ls -A)
tar -C "$I/tarsrc/pkg" -czf "$I/dotdot.tar.gz" --transform 's,^decision.json,../../evil.json,' "${NAMES[@]}"
bad verify archive-entry-with-dotdot "dotdot.tar.gz" -- "$I/dotdot.tar.gz"
ln -s /etc/passwd "$I/tarsrc/pkg/link"
tar -C "$I/tarsrc/pkg" -czf "$I/link.tar.gz" "${NAMES[@]}" link
bad verify archive-with-symlink "link.tar.gz" -- "$I/link.tar.gz"
rm "$I/tarsrc/pkg/link"
tar -C "$I/tarsrc/pkg" -czf "$I/good.tar.gz" "${NAMES[@]}" && head -c 2000 "$I/good.tar.gz" >"$I/trunc.tar.gz"
bad verify archive-truncated "trunc.tar.gz" -- "$I/trunc.tar.gz"
head -c 4096 /dev/urandom >"$I/random.tar.gz"
bad verify archive-random-bytes "random.tar.gz" -- "$I/random.tar.gz"

printf 'cases: analyze %d, sbom %d, gate evaluate %d, gate verify %d, total %d\n' \
	"${COUNT[analyze]}" "${COUNT[sbom]}" "${COUNT[gate]}" "${COUNT[verify]}" \
	$((COUNT[analyze] + COUNT[sbom] + COUNT[gate] + COUNT[verify]))
finish
