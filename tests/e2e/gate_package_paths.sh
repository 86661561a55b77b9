#!/usr/bin/env bash
# sdl-gate: how the package target is spelled ("evidence/" is "evidence"),
# re-writing over an existing package, failures that leave nothing new behind,
# and names in the verify report that cannot forge or hide lines (fuzz
# finding 13, CWE-117/CWE-150).
. "$SDL_TESTS_DIR/e2e/lib.sh"
FIX="$SDL_TESTS_DIR/fixtures/gate"
. "$FIX/repo.sh"
export SOURCE_DATE_EPOCH=1772323200 # 2026-03-01

R="$E2E_TMP/repo"
build_base "$R"
W="$E2E_TMP/w"
mkdir -p "$W"

leftovers() { # name: nothing but the package itself in $W
	ls -A "$W" | grep -vx "$1" | grep -q . && fail "left behind in $W: $(ls -A "$W" | tr '\n' ' ')"
	return 0
}

# Both spellings, from the working directory as a user types them.
cd "$W" || exit 1
expect_exit 0 "package with a trailing slash" -- "$SDL_GATE" evaluate --repo "$R" --package evidence/ -o -
[ -f evidence/manifest.json ] && pass "package written at evidence" || fail "no evidence/manifest.json"
[ -e evidence/evidence ] && fail "package nested inside its own target"
leftovers evidence
expect_exit 0 "verify it" -- "$SDL_GATE" verify evidence/
expect_exit 0 "re-run over the existing package, with the slash" -- "$SDL_GATE" evaluate --repo "$R" --package evidence/ -o -
expect_exit 0 "re-run over the existing package, without it" -- "$SDL_GATE" evaluate --repo "$R" --package evidence -o -
expect_exit 0 "re-run, spelled evidence//." -- "$SDL_GATE" evaluate --repo "$R" --package evidence//. -o -
leftovers evidence
expect_exit 0 "verify after re-runs" -- "$SDL_GATE" verify evidence
rm -rf evidence
expect_exit 0 "package without the slash" -- "$SDL_GATE" evaluate --repo "$R" --package evidence -o -
expect_exit 0 "verify it" -- "$SDL_GATE" verify evidence
cp -r evidence "$E2E_TMP/keep"
expect_exit 2 "the current directory is not a package target" -- "$SDL_GATE" evaluate --repo "$R" --package . -o -
expect_one_line_error "."
expect_exit 2 "nor is .." -- "$SDL_GATE" evaluate --repo "$R" --package sub/.. -o -

# A failure leaves nothing new: no target, no parents, no temporary directory.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$E2E_TMP/rsa.pem" 2>/dev/null
expect_exit 2 "bad signing key, new target with slash" -- "$SDL_GATE" evaluate --repo "$R" --package new/deep/pkg/ --sign-key "$E2E_TMP/rsa.pem" -o -
expect_one_line_error "rsa.pem"
[ -e new ] && fail "new parent directories left behind"
leftovers evidence
expect_exit 2 "bad signing key over the existing package" -- "$SDL_GATE" evaluate --repo "$R" --package evidence/ --sign-key "$E2E_TMP/rsa.pem" -o -
diff -r evidence "$E2E_TMP/keep" >/dev/null && pass "earlier package untouched" || fail "earlier package changed"
leftovers evidence
mkdir empty
expect_exit 2 "bad signing key, empty target" -- "$SDL_GATE" evaluate --repo "$R" --package empty/ --sign-key "$E2E_TMP/rsa.pem" -o -
[ -d empty ] && pass "empty target directory kept" || fail "empty target directory removed"
rmdir empty
leftovers evidence
mkdir -p precious && echo keep >precious/file
expect_exit 2 "non-package directory, with slash" -- "$SDL_GATE" evaluate --repo "$R" --package precious/ -o -
[ "$(cat precious/file)" = keep ] || fail "non-package directory was touched"
rm -rf precious

# A file name with a newline and terminal escapes, added to the package.
rm -rf "$E2E_TMP/t"; cp -r evidence "$E2E_TMP/t"
name=$(printf 'x\nchanged: decision.json (sha256 0)\033[2K')
echo extra >"$E2E_TMP/t/inputs/$name"
expect_exit 1 "verify names the added file" -- "$SDL_GATE" verify "$E2E_TMP/t"
[ "$(wc -l <"$E2E_TMP/out")" -eq 1 ] && pass "one report line" || fail "report has forged lines: $(cat -v "$E2E_TMP/out")"
grep -qF 'added: inputs/x\nchanged: decision.json (sha256 0)\x1b[2K (not in the manifest)' "$E2E_TMP/out" \
	&& pass "name escaped" || fail "name not escaped: $(cat -v "$E2E_TMP/out")"
grep -q "$(printf '\033')" "$E2E_TMP/out" "$E2E_TMP/err" && fail "terminal escape in the output"
# The same path in the manifest is unusable input (exit 2, one line).
rm -rf "$E2E_TMP/t"; cp -r evidence "$E2E_TMP/t"
jq '.files[0].path = "x\nchanged: decision.json\u001b[2K"' evidence/manifest.json >"$E2E_TMP/t/manifest.json"
expect_exit 2 "manifest path with a newline" -- "$SDL_GATE" verify "$E2E_TMP/t"
expect_one_line_error "manifest.json"
grep -q "$(printf '\033')" "$E2E_TMP/out" "$E2E_TMP/err" && fail "terminal escape in the output"
# The package directory named on the command line is escaped on stderr too.
mv "$E2E_TMP/t" "$E2E_TMP/$name"
cp evidence/manifest.json "$E2E_TMP/$name/manifest.json"
echo extra >"$E2E_TMP/$name/added.txt"
expect_exit 1 "tampered package with a hostile directory name" -- "$SDL_GATE" verify "$E2E_TMP/$name"
[ "$(wc -l <"$E2E_TMP/err")" -eq 1 ] && pass "one stderr line" || fail "stderr split: $(cat -v "$E2E_TMP/err")"
finish
