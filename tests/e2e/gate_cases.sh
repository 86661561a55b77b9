#!/usr/bin/env bash
# Data-driven sdl-gate cases: tests/fixtures/gate/cases/<case>/ holds
#   apply.sh  (optional) run inside a fresh copy of the fixture repository
#             built from tests/fixtures/gate/base (helpers below);
#   expect    "exit N", "<REQ> <status>", "check <id> <pass|fail|missing>",
#             "text <substring of the decision JSON>".
# Each case is evaluated as of 2026-03-01 with the default policy, with
# --package, and the package is verified.
. "$SDL_TESTS_DIR/e2e/lib.sh"

FIX="$SDL_TESTS_DIR/fixtures/gate"
NOW=2026-03-01T00:00:00Z
. "$FIX/repo.sh"

check_expect() { # CASE JSON EXPECTFILE GOT_EXIT
	local name=$1 json=$2 exp=$3 got=$4 kind a b
	while read -r kind a b; do
		case $kind in
		exit)
			[ "$got" = "$a" ] || fail "$name: exit $got, want $a" ;;
		check)
			local st; st=$(jq -r --arg id "$a" '.checks[] | select(.id == $id) | .state' "$json")
			[ "$st" = "$b" ] || fail "$name: check $a is '$st', want '$b'" ;;
		text)
			local t="$a${b:+ $b}"
			grep -qF -- "$t" "$json" || fail "$name: decision does not mention '$t'" ;;
		"") ;;
		*)
			local st; st=$(jq -r --arg id "$kind" '.requirements[] | select(.id == $id) | .status' "$json")
			[ "$st" = "$a" ] || fail "$name: $kind is '$st', want '$a' ($(jq -c --arg id "$kind" '.requirements[] | select(.id == $id) | [.reasons[] | select(.ok == false) | .text]' "$json"))" ;;
		esac
	done <"$exp"
}

build_base "$E2E_TMP/base"
for case_dir in "$FIX"/cases/*/; do
	name=$(basename "$case_dir")
	repo="$E2E_TMP/case-$name"
	cp -r "$E2E_TMP/base" "$repo"
	if [ -f "$case_dir/apply.sh" ]; then
		(cd "$repo" && set -e && . "$case_dir/apply.sh") >"$E2E_TMP/apply.log" 2>&1 \
			|| { fail "$name: apply.sh failed"; cat "$E2E_TMP/apply.log" >&2; continue; }
	fi
	json="$E2E_TMP/$name.json"
	"$SDL_GATE" evaluate --repo "$repo" --now "$NOW" --format json -o "$json" \
		--package "$E2E_TMP/pkg-$name" -q 2>"$E2E_TMP/err"
	got=$?
	if [ "$got" = 99 ] || [ "$got" -ge 2 ]; then
		fail "$name: exit $got"; cat "$E2E_TMP/err" >&2; continue
	fi
	before=$E2E_FAILS
	check_expect "$name" "$json" "$case_dir/expect" "$got"
	"$SDL_GATE" verify "$E2E_TMP/pkg-$name" >/dev/null 2>&1 || fail "$name: package does not verify"
	cmp -s "$json" "$E2E_TMP/pkg-$name/decision.json" || fail "$name: packaged decision differs from -o"
	[ "$E2E_FAILS" = "$before" ] && pass "case $name"
done
finish
