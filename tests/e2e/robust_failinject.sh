#!/usr/bin/env bash
# Failure injection on the main entry point of each tool (issue 7):
#
# 1. Allocation failure. In the sanitizer build (SDL_FAILINJECT=ON, set by
#    ctest) lib/alloc.c reads SDL_FAIL_ALLOC_AT=N and fails the Nth and every
#    later allocation of the process. Each entry point runs with N = 1, 2, ...
#    50, then N grows by half each step until the run succeeds. Every failed
#    run must: exit 3 (internal error; never 0, never 1 = "findings/refused/
#    tampered", which would be a false verdict), print exactly one line on
#    stderr, raise no sanitizer report (ASan/UBSan exit 99, leaks included),
#    and leave the output exactly as it was before (pre-created with known
#    content: no half-written file, no temporary file left beside it).
# 2. Write failure (both builds): a full disk (`ulimit -f` with SIGXFSZ
#    ignored), stdout on /dev/full, stdout on a pipe whose reader is gone.
#    Clean error (one line, non-zero), the old file untouched.
#
# In the normal build part 1 is skipped (printed) and part 2 runs.
. "$SDL_TESTS_DIR/e2e/lib.sh"
. "$SDL_TESTS_DIR/fixtures/analyze/make_project.sh"

# ---------------------------------------------------------------- fixtures
# sdl-analyze: one small TU with a finding, its compile database.
P="$E2E_TMP/proj"
mkdir -p "$P/src" "$P/build"
cat >"$P/src/a.c" <<'C'
#include <string.h>
void copy(char *dst, const char *src)
{
	strcpy(dst, src);
}
C
printf '[{"directory": "%s", "file": "src/a.c", "arguments": ["cc", "-c", "src/a.c"]}]\n' "$P" \
	>"$P/build/compile_commands.json"

# sdl-sbom: a repository with a vendored component and two commits.
S="$E2E_TMP/sbomrepo"
new_repo "$S"
mkdir -p "$S/third_party/zlib"
printf '#define ZLIB_VERSION "1.2.13"\n' >"$S/third_party/zlib/zlib.h"; : >"$S/third_party/zlib/deflate.c"; : >"$S/third_party/zlib/inflate.c"
printf 'int main(void) { return 0; }\n' >"$S/main.c"
git -C "$S" add -A && git -C "$S" commit -qm one
printf '#define ZLIB_VERSION "1.3.1"\n' >"$S/third_party/zlib/zlib.h"
git -C "$S" add -A && git -C "$S" commit -qm two

# sdl-gate: the gate fixture repository (signed, reviewed commits).
FIX="$SDL_TESTS_DIR/fixtures/gate"
. "$FIX/repo.sh"
G="$E2E_TMP/gaterepo"
build_base "$G" >/dev/null 2>&1 || fail "gate fixture repository"
NOW=2026-03-01T00:00:00Z

OUT="$E2E_TMP/outdir"
mkdir -p "$OUT"

# Command lines (arrays) of the four entry points; each writes into $OUT.
ANALYZE=("$SDL_ANALYZE" -p "$P/build" --root "$P" --no-cache -j 1 --format sarif -o "$OUT/analyze.sarif")
SBOM=("$SDL_SBOM" --repo "$S" --no-cache -o "$OUT/sbom.cdx.json")
GATE=("$SDL_GATE" evaluate --repo "$G" --now "$NOW" --format json -o "$OUT/decision.json" --package "$OUT/pkg")
VERIFY=("$SDL_GATE" verify "$OUT/pkg")

# A good run of each first: its exit code is the success code, its output
# the reference. The gate's package must exist for verify.
good_code() { # NAME -- CMD...: run it without injection, print its exit code
	local name=$1; shift 2
	SDL_FAIL_ALLOC_AT='' "$@" >"$E2E_TMP/good.$name.out" 2>"$E2E_TMP/good.$name.err"
	echo $?
}
A_OK=$(good_code analyze -- "${ANALYZE[@]}")
S_OK=$(good_code sbom -- "${SBOM[@]}")
G_OK=$(good_code gate -- "${GATE[@]}")
V_OK=$(good_code verify -- "${VERIFY[@]}")
[ "$A_OK" = 1 ] && pass "sdl-analyze reference run (1: one finding)" || { fail "sdl-analyze reference run exit $A_OK"; cat "$E2E_TMP/good.analyze.err" >&2; }
[ "$S_OK" = 0 ] && pass "sdl-sbom reference run" || { fail "sdl-sbom reference run exit $S_OK"; cat "$E2E_TMP/good.sbom.err" >&2; }
case $G_OK in 0|1) pass "sdl-gate evaluate reference run ($G_OK)";; *) fail "sdl-gate evaluate reference run exit $G_OK"; cat "$E2E_TMP/good.gate.err" >&2;; esac
[ "$V_OK" = 0 ] && pass "sdl-gate verify reference run" || { fail "sdl-gate verify reference run exit $V_OK"; cat "$E2E_TMP/good.verify.err" >&2; }

# snapshot DIR: a listing with the digest of every file (and symlink target).
snapshot() { (cd "$1" && find . -print0 | LC_ALL=C sort -z | while IFS= read -r -d '' f; do
	if [ -L "$f" ]; then printf 'L %s %s\n' "$f" "$(readlink "$f")"
	elif [ -f "$f" ]; then printf 'F %s %s\n' "$f" "$(sha256sum <"$f" | cut -c1-64)"
	else printf 'D %s\n' "$f"; fi; done); }

# --------------------------------------------------- 1. allocation failure
# inject NAME OKCODE -- CMD...: fail allocations from N = 1 upwards.
inject() {
	local name=$1 ok=$2; shift 3
	local n=1 got lines before after runs=0 bad=0 code3=0 last_fail=0
	before=$(snapshot "$OUT")
	while :; do
		runs=$((runs + 1))
		SDL_FAIL_ALLOC_AT=$n "$@" >"$E2E_TMP/fi.out" 2>"$E2E_TMP/fi.err"
		got=$?
		if [ "$got" = "$ok" ]; then
			# success at this N: the run needed fewer than N allocations
			break
		fi
		last_fail=$n
		lines=$(wc -l <"$E2E_TMP/fi.err")
		after=$(snapshot "$OUT")
		if [ "$got" = 99 ] || grep -q 'Sanitizer\|runtime error' "$E2E_TMP/fi.err"; then
			fail "$name N=$n: sanitizer report (exit $got)"; head -30 "$E2E_TMP/fi.err" >&2; bad=$((bad + 1))
		elif [ "$got" -gt 128 ]; then
			fail "$name N=$n: killed by signal $((got - 128))"; head -5 "$E2E_TMP/fi.err" >&2; bad=$((bad + 1))
		elif [ "$got" != 3 ]; then
			fail "$name N=$n: exit $got, want 3: $(head -c 300 "$E2E_TMP/fi.err")"; bad=$((bad + 1))
		elif [ "$lines" != 1 ]; then
			fail "$name N=$n: $lines lines on stderr, want 1"; head -5 "$E2E_TMP/fi.err" >&2; bad=$((bad + 1))
		else
			code3=$((code3 + 1))
		fi
		if [ "$before" != "$after" ]; then
			fail "$name N=$n: output directory changed"; diff <(echo "$before") <(echo "$after") | head -10 >&2
			bad=$((bad + 1)); before=$after
		fi
		[ "$bad" -ge 8 ] && { fail "$name: stopping after 8 failures"; break; }
		if [ "$n" -lt 50 ]; then n=$((n + 1)); else n=$((n + n / 2)); fi
		[ "$n" -gt 50000000 ] && { fail "$name: never succeeded"; break; }
	done
	printf 'ok: %s: %d runs under failing allocations (last failing N=%d, succeeded at N=%d), %d clean exit 3, %d bad\n' \
		"$name" "$runs" "$last_fail" "$n" "$code3" "$bad"
	[ "$bad" = 0 ] && pass "$name: every failing allocation gives a clean exit 3"
}

if [ "${SDL_FAILINJECT:-OFF}" = ON ]; then
	# Outputs exist from the reference runs; give the plain files a known
	# content so a half-written one is seen, keep the package as it is.
	printf 'previous analyze output\n' >"$OUT/analyze.sarif"
	printf 'previous sbom output\n' >"$OUT/sbom.cdx.json"
	printf 'previous decision\n' >"$OUT/decision.json"
	inject sdl-analyze "$A_OK" -- "${ANALYZE[@]}"
	inject sdl-sbom "$S_OK" -- "${SBOM[@]}"
	inject "sdl-gate evaluate --package" "$G_OK" -- "${GATE[@]}"
	# the last successful run rewrote the package: verify reads that one
	inject "sdl-gate verify" "$V_OK" -- "${VERIFY[@]}"
	# a run that needs allocations again after output was written must not
	# have left anything half-done: the package still verifies
	expect_exit 0 "package intact after the injection runs" -- "${VERIFY[@]}"
else
	echo "skip: allocation failure injection needs the sanitizer build (SDL_FAILINJECT=ON, cmake -DSDL_SANITIZE=ON)"
fi

# ------------------------------------------------------ 2. write failures
# write_fail NAME FILE -- CMD...: FILE pre-exists with known content; the run
# has at most 1 KiB of file size (SIGXFSZ ignored, so writes fail with EFBIG).
write_fail() {
	local name=$1 file=$2; shift 3
	local before after got
	printf 'old content of %s\n' "$name" >"$file"
	before=$(snapshot "$OUT")
	( trap '' XFSZ; ulimit -f 1; exec "$@" ) >"$E2E_TMP/wf.out" 2>"$E2E_TMP/wf.err"
	got=$?
	after=$(snapshot "$OUT")
	case $got in
	0|1) fail "$name: full disk: exit $got, the failed write went unnoticed";;
	99) fail "$name: full disk: sanitizer report"; head -20 "$E2E_TMP/wf.err" >&2;;
	3) if [ "$(wc -l <"$E2E_TMP/wf.err")" != 1 ]; then fail "$name: full disk: stderr is not one line"; cat "$E2E_TMP/wf.err" >&2
	   else pass "$name: full disk: exit 3, one line: $(cat "$E2E_TMP/wf.err")"; fi;;
	*) if [ "$got" -gt 128 ]; then fail "$name: full disk: killed by signal $((got - 128))"
	   elif [ "$(wc -l <"$E2E_TMP/wf.err")" != 1 ]; then fail "$name: full disk: stderr is not one line"; cat "$E2E_TMP/wf.err" >&2
	   else fail "$name: full disk: exit $got, want 3: $(cat "$E2E_TMP/wf.err")"; fi;;
	esac
	[ "$before" = "$after" ] && pass "$name: full disk: old file untouched, nothing left beside it" \
		|| { fail "$name: full disk: output directory changed"; diff <(echo "$before") <(echo "$after") >&2; }
	[ "$(cat "$file")" = "old content of $name" ] || fail "$name: old file changed"
}
write_fail sdl-analyze "$OUT/analyze.sarif" -- "${ANALYZE[@]}"
write_fail sdl-sbom "$OUT/sbom.cdx.json" -- "${SBOM[@]}"
rm -rf "$OUT/pkg"
write_fail "sdl-gate evaluate" "$OUT/decision.json" -- "$SDL_GATE" evaluate --repo "$G" --now "$NOW" --format json -o "$OUT/decision.json"
# The package: its first file is larger than 1 KiB, so it cannot be built;
# an existing package stays as it was and no temporary directory is left.
SDL_FAIL_ALLOC_AT='' "${GATE[@]}" >/dev/null 2>&1
write_fail "sdl-gate evaluate --package" "$OUT/decision.json" -- "${GATE[@]}"
expect_exit 0 "package intact after a full disk" -- "${VERIFY[@]}"

# stdout_fail NAME MODE -- CMD...: the tool writes its main output to stdout.
#   full: stdout is /dev/full (ENOSPC on write or on flush)
#   epipe: a pipe whose reader has gone, SIGPIPE ignored (EPIPE)
#   sigpipe: the same pipe with SIGPIPE at its default (killed by it, or exit 3)
stdout_fail() {
	local name=$1 mode=$2; shift 3
	local got fifo="$E2E_TMP/fifo"
	case $mode in
	full) "$@" >/dev/full 2>"$E2E_TMP/sf.err"; got=$?;;
	epipe|sigpipe)
		rm -f "$fifo"; mkfifo "$fifo"
		# open read+write (no blocking), a writer, then drop the only reader:
		# every write then fails, whatever the timing (unlike `| head -c 0`)
		exec 7<>"$fifo" 8>"$fifo" 7<&-
		if [ "$mode" = epipe ]; then ( trap '' PIPE; exec "$@" ) >&8 2>"$E2E_TMP/sf.err"; got=$?
		else ( trap - PIPE; exec "$@" ) >&8 2>"$E2E_TMP/sf.err"; got=$?; fi
		exec 8>&-;;
	esac
	if [ "$mode" = sigpipe ] && [ "$got" = 141 ]; then pass "$name: closed pipe: ended by SIGPIPE"; return; fi
	case $got in
	0|1) fail "$name: stdout $mode: exit $got, the failed write went unnoticed";;
	99) fail "$name: stdout $mode: sanitizer report"; head -20 "$E2E_TMP/sf.err" >&2;;
	3) if [ "$(wc -l <"$E2E_TMP/sf.err")" != 1 ]; then fail "$name: stdout $mode: stderr is not one line"; head -5 "$E2E_TMP/sf.err" >&2
	   else pass "$name: stdout $mode: exit 3, one line: $(cat "$E2E_TMP/sf.err")"; fi;;
	*) if [ "$got" -gt 128 ]; then fail "$name: stdout $mode: killed by signal $((got - 128))"
	   elif [ "$(wc -l <"$E2E_TMP/sf.err")" != 1 ]; then fail "$name: stdout $mode: stderr is not one line"; head -5 "$E2E_TMP/sf.err" >&2
	   else fail "$name: stdout $mode: exit $got, want 3: $(cat "$E2E_TMP/sf.err")"; fi;;
	esac
}
for mode in full epipe sigpipe; do
	stdout_fail "sdl-analyze -o -" $mode -- "$SDL_ANALYZE" -p "$P/build" --root "$P" --no-cache --format sarif -o -
	stdout_fail "sdl-analyze text" $mode -- "$SDL_ANALYZE" -p "$P/build" --root "$P" --no-cache
	stdout_fail "sdl-sbom -o -" $mode -- "$SDL_SBOM" --repo "$S" --no-cache -o -
	stdout_fail "sdl-gate evaluate -o -" $mode -- "$SDL_GATE" evaluate --repo "$G" --now "$NOW" -o -
	stdout_fail "sdl-gate verify" $mode -- "${VERIFY[@]}"
done
finish
