# Sourced by scripts/run and scripts/test: installs what is missing.
# Debian packages through apt-get (as root, or through sudo), the schema
# validator through npm into build/tools. A second run installs nothing.

SDL_DEBIAN_PACKAGES=(build-essential cmake ninja-build pkg-config git clang
	libclang-dev libgit2-dev libcjson-dev libpcre2-dev libcmocka-dev libssl-dev
	libexpat1-dev libarchive-dev libclang-rt-dev jq)
# Only the tests need these: the schema validator's runtime, the hook
# framework and linters they exercise, and a browser for the HTML report.
SDL_TEST_PACKAGES=(nodejs npm shellcheck pre-commit chromium)

# sdl_install_debian_packages [--tests]
sdl_install_debian_packages() {
	local missing=() p wanted=("${SDL_DEBIAN_PACKAGES[@]}")
	[ "${1:-}" = "--tests" ] && wanted+=("${SDL_TEST_PACKAGES[@]}")
	for p in "${wanted[@]}"; do
		# Node.js may come from elsewhere (NodeSource bundles npm and conflicts
		# with Debian's npm package): a working command is enough.
		case $p in
		nodejs) command -v node >/dev/null && continue ;;
		npm) command -v npm >/dev/null && continue ;;
		esac
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
			|| missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "installing Debian packages: ${missing[*]}"
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null || return 1
}

# The official-schema validator used by the tests (../shared/schemas/README.md).
sdl_install_validator() {
	local dir=$1
	if [ -x "$dir/node_modules/.bin/ajv" ] && [ -d "$dir/node_modules/ajv-formats" ]; then
		return 0
	fi
	echo "installing ajv-cli and ajv-formats into $dir"
	mkdir -p "$dir"
	npm install --prefix "$dir" --no-audit --no-fund --silent ajv-cli@5 ajv-formats@3 >/dev/null \
		|| return 1
}
