#!/usr/bin/env bash
# Helpers for the hook and CI tests (tests/e2e/hooks_*.sh, ci_*.sh), sourced
# after lib.sh. Run directly (ctest: e2e.hooks_lib), it lints hooks/ with
# shellcheck and checks that no hook script contains a git command that
# writes the index or the work tree.
#
#   HOOKS              the hooks/ folder of the source tree
#   make_stub_analyze  an sdl-analyze stand-in that reads the INDEX (git
#                      cat-file :path, so it honours GIT_INDEX_FILE) and
#                      reports one finding per line holding BAD_WARNING /
#                      BAD_ERROR / BAD_NOTE. Records its argv (NUL-separated)
#                      in $STUB_LOG; sleeps $STUB_SLEEP seconds first.
#   make_c_repo DIR    a small C project with build/compile_commands.json
#   snapshot DIR       one hash over `git status --porcelain=v1 -z`, the
#                      index file's bytes and every work-tree file's path,
#                      mode and bytes (SNAPSHOT_INDEX=entries: the index
#                      entries instead of the file's bytes)

# need_pkg PACKAGE CHECK...: run CHECK; when it fails and we are root (as in
# CI), install the Debian PACKAGE (apt-get, waiting for the dpkg lock; an
# `apt-get update` first when the package lists are empty). Returns CHECK's
# final status; the caller reports a missing tool as a failure.
need_pkg() {
	local pkg=$1; shift
	"$@" >/dev/null 2>&1 && return 0
	[ "$(id -u)" = 0 ] || return 1
	local apt=(apt-get -y -q -o DPkg::Lock::Timeout=300)
	DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --no-install-recommends "$pkg" >"${E2E_TMP:-/tmp}/apt-$pkg.log" 2>&1 ||
		{ DEBIAN_FRONTEND=noninteractive "${apt[@]}" update >/dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --no-install-recommends "$pkg" >"${E2E_TMP:-/tmp}/apt-$pkg.log" 2>&1; }
	"$@" >/dev/null 2>&1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	. "$SDL_TESTS_DIR/e2e/lib.sh"
	HOOKS=$SDL_SOURCE_DIR/hooks
	need_pkg shellcheck shellcheck --version
	need_pkg jq jq --version
	if command -v shellcheck >/dev/null; then
		if (cd "$SDL_SOURCE_DIR" && shellcheck -x -s bash hooks/pre-commit hooks/pre-push hooks/commit-msg \
			hooks/sdl-hooks hooks/sdl-ci hooks/lib-sdl-hooks.sh) >"$E2E_TMP/sc" 2>&1; then
			pass "shellcheck hooks/"
		else
			fail "shellcheck hooks/"; cat "$E2E_TMP/sc" >&2
		fi
	else
		fail "shellcheck not installed (apt-get install shellcheck)"
	fi
	# No writing git command in the hooks (sdl-ci may fetch, nothing else).
	if grep -nE 'git( -C [^ ]+)? +(add|stash|checkout|update-index|reset|restore|rm|mv|apply|read-tree|checkout-index|commit|write-tree)\b' \
		"$HOOKS"/pre-commit "$HOOKS"/pre-push "$HOOKS"/commit-msg "$HOOKS"/lib-sdl-hooks.sh |
		grep -vE '^[^:]+:[0-9]+:[[:space:]]*#' | grep -vE 'sdl_say'; then
		fail "a hook runs a git command that writes the index or the work tree"
	else
		pass "hooks run only read-only git commands"
	fi
	finish
fi

HOOKS=$SDL_SOURCE_DIR/hooks
# jq writes the fixture databases and reads SARIF: install it when missing.
need_pkg jq jq --version || { fail "jq not installed (apt-get install jq)"; finish; }
export TMPDIR=$E2E_TMP/tmp
mkdir -p "$TMPDIR" "$E2E_TMP/bin"

make_stub_analyze() {
	cat >"$E2E_TMP/bin/sdl-analyze" <<'EOF'
#!/usr/bin/env bash
# Stand-in for sdl-analyze --staged (see hooks_lib.sh).
[ -n "${STUB_LOG:-}" ] && printf '%s\0' "$@" >"$STUB_LOG"
[ -n "${STUB_SLEEP:-}" ] && sleep "$STUB_SLEEP"
staged=0 failon=warning files=()
while [ $# -gt 0 ]; do
	case $1 in
	--staged) staged=1 ;;
	--no-cache) ;;
	--fail-on) failon=$2; shift ;;
	-p | --format | --baseline | --cache | --diff-base) shift ;;
	--) break ;;
	-*) echo "sdl-analyze(stub): unknown option $1" >&2; exit 2 ;;
	*) files+=("$1") ;;
	esac
	shift
done
top=$(git rev-parse --show-toplevel)
# --staged: the index (GIT_INDEX_FILE honoured, as git does); else the work tree
content() { if [ $staged = 1 ]; then git cat-file blob ":$1"; else cat -- "$top/$1"; fi; }
rank() { case $1 in note) echo 1 ;; warning) echo 2 ;; error) echo 3 ;; esac; }
fr=$(rank "$failon") worst=0
for f in "${files[@]}"; do
	rel=${f#"$top"/}
	[ $staged = 0 ] || git cat-file -e ":$rel" 2>/dev/null || { echo "sdl-analyze(stub): $rel: not in the index" >&2; exit 2; }
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		for lv in note warning error; do
			up=$(printf '%s' "$lv" | tr a-z A-Z)
			case $line in *"BAD_$up"*)
				printf '%s:%d:1: %s: stub finding [stub.bad]\n' "$rel" "$n" "$lv"
				r=$(rank "$lv"); [ "$r" -gt "$worst" ] && worst=$r ;;
			esac
		done
	done < <(content "$rel")
done
[ "$worst" -ge "$fr" ] && exit 1
exit 0
EOF
	chmod +x "$E2E_TMP/bin/sdl-analyze"
	export SDL_ANALYZE=$E2E_TMP/bin/sdl-analyze
}

# make_c_repo DIR: src/{a,b}.c, include/x.h, a compile database, one commit.
make_c_repo() {
	local d=$1
	new_repo "$d"
	mkdir -p "$d/src" "$d/include" "$d/build"
	printf '#ifndef X_H\n#define X_H\nint x(int v);\n#endif\n' >"$d/include/x.h"
	printf '#include "x.h"\nint x(int v) { return v + 1; }\n' >"$d/src/a.c"
	printf '#include "x.h"\nint b(void) { return x(1); }\n' >"$d/src/b.c"
	printf 'build/\n' >"$d/.gitignore"
	write_compdb "$d" src/a.c src/b.c
	git -C "$d" add -A && git -C "$d" commit -q -m "initial"
}

# write_compdb DIR FILE...: build/compile_commands.json for FILEs (arguments form).
write_compdb() {
	local d=$1 f first=1
	shift
	mkdir -p "$d/build"
	{
		printf '[\n'
		for f in "$@"; do
			[ $first = 1 ] || printf ',\n'
			first=0
			jq -n --arg dir "$d" --arg file "$d/$f" --arg out "$d/build/${f//\//_}.o" \
				'{directory: $dir, file: $file, output: $out,
				  arguments: ["cc", "-std=c11", "-I\($dir)/include", "-c", $file, "-o", $out]}'
		done
		printf ']\n'
	} >"$d/build/compile_commands.json"
}

# compdb_staged DIR: DIR/build/compile_commands.json listing every .c file of
# the index (what a re-run configure step would give).
compdb_staged() {
	local f list=()
	while IFS= read -r -d '' f; do case $f in *.c) list+=("$f") ;; esac; done < <(git -C "$1" ls-files -z --cached)
	write_compdb "$1" "${list[@]}"
}

snapshot() {
	(
		cd "$1" || exit 1
		{
			GIT_OPTIONAL_LOCKS=0 git status --porcelain=v1 -z --untracked-files=all
			printf '\0--index\0'
			if [ "${SNAPSHOT_INDEX:-bytes}" = bytes ]; then
				sha256sum <"$(git rev-parse --git-path index)"
			else # entries only (mode, blob, stage, path), for tools that refresh stat data
				git ls-files -s -z | sha256sum
			fi
			printf '\0--files\0'
			find . -path ./.git -prune -o \( -type f -o -type l \) -print0 | LC_ALL=C sort -z |
				while IFS= read -r -d '' f; do
					printf '%s\0' "$f"
					stat -c '%a' -- "$f"
					if [ -L "$f" ]; then readlink -- "$f"; else sha256sum <"$f"; fi
				done
		} | sha256sum | cut -c1-64
	)
}

# expect_same_snapshot WHAT DIR BEFORE
expect_same_snapshot() {
	local now
	now=$(snapshot "$2")
	if [ "$now" = "$3" ]; then pass "$1: status, index and work tree unchanged"; else fail "$1: repository changed"; fi
}

# expect_grep WHAT PATTERN FILE: a fixed string must occur in FILE.
# FILE "all": stdout and stderr of the last expect_exit.
expect_grep() {
	if [ "$3" = all ]; then
		cat "$E2E_TMP/out" "$E2E_TMP/err" >"$E2E_TMP/all"
		set -- "$1" "$2" "$E2E_TMP/all"
	fi
	if grep -qF -- "$2" "$3"; then pass "$1"; else fail "$1: '$2' not in output"; sed 's/^/  | /' "$3" >&2; fi
}
