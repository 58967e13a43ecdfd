#!/usr/bin/env bash
# Browser test of `declass review` (issue 20): headless Chromium driven over the W3C
# WebDriver protocol by a small client in Python's standard library. Opens the list, opens
# a document, withholds a (U) paragraph under B6 with a reason as reviewer alice, approves
# it as reviewer bob, then checks that `declass release --require-approval` withholds it
# under B6 and that the exemption log names the reviewer. First, without the token, the
# app must refuse the browser. Takes about 6 s once built.
# Installs chromium and chromium-driver with apt-get when they are missing.
# With SCREENSHOT=path, also saves a screenshot of the document page there; with KEEP=1,
# keeps the work folder (logs, decisions file, a screenshot of a failed step).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromedriver >/dev/null || ! command -v chromium >/dev/null; then
  echo "== installing chromium and chromium-driver"
  sudo_=""
  [ "$(id -u)" = 0 ] || sudo_="sudo"
  $sudo_ apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -q chromium chromium-driver
fi

cargo build -q
bin="$PWD/target/debug/declass"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "${KEEP:-}" ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

mkdir "$work/docs" "$work/profile"
cp tests/fixtures/cables/09BERN351.txt tests/fixtures/cables/05PRAGUE337.txt "$work/docs/"
"$bin" review "$work/docs" --decisions "$work/decisions.yaml" >"$work/review.out" 2>"$work/review.err" &
pids+=($!)
for _ in $(seq 200); do grep -q http "$work/review.out" && break; sleep 0.1; done
url="$(grep -o 'http://[^ ]*' "$work/review.out" || true)"
[ -n "$url" ] || { echo "FAIL: declass review printed no address"; cat "$work/review.err"; exit 2; }

# A port the OS says is free now (chromedriver cannot be asked to pick one and say which).
driver_port="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
chromedriver --port="$driver_port" >"$work/driver.log" 2>&1 &
pids+=($!)
ready=""
for _ in $(seq 100); do
  if python3 -c "import urllib.request;urllib.request.urlopen('http://127.0.0.1:$driver_port/status')" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.2
done
[ -n "$ready" ] || { echo "FAIL: chromedriver did not start"; cat "$work/driver.log"; exit 2; }

echo "== driving $url"
WORK="$work" URL="$url" DRIVER="http://127.0.0.1:$driver_port" PROFILE="$work/profile" \
  SCREENSHOT="${SCREENSHOT:-}" python3 - <<'PY'
import base64, json, os, time, urllib.error, urllib.request

DRIVER, URL = os.environ["DRIVER"], os.environ["URL"]
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

class DriverError(Exception):
    def __init__(self, name, text):
        super().__init__(text)
        self.name = name

def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(DRIVER + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.load(r)["value"]
    except urllib.error.HTTPError as e:
        # A WebDriver error carries its name and message in the body: show them.
        body = e.read().decode()
        try:
            name = json.loads(body)["value"]["error"]
        except (ValueError, KeyError, TypeError):
            name = ""
        raise DriverError(name, "%s %s -> %s %s" % (method, path, e.code, body[:600]))

binary = next(p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(p))
args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + os.environ["PROFILE"], "--window-size=1400,1000"]
session = call("POST", "/session", {"capabilities": {"alwaysMatch": {
    "browserName": "chrome", "goog:chromeOptions": {"binary": binary, "args": args}}}})["sessionId"]
S = "/session/" + session

def eid(e):
    # W3C drivers key an element by ELEMENT; older ones by "ELEMENT".
    return e.get(ELEMENT) or e.get("ELEMENT")

def find(css, wait=30):
    end = time.time() + wait
    while True:
        found = call("POST", S + "/elements", {"using": "css selector", "value": css})
        if found:
            return eid(found[0])
        if time.time() > end:
            raise SystemExit("not found: " + css)
        time.sleep(0.2)

def click_el(e):
    # Scrolled to the middle first, as a reader would: the decision panel sticks to the
    # bottom of the window, and a driver does not scroll what is already in the viewport.
    call("POST", S + "/execute/sync", {"script": "arguments[0].scrollIntoView({block: 'center'})",
                                       "args": [{ELEMENT: e}]})
    call("POST", S + "/element/%s/click" % e, {})

def click(css):
    click_el(find(css))

def type_in(css, text):
    e = find(css)
    call("POST", S + "/element/%s/clear" % e, {})
    call("POST", S + "/element/%s/value" % e, {"text": text})

def page_text():
    # The page reloads after each save: an element found just before is then stale.
    try:
        return call("GET", S + "/element/%s/text" % find("body"))
    except DriverError as e:
        if e.name in ("stale element reference", "no such element"):
            return ""
        raise

def wait_for(text, wait=30):
    end = time.time() + wait
    while text not in page_text():
        if time.time() > end:
            raise SystemExit("page never showed: " + text)
        time.sleep(0.2)

try:
    # Without the token (no cookie yet either) the app refuses, and shows no document.
    call("POST", S + "/url", {"url": URL.split("?")[0] + "doc?path=0/09BERN351.txt"})
    wait_for("403")
    assert "BERN" not in page_text() and "Documents under review" not in page_text()
    print("browser: refused without the token")
    call("POST", S + "/url", {"url": URL})
    wait_for("Documents under review")
    assert "09BERN351.txt" in page_text()
    click('a.doc[href$="09BERN351.txt"]')
    wait_for("Click a portion to decide it.")
    rows = call("POST", S + "/elements", {"using": "css selector", "value": ".gutter[data-row]"})
    target = next(eid(r) for r in rows
                  if call("GET", S + "/element/%s/text" % eid(r)).startswith("¶5"))
    click_el(target)
    wait_for("Deciding ¶5")
    type_in("#reviewer", "alice")
    click('#action option[value="withhold"]')
    click('#code option[value="B6"]')
    type_in("#reason", "identifies a private person")
    click("#submit")
    wait_for("awaiting a second reviewer")
    type_in("#reviewer", "bob")
    click("button.approve")
    wait_for("approved by bob")
    # The decision column names the reviewer as the source (shown upper-case by the CSS).
    note = call("POST", S + "/elements", {"using": "css selector", "value": ".note .by-reviewer"})
    assert len(note) == 1, "one portion decided by a reviewer, found %d" % len(note)
    assert "reviewer alice" in page_text()
    if os.environ.get("SCREENSHOT"):
        # A shorter window at the end of the page: ¶4 (the policy's), ¶5 (the reviewer's,
        # picked) and the panel, without the long paragraph before them.
        call("POST", S + "/window/rect", {"width": 1400, "height": 720})
        call("POST", S + "/execute/sync", {"script": "window.scrollTo(0, document.body.scrollHeight)", "args": []})
        time.sleep(0.3)
        with open(os.environ["SCREENSHOT"], "wb") as f:
            f.write(base64.b64decode(call("GET", S + "/screenshot")))
    print("browser: withheld ¶5 under B6 as alice, approved as bob")
except BaseException:
    # Keep what the browser showed when a step failed, next to the driver's log.
    shot = os.path.join(os.environ["WORK"], "failure.png")
    with open(shot, "wb") as f:
        f.write(base64.b64decode(call("GET", S + "/screenshot")))
    print("the page at the failure: " + shot)
    raise
finally:
    call("DELETE", S)
PY

echo "== release with the decisions"
"$bin" release "$work/docs/09BERN351.txt" --decisions "$work/decisions.yaml" \
  --require-approval --log "$work/log.csv" >"$work/release.txt"
grep -q '^5\. (U) \[B6\]' "$work/release.txt" || { echo "FAIL: ¶5 not withheld under B6"; cat "$work/release.txt"; exit 1; }
grep -q 'reviewer alice' "$work/log.csv" || { echo "FAIL: the log does not name the reviewer"; cat "$work/log.csv"; exit 1; }
grep -q 'identifies a private person' "$work/log.csv" || { echo "FAIL: the log lacks the reason"; exit 1; }
echo "review browser test: ok"
