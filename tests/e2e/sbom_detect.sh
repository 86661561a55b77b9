#!/bin/bash
# Detector rules learnt on real Debian sources (docs/sbom.md "Real code"):
# weak vendor roots (lib/, ext/) need a licence file, strong ones a README is
# enough; a copy nested in a same-name copy is reported once; lone vendored
# files (uthash.h, lzf, Steve Reid's sha1) are single-file components, not
# their whole folder; ExternalProject's target name gives way to the URL's
# library name; a library's own repository (build files at the root, the
# library in src/) is the product, not a copy of itself. Each rule is
# checked both ways.
source "$SDL_TESTS_DIR/e2e/lib.sh"
R="$E2E_TMP/repo"
new_repo "$R"
mkdir -p "$R/lib/own" "$R/lib/licensed" "$R/third_party/readme-only" "$R/deps/lua/src" "$R/deps/misc" "$R/src"
echo "# our own library" >"$R/lib/own/README.md"
echo 'int own(void);' >"$R/lib/own/own.c"
printf 'Permission is hereby granted, free of charge, to any person obtaining a copy\nThe above copyright notice and this permission notice shall be included\nTHE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND\n' >"$R/lib/licensed/LICENSE-MIT"
echo 'int l(void);' >"$R/lib/licensed/l.c"
echo "# vendored thing" >"$R/third_party/readme-only/README.md"
echo 'int t(void);' >"$R/third_party/readme-only/t.c"
for d in deps/lua/src; do
	printf '#define LUA_VERSION_MAJOR "5"\n#define LUA_VERSION_MINOR "4"\n#define LUA_VERSION_RELEASE "6"\n' >"$R/$d/lua.h"
	echo 'int lua_api(void);' >"$R/$d/lapi.c"
done
printf '/* Copyright (c) 2003-2022, Troy D. Hanson */\n#define UTHASH_VERSION 2.3.0\n' >"$R/deps/misc/uthash.h"
echo 'int other(void);' >"$R/deps/misc/other.c"
printf '/*\n * Copyright (c) 2000-2008 Marc Alexander Lehmann <schmorp@schmorp.de>\n */\n' >"$R/src/lzf_c.c"
printf '/*\nSHA-1 in C\nBy Steve Reid <steve@edmweb.com>\n100%% Public Domain\n*/\n' >"$R/src/sha1.c"
printf '/* sha1.c: our own, not Steve Reid'"'"'s */\n' >"$R/src/sha1_own.c"
cat >"$R/CMakeLists.txt" <<'C'
include(ExternalProject)
ExternalProject_Add(zlib_ep URL https://zlib.net/zlib-1.3.1.tar.gz
  URL_HASH SHA256=9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23)
ExternalProject_Add(our_tool URL https://example.org/our-tool-2.0.tar.gz)
C
git -C "$R" add -A && git -C "$R" commit -qm init

O="$E2E_TMP/o.json"
expect_exit 0 "scan" -- "$SDL_SBOM" --repo "$R" --no-cache -o "$O"
got=$(jq -r '.components[] | "\(.name)|\(.version // "-")|\(.properties | map(select(.name=="sdl:kind"))[0].value)|\(.properties | map(select(.name=="sdl:path"))[0].value)"' "$O" | sort)
want=$(sort <<'W'
zlib|1.3.1|manifest|CMakeLists.txt
our_tool|2.0|manifest|CMakeLists.txt
lua|5.4.6|vendored|deps/lua
uthash|2.3.0|vendored-file|deps/misc/uthash.h
licensed|-|unknown-vendored|lib/licensed
readme-only|-|unknown-vendored|third_party/readme-only
liblzf|-|vendored-file|src/lzf_c.c
sha1-steve-reid|-|vendored-file|src/sha1.c
W
)
[ "$got" = "$want" ] && pass "exact components" || fail "components:
$got
--- want:
$want"
jq -e '.components[] | select(.name=="licensed") | .licenses[0].license.id == "MIT"' "$O" >/dev/null &&
	pass "licence of an unknown component from its LICENSE-MIT" || fail "LICENSE-MIT not matched"
validate_cyclonedx "$O"

# A repository that IS the library (lua's own tree: Makefile at the root, the
# library in src/) is the product, not a vendored copy of itself; the same
# src/ in a tree without build files of its own is reported.
P="$E2E_TMP/product"
new_repo "$P"
mkdir -p "$P/src" "$P/doc"
printf '#define LUA_VERSION_MAJOR "5"\n#define LUA_VERSION_MINOR "4"\n#define LUA_VERSION_RELEASE "4"\n' >"$P/src/lua.h"
echo 'int lua_api(void);' >"$P/src/lapi.c"
echo 'all:' >"$P/Makefile"
echo 'Lua manual' >"$P/doc/readme.html"
git -C "$P" add -A && git -C "$P" commit -qm init
expect_exit 0 "scan of a library's own repository" -- "$SDL_SBOM" --repo "$P" --no-cache -o "$O"
n=$(jq '.components | length' "$O")
[ "$n" = 0 ] && pass "the library's own src/ is the product, not a component" ||
	fail "product reported as its own component: $(jq -c '[.components[].name]' "$O")"
git -C "$P" rm -q Makefile && git -C "$P" commit -qm "no build files"
expect_exit 0 "scan without root build files" -- "$SDL_SBOM" --repo "$P" --no-cache -o "$O"
jq -e '[.components[] | select(.name == "lua" and .version == "5.4.4")] | length == 1' "$O" >/dev/null &&
	pass "src/ of a tree without its own build files is a vendored copy" ||
	fail "lua in src/ not reported without root build files: $(jq -c '[.components[].name]' "$O")"
finish
