#!/usr/bin/env bash
# The build itself: a missing dependency stops configure with a line naming
# the Debian package; release binaries carry the hardening flags; the compile
# database is exported.
. "$SDL_TESTS_DIR/e2e/lib.sh"

# Hide every pkg-config module: configure must stop and name the package.
PKG_CONFIG_LIBDIR=/nonexistent PKG_CONFIG_PATH= \
	expect_exit 1 "configure without libgit2" -- \
	cmake -S "$SDL_SOURCE_DIR" -B "$E2E_TMP/nodeps" -G Ninja
grep -q "missing dependency libgit2: install the Debian package 'libgit2-dev'" "$E2E_TMP/err" \
	|| fail "configure error does not name libgit2-dev: $(cat "$E2E_TMP/err")"

[ -s "$SDL_BUILD_DIR/compile_commands.json" ] && pass "compile_commands.json exported" \
	|| fail "no compile_commands.json in $SDL_BUILD_DIR"

if [ "${SDL_SANITIZE:-OFF}" = "ON" ]; then
	echo "sanitizer build: hardening flags are not expected"
	finish
fi
for bin in "$SDL_ANALYZE" "$SDL_SBOM" "$SDL_GATE"; do
	name=$(basename "$bin")
	readelf -h "$bin" | grep -q 'Type:.*DYN' && pass "$name is PIE" || fail "$name is not PIE"
	readelf -l "$bin" | grep -q 'GNU_RELRO' && pass "$name has RELRO" || fail "$name lacks RELRO"
	readelf -d "$bin" | grep -qE 'BIND_NOW|FLAGS.*NOW' && pass "$name has full RELRO (BIND_NOW)" \
		|| fail "$name lacks BIND_NOW"
	readelf -l "$bin" | grep -A1 GNU_STACK | grep -q 'RW ' && pass "$name has a non-executable stack" \
		|| fail "$name has an executable stack"
done
# Stack protector and fortify show up as libc symbols once code needs them;
# the core library copies strings and formats into buffers, so both must.
syms=$(nm -D "$SDL_GATE" 2>/dev/null)
grep -q '__stack_chk_fail' <<<"$syms" && pass "stack protector" || fail "no __stack_chk_fail in sdl-gate"
grep -qE '__[a-z]+_chk' <<<"$(grep -v __stack_chk <<<"$syms")" && pass "_FORTIFY_SOURCE" \
	|| fail "no fortified (__*_chk) calls in sdl-gate"
finish
