#!/usr/bin/env bash
# The HTML traceability matrix in a real browser (headless Chromium, Debian's
# chromium package): every requirement row renders, and the page loads
# nothing from outside even when evidence text carries markup that would
# (it must arrive escaped). A local HTTP server counts any request.
. "$SDL_TESTS_DIR/e2e/lib.sh"
FIX="$SDL_TESTS_DIR/fixtures/gate"
. "$FIX/repo.sh"

BROWSER=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$BROWSER" ]; then
	fail "chromium not installed (Debian: apt-get install chromium)"
	finish
fi

R="$E2E_TMP/repo"
build_base "$R"
# A listener standing in for "outside": any request the page makes lands here.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$PORT" "$E2E_TMP/hits.log" >/dev/null 2>&1 <<'EOF' &
import http.server, sys
port, log = int(sys.argv[1]), sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        open(log, "a").write(self.path + "\n"); self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
EOF
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$E2E_TMP"' EXIT
sleep 0.5
# Hostile evidence: a failing test whose name is markup pointing at the listener.
python3 - "$R/evidence/junit.xml" "$PORT" <<'EOF'
import sys
path, port = sys.argv[1], sys.argv[2]
hostile = ("&lt;img src=http://127.0.0.1:%s/img&gt;&lt;script src=http://127.0.0.1:%s/js&gt;&lt;/script&gt;"
           "&lt;link rel=stylesheet href=http://127.0.0.1:%s/css&gt;" % (port, port, port))
s = open(path).read().replace(
    '<testcase name="package_signature" classname="unit" time="0.1" status="run">',
    '<testcase name="%s" classname="unit" status="fail"><failure/>' % hostile)
open(path, "w").write(s)
EOF
expect_exit 1 "evaluate (refused: a test fails)" -- "$SDL_GATE" evaluate --repo "$R" --now 2026-03-01 \
	--format html -o "$E2E_TMP/report.html"
grep -q "127.0.0.1:$PORT" "$E2E_TMP/report.html" || fail "hostile text did not reach the report (test is void)"

timeout 120 "$BROWSER" --headless=new --no-sandbox --disable-gpu --no-first-run \
	--disable-background-networking --disable-component-update \
	--user-data-dir="$E2E_TMP/profile" --log-net-log="$E2E_TMP/netlog.json" \
	--virtual-time-budget=3000 --dump-dom "file://$E2E_TMP/report.html" >"$E2E_TMP/dom.html" 2>"$E2E_TMP/chromium.log"
[ -s "$E2E_TMP/dom.html" ] || { fail "chromium rendered nothing"; tail -5 "$E2E_TMP/chromium.log" >&2; finish; }
rows=$(grep -o '<tr id="req-[A-Z]*-[0-9]*"' "$E2E_TMP/dom.html" | sort -u | wc -l)
[ "$rows" = 47 ] && pass "47 requirement rows rendered" || fail "$rows requirement rows rendered, want 47"
for id in SM-1 SM-13 SR-5 SD-4 SI-2 SVV-5 DM-6 SUM-5 SG-7; do
	grep -q "<tr id=\"req-$id\"" "$E2E_TMP/dom.html" || fail "row $id missing"
done
grep -q '<svg' "$E2E_TMP/dom.html" && pass "the picture is there" || fail "no inline SVG"
grep -q '<img src=' "$E2E_TMP/dom.html" && fail "evidence markup became an element"
sleep 0.5
if [ -s "$E2E_TMP/hits.log" ]; then
	fail "the page made requests: $(tr '\n' ' ' <"$E2E_TMP/hits.log")"
else
	pass "no request reached the outside listener"
fi
# Requests the page itself started (Chromium's own background traffic has no initiator).
python3 - "$E2E_TMP/netlog.json" <<'EOF' && pass "net log: the page requested nothing but its own file" || fail "net log shows page requests"
import json, sys
d = json.load(open(sys.argv[1]))
types = {v: k for k, v in d["constants"]["logEventTypes"].items()}
bad = [e["params"]["url"] for e in d["events"]
       if types.get(e["type"]) == "URL_REQUEST_START_JOB"
       and e.get("params", {}).get("initiator", "not an origin") != "not an origin"
       and not e["params"]["url"].startswith(("file:", "data:"))]
print("\n".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
finish
