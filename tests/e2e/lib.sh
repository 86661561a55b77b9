# Shared helpers for end-to-end tests (sourced by tests/e2e/*.sh).
# Environment (set by ctest): SDL_ANALYZE SDL_SBOM SDL_GATE SDL_SCHEMAS SDL_AJV
# SDL_SOURCE_DIR SDL_BUILD_DIR SDL_TESTS_DIR.
set -u
set -o pipefail

E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sdl-e2e.XXXXXX")
trap 'rm -rf "$E2E_TMP"' EXIT
E2E_FAILS=0

fail() { printf 'FAIL: %s\n' "$*" >&2; E2E_FAILS=$((E2E_FAILS + 1)); }
pass() { printf 'ok: %s\n' "$*"; }
# Finish the script: exit 1 if any check failed.
finish() { [ "$E2E_FAILS" -eq 0 ] || { printf '%d check(s) failed\n' "$E2E_FAILS" >&2; exit 1; }; exit 0; }

# expect_exit CODE DESCRIPTION -- COMMAND...: run COMMAND, compare its exit code.
# Its stdout and stderr are kept in $E2E_TMP/out and $E2E_TMP/err.
expect_exit() {
	local want=$1 what=$2; shift 3
	"$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
	local got=$?
	if [ "$got" = 99 ]; then fail "$what: sanitizer report"; cat "$E2E_TMP/err" >&2; return 1; fi
	if [ "$got" != "$want" ]; then
		fail "$what: exit $got, want $want"; sed 's/^/  stderr: /' "$E2E_TMP/err" | head -20 >&2; return 1
	fi
	pass "$what"
}

# expect_one_line_error FILE_MENTION: stderr of the last command is exactly
# one line and mentions the given string.
expect_one_line_error() {
	local lines; lines=$(wc -l <"$E2E_TMP/err")
	if [ "$lines" != 1 ]; then fail "stderr has $lines lines, want 1"; cat "$E2E_TMP/err" >&2; return 1; fi
	if ! grep -qF -- "$1" "$E2E_TMP/err"; then fail "stderr does not name '$1': $(cat "$E2E_TMP/err")"; return 1; fi
	pass "one clear line naming $1"
}

_ajv() {
	if [ -z "${SDL_AJV:-}" ] || [ ! -x "$SDL_AJV" ]; then
		fail "ajv not available (scripts/test installs it into build/tools)"; return 1
	fi
	"$SDL_AJV" validate --spec=draft7 -c ajv-formats --strict=false "$@" >"$E2E_TMP/ajv.log" 2>&1 \
		|| { cat "$E2E_TMP/ajv.log" >&2; return 1; }
}

# ajv picks its parser by extension: validate a copy named *.json.
_as_json() { local c="$E2E_TMP/validate.$$.$RANDOM.json"; cp "$1" "$c"; printf '%s' "$c"; }

validate_sarif() {
	_ajv -s "$SDL_SCHEMAS/sarif-schema-2.1.0.draft7.json" -d "$(_as_json "$1")" \
		&& pass "SARIF 2.1.0 schema: $(basename "$1")" || fail "SARIF schema: $1"
}
validate_cyclonedx() {
	_ajv -s "$SDL_SCHEMAS/bom-1.6.schema.json" -r "$SDL_SCHEMAS/spdx.schema.json" \
		-r "$SDL_SCHEMAS/jsf-0.82.schema.json" -d "$(_as_json "$1")" \
		&& pass "CycloneDX 1.6 schema: $(basename "$1")" || fail "CycloneDX schema: $1"
}
validate_spdx() {
	_ajv -s "$SDL_SCHEMAS/spdx-2.3.schema.json" -d "$(_as_json "$1")" \
		&& pass "SPDX 2.3 schema: $(basename "$1")" || fail "SPDX schema: $1"
}

# A fixture git repository with a fixed identity and dates (deterministic ids).
new_repo() {
	local dir=$1
	git init -q -b main "$dir"
	git -C "$dir" config user.name "Test Author"
	git -C "$dir" config user.email "author@example.com"
	git -C "$dir" config commit.gpgsign false
}
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
