#!/usr/bin/env bash
# A hostile .gitmodules must not make sdl-sbom open a repository outside the
# one inspected (CWE-22; git refuses such names since CVE-2018-11235): a
# submodule name or path that climbs out is never used to open anything.
. "$SDL_TESTS_DIR/e2e/lib.sh"

outside="$E2E_TMP/outside"
new_repo "$outside"
echo upstream >"$outside/README"
git -C "$outside" add README && git -C "$outside" commit -qm upstream
git -C "$outside" tag v9.9.9
commit=$(git -C "$outside" rev-parse HEAD)

for case in name path; do
	R="$E2E_TMP/product-$case"
	new_repo "$R"
	if [ $case = name ]; then
		# .git/modules/../../../outside is $E2E_TMP/outside
		printf '[submodule "../../../outside"]\n\tpath = sub\n\turl = https://example.com/o/r\n' >"$R/.gitmodules"
	else
		printf '[submodule "sub"]\n\tpath = ../outside\n\turl = https://example.com/o/r\n' >"$R/.gitmodules"
	fi
	git -C "$R" add .gitmodules
	git -C "$R" update-index --add --cacheinfo "160000,$commit,sub"
	git -C "$R" commit -qm "add submodule"
	expect_exit 0 "sbom with a climbing submodule $case" -- "$SDL_SBOM" --repo "$R" --format cyclonedx -o "$E2E_TMP/$case.cdx.json"
	if grep -q 'v9.9.9' "$E2E_TMP/$case.cdx.json"; then
		fail "submodule $case climbing out: the tag of a repository outside the tree was read"
	else
		pass "submodule $case climbing out: nothing outside the tree was opened"
	fi
	grep -q "$commit" "$E2E_TMP/$case.cdx.json" && pass "version falls back to the gitlink commit" \
		|| fail "gitlink commit missing from the SBOM ($case)"
done
finish
