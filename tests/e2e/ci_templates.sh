#!/usr/bin/env bash
# docs/ci templates: valid YAML with what the issue asks (SARIF upload with one
# category per tool and security-events: write, JUnit, artifacts, full
# history; sharded variants with a matrix / parallel: and a merge job), and
# every sdl-ci option they use is one sdl-ci accepts.
. "$SDL_TESTS_DIR/e2e/lib.sh"
. "$SDL_TESTS_DIR/e2e/hooks_lib.sh"
need_pkg python3-yaml python3 -c 'import yaml' || fail "python3-yaml not installed (apt-get install python3-yaml)"
D=$SDL_SOURCE_DIR/docs/ci
python3 - "$D" <<'PY' >"$E2E_TMP/out" 2>&1 && pass "template structure" || { fail "template structure"; cat "$E2E_TMP/out" >&2; }
import sys, yaml, os
d = sys.argv[1]
def load(n): return yaml.safe_load(open(os.path.join(d, n)))
def steps(job): return job.get("steps", [])
def uses(job, what): return [s for s in steps(job) if what in str(s.get("uses", ""))]
def runs(job): return " ".join(str(s.get("run", "")) for s in steps(job))
g = load("github-actions.yml")["jobs"]["gate"]
assert g["permissions"]["security-events"] == "write"
assert uses(g, "checkout")[0]["with"]["fetch-depth"] == 0
cats = [s["with"]["category"] for s in uses(g, "upload-sarif")]
assert len(cats) == len(set(cats)) >= 1, cats
assert uses(g, "upload-artifact") and uses(g, "junit")
assert "sdl-ci" in runs(g)
s = load("github-actions-sharded.yml")["jobs"]
shards = s["analyze"]["strategy"]["matrix"]["shard"]
assert shards == list(range(1, len(shards) + 1)), shards
assert "--shard ${{ matrix.shard }}/${{ env.SDL_SHARDS }}" in runs(s["analyze"])
assert str(len(shards)) == str(load("github-actions-sharded.yml")["env"]["SDL_SHARDS"])
assert s["gate"]["needs"] == "analyze" and "--sarif" in runs(s["gate"])
assert s["gate"]["permissions"]["security-events"] == "write"
l = load("gitlab-ci.yml")["sdl-gate"]
assert l["variables"]["GIT_DEPTH"] == 0
assert l["artifacts"]["reports"]["sast"].endswith("gl-sast-report.json") and "junit" in l["artifacts"]["reports"]
assert "--gitlab" in " ".join(l["script"])
ls = load("gitlab-ci-sharded.yml")
assert isinstance(ls["sdl-analyze"]["parallel"], int) and ls["sdl-analyze"]["parallel"] > 1
assert "--shard \"$CI_NODE_INDEX/$CI_NODE_TOTAL\"" in " ".join(ls["sdl-analyze"]["script"])
assert ls["sdl-gate"]["needs"] == ["sdl-analyze"] and "--sarif" in " ".join(ls["sdl-gate"]["script"])
assert "--gitlab" in " ".join(ls["sdl-analyze"]["script"]) and "--gitlab" not in " ".join(ls["sdl-gate"]["script"])
assert ls["sdl-analyze"]["artifacts"]["reports"]["sast"] == "sdl-out/gl-sast-report.json"
print("ok")
PY
# every --option after sdl-ci in the templates appears in sdl-ci --help
"$SDL_SOURCE_DIR/hooks/sdl-ci" --help >"$E2E_TMP/help"
for opt in $(grep -ho 'sdl-ci [^#]*' "$D"/*.yml | grep -oE -- '--[a-z-]+' | sort -u); do
	grep -qF -- "$opt" "$E2E_TMP/help" && pass "sdl-ci $opt documented" || fail "template uses sdl-ci $opt, which sdl-ci does not document"
done
# every sdl-out/FILE the templates publish is an output sdl-ci documents
for f in $(grep -ho 'sdl-out/[A-Za-z0-9._*-]*' "$D"/*.yml | sed 's|sdl-out/||' | sort -u); do
	[ -z "$f" ] && continue
	pat=${f%%\**} # a glob: its fixed prefix
	grep -qF -- "$pat" "$E2E_TMP/help" && pass "template output $f documented by sdl-ci" || fail "template publishes sdl-out/$f, which sdl-ci does not write"
done
finish
