#!/usr/bin/env bash
# sdl-analyze against hostile input (threat model T-6a and compile-database
# code loading): a file name carrying a newline and terminal escapes cannot
# forge a diagnostic line or reach the terminal raw (CWE-117, CWE-150), and a
# compile database cannot make libclang load a plugin into the analyser
# (CWE-94, CWE-829).
. "$SDL_TESTS_DIR/e2e/lib.sh"
A=$SDL_ANALYZE
P=$E2E_TMP/proj
mkdir -p "$P/src" "$P/build"
cd "$P" || exit 1

# ---- 1. control characters in text output --------------------------------
evil=$'src/x.c\nfake.c:1:1: error: forged [command-injection]\n\033[2Kx.c'
printf '#include <string.h>\nvoid f(char *d, const char *s) { strcpy(d, s); }\n' >"$evil"
jq -n --arg d "$P" --arg f "$P/$evil" \
	'[{directory: $d, file: $f, arguments: ["cc", "-c", $f]}]' >build/compile_commands.json
expect_exit 1 "a finding in a file with a hostile name" -- "$A" -p build --root "$P" --no-cache
grep -q '^fake.c' "$E2E_TMP/out" && fail "forged diagnostic line: $(cat "$E2E_TMP/out")" \
	|| pass "no forged line from a newline in a path"
grep -q $'\033' "$E2E_TMP/out" && fail "terminal escape in the text output" || pass "no raw ESC in text"
[ "$(wc -l <"$E2E_TMP/out")" = 1 ] && pass "one finding, one line" \
	|| fail "text output has $(wc -l <"$E2E_TMP/out") lines: $(cat "$E2E_TMP/out")"
grep -qF 'src/x.c\nfake.c:1:1: error: forged [command-injection]\n\x1b[2Kx.c:2:' "$E2E_TMP/out" \
	&& pass "control characters shown escaped" || fail "escaped path: $(cat "$E2E_TMP/out")"
expect_exit 1 "json keeps the real name" -- "$A" -p build --root "$P" --no-cache --format json -o "$E2E_TMP/r.json"
rm -f "$P/$evil" "$P/build/compile_commands.json"

# ---- 2. compile-database flags that load code -----------------------------
printf '#include <string.h>\nvoid g(char *d, const char *s) { strcpy(d, s); }\n' >src/a.c
M=$E2E_TMP/marker
cat >"$E2E_TMP/plugin.c" <<EOC
#include <stdio.h>
__attribute__((constructor)) static void pwn(void)
{
	FILE *f = fopen("$M", "a");
	if (f) { fputs("loaded\n", f); fclose(f); }
}
EOC
cc -shared -fPIC -o "$E2E_TMP/libpwn.so" "$E2E_TMP/plugin.c" || fail "cannot build the test plugin"
L=$E2E_TMP/libpwn.so
printf -- '-Xclang -load -Xclang %s\n' "$L" >"$E2E_TMP/rsp"
check_flags() { # description, JSON array of extra arguments, expected text on stderr
	jq -n --arg d "$P" --argjson x "$2" \
		'[{directory: $d, file: "src/a.c", arguments: (["cc"] + $x + ["-c", "src/a.c"])}]' \
		>build/compile_commands.json
	rm -f "$M"
	expect_exit 1 "$1: analysed" -- "$A" -p build --root "$P" --no-cache
	[ -e "$M" ] && fail "$1: the plugin was loaded" || pass "$1: no code loaded"
	grep -qF -- "would load code into the analyser: $3" "$E2E_TMP/err" \
		&& pass "$1: reported dropped" || fail "$1: not reported: $(cat "$E2E_TMP/err")"
	[ "$(grep -c 'would load code' "$E2E_TMP/err")" = 1 ] && pass "$1: said once" || fail "$1: said more than once"
}
check_flags "-Xclang -load" "[\"-Xclang\", \"-load\", \"-Xclang\", \"$L\"]" "'-Xclang -load -Xclang $L'"
check_flags "-fplugin=" "[\"-fplugin=$L\"]" "'-fplugin=$L'"
check_flags "-fpass-plugin=" "[\"-fpass-plugin=$L\"]" "'-fpass-plugin=$L'"
check_flags "-Xclang -plugin" "[\"-Xclang\", \"-load\", \"-Xclang\", \"$L\", \"-Xclang\", \"-plugin\", \"-Xclang\", \"pwn\"]" \
	"'-Xclang -load -Xclang $L' '-Xclang -plugin -Xclang pwn'"
check_flags "-Xclang -add-plugin" "[\"-Xclang\", \"-add-plugin\", \"-Xclang\", \"pwn\"]" "'-Xclang -add-plugin -Xclang pwn'"
check_flags "-Xclang -plugin-arg" "[\"-Xclang\", \"-plugin-arg-pwn\", \"-Xclang\", \"x\"]" "'-Xclang -plugin-arg-pwn -Xclang x'"
check_flags "-load" "[\"-load\", \"$L\"]" "'-load $L'"
check_flags "--plugin" "[\"--plugin\", \"$L\"]" "'--plugin $L'"
check_flags "-fplugin-arg-" "[\"-fplugin-arg-pwn-x=1\"]" "'-fplugin-arg-pwn-x=1'"
# libclang expands response files of a compile database itself: what they
# bring in goes through the same filter
check_flags "@responsefile" "[\"@$E2E_TMP/rsp\"]" "'-Xclang -load -Xclang $L'"
# flags after "--" are not expanded by anyone: the @file itself is dropped
rm -f "$M"
expect_exit 1 "@responsefile after --" -- "$A" --root "$P" --no-cache src/a.c -- "@$E2E_TMP/rsp"
[ -e "$M" ] && fail "@file after --: the plugin was loaded" || pass "@file after --: no code loaded"
grep -qF -- "would load code into the analyser: '@$E2E_TMP/rsp'" "$E2E_TMP/err" \
	&& pass "@file after --: reported dropped" || fail "@file after --: $(cat "$E2E_TMP/err")"
# a harmless -Xclang option still goes through, and nothing is reported
jq -n --arg d "$P" '[{directory: $d, file: "src/a.c", arguments: ["cc", "-Xclang", "-fno-validate-pch", "-c", "src/a.c"]}]' \
	>build/compile_commands.json
expect_exit 1 "ordinary -Xclang flags kept" -- "$A" -p build --root "$P" --no-cache
grep -q 'load code' "$E2E_TMP/err" && fail "a harmless flag reported: $(cat "$E2E_TMP/err")" || pass "quiet on ordinary flags"
finish
