# shellcheck shell=bash
# Shared helpers of the SDL git hooks and hooks/sdl-ci (sourced, never run).
#
# Everything here only READS the repository: no `git add`, no stash, no
# checkout, no update-index. Temporary files go under $TMPDIR, never into the
# work tree or $GIT_DIR.

# shellcheck disable=SC2034 # used by the scripts that source this file
SDL_HOOKS_VERSION=0.1.0

# No git command we run may take the index lock to refresh stat data
# (git status and friends do that opportunistically): the index stays as is.
export GIT_OPTIONAL_LOCKS=0

# Directory of the script that sourced us, symlinks resolved (so a symlink
# in /usr/local/bin or a shim in .git/hooks still finds its siblings).
sdl_hooks_dir=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")

# sdl_say NAME: MESSAGE... on stderr (git shows hook stderr to the user).
sdl_say() { printf '%s\n' "$*" >&2; }

# Wall clock for the "took N s" line (bash 5 EPOCHREALTIME; no process).
sdl_usec() { local t=${EPOCHREALTIME:-$(date +%s.%N | cut -c1-17)}; t=${t/[.,]/}; printf '%s' "${t:0:16}"; }
sdl_clock_start() { sdl_t0=$(sdl_usec); }
sdl_clock_elapsed() {
	local d=$(( ($(sdl_usec) - sdl_t0) / 10000 ))
	printf '%d.%02d s' $((d / 100)) $((d % 100))
}

# sdl_find_tool NAME ENVVAR: print the path of tool NAME, or nothing.
# Order: $ENVVAR, git config sdl.toolDir, beside this script (installed
# layouts: same dir, ../bin, ../../bin; source tree: ../build/<dir>/), PATH.
sdl_find_tool() {
	local name=$1 var=$2 sub cand dir
	cand=${!var:-}
	if [ -n "$cand" ]; then
		[ -x "$cand" ] && { printf '%s\n' "$cand"; return 0; }
		sdl_say "sdl: \$$var=$cand is not an executable"
		return 1
	fi
	dir=$(SDL_NO_ENV='' sdl_config sdl.toolDir SDL_NO_ENV '')
	if [ -n "$dir" ] && [ -x "$dir/$name" ]; then printf '%s\n' "$dir/$name"; return 0; fi
	case $name in
	sdl-analyze) sub=analyzers ;;
	sdl-sbom) sub=sbom ;;
	*) sub=$name ;;
	esac
	for cand in "$sdl_hooks_dir/$name" "$sdl_hooks_dir/../bin/$name" \
		"$sdl_hooks_dir/../../bin/$name" "$sdl_hooks_dir/../build/$sub/$name"; do
		if [ -x "$cand" ] && [ ! -d "$cand" ]; then readlink -f "$cand"; return 0; fi
	done
	command -v "$name" 2>/dev/null
}

# Every sdl.* setting, read with ONE git process the first time one is asked
# for (git prints section and variable names in lower case; the last value
# of a key wins, as with git config --get).
declare -A sdl_cfg=()
sdl_cfg_loaded=0
sdl_config_load() {
	local e
	[ $sdl_cfg_loaded = 1 ] && return
	sdl_cfg_loaded=1
	while IFS= read -r -d '' e; do
		case $e in *$'\n'*) sdl_cfg["${e%%$'\n'*}"]=${e#*$'\n'} ;; *) sdl_cfg["$e"]=true ;; esac
	done < <(git config -z --get-regexp '^sdl\.' 2>/dev/null)
}

# sdl_config KEY ENVVAR DEFAULT: the environment wins over git config.
sdl_config() {
	local key=$1 var=$2 def=$3 val
	if [ -n "${!var:-}" ]; then printf '%s\n' "${!var}"; return; fi
	sdl_config_load
	val=${sdl_cfg[${key,,}]:-}
	[ -n "$val" ] && { printf '%s\n' "$val"; return; }
	printf '%s\n' "$def"
}

# sdl_config_bool KEY ENVVAR: exit 0 when true (git's spellings of true).
sdl_config_bool() {
	local key=$1 var=$2 val
	if [ -n "${!var:-}" ]; then val=${!var}; else
		sdl_config_load
		val=${sdl_cfg[${key,,}]:-false}
	fi
	case ${val,,} in 1 | true | yes | on) return 0 ;; *) return 1 ;; esac
}

# sdl_is_c_path PATH: C/C++ sources and headers by extension (the same set as
# pre-commit's identify tags c, c++, header). sdl.hookFiles (ERE) overrides.
sdl_is_c_path() {
	local re
	re=${sdl_files_re:-'\.(c|h|cc|cp|cpp|cxx|c\+\+|C|hh|hpp|hxx|h\+\+|H|ipp|tcc|inl)$'}
	[[ $1 =~ $re ]]
}

# sdl_find_compdb TOP: the directory holding compile_commands.json; returns 1
# when there is none, 2 when the configured one has none.
# sdl.buildDir / $SDL_HOOK_BUILD_DIR first (relative to TOP), then build/,
# TOP itself, build*/ and out/*/ (first in C-locale order).
sdl_find_compdb() {
	local top=$1 conf cand
	conf=$(sdl_config sdl.buildDir SDL_HOOK_BUILD_DIR '')
	if [ -n "$conf" ]; then
		case $conf in /*) cand=$conf ;; *) cand=$top/$conf ;; esac
		[ -f "$cand/compile_commands.json" ] && { printf '%s\n' "$cand"; return 0; }
		sdl_say "sdl: sdl.buildDir=$conf has no compile_commands.json"
		return 2
	fi
	local LC_ALL=C
	for cand in "$top/build" "$top" "$top"/build*/ "$top"/out/*/; do
		cand=${cand%/}
		[ -f "$cand/compile_commands.json" ] && { printf '%s\n' "$cand"; return 0; }
	done
	return 1
}
