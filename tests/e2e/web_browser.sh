#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The search page at GET / in a real browser: Debian's chromium, headless, driven through
# chromium-driver by python3-selenium (tests/e2e/web_browser.py) against the real silkd on
# TCP with its token. The corpus is the corpus article, a hostile article whose title,
# paragraphs and references are markup (<script>, "><img onerror=...>), and a Persian
# paragraph. Screenshots go to the test logs ($SILK_BUILD/test-logs/web_browser*.png);
# SILK_WEB_SCREENSHOT=PATH also writes the desktop one there (`make screenshot` uses it for
# docs/screenshot-web.png). The browser, its driver and selenium come with the dependency
# step (scripts/install-deps.sh); when one is missing this test fails saying which.
. "$(dirname "$0")/lib.sh"

need() { fail "$1 is missing: scripts/install-deps.sh installs it (make deps), then run this test again"; }
chromium="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$chromium" ] || need "chromium (Debian package chromium)"
driver="$(command -v chromedriver || true)"
[ -n "$driver" ] || { [ -x /usr/lib/chromium/chromedriver ] && driver=/usr/lib/chromium/chromedriver; } ||
    need "chromedriver (Debian package chromium-driver)"
# Debian's python3-selenium is installed for Debian's python3, which another python3 first
# on PATH (a pyenv, a venv) may not see.
py=""
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import selenium' 2>/dev/null; then
        py="$p"
        break
    fi
done
[ -n "$py" ] || need "selenium for python3 (Debian package python3-selenium)"
ok "browser $("$chromium" --version 2>/dev/null | head -1), driver $("$driver" --version | head -1 | cut -d' ' -f1-2), $("$py" -c 'import selenium; print("selenium", selenium.__version__)')"

# The page's policy names its script by hash: a stale hash would keep the script from running.
python3 "$SILK_ROOT/scripts/web-csp.py" --check "$SILK_ROOT/server/web/index.html" ||
    fail "the Content-Security-Policy of server/web/index.html does not name its script (run scripts/web-csp.py server/web/index.html)"
ok "the page's CSP names its script's SHA-256"

# ---- the corpus -----------------------------------------------------------------------------
corpus_article
cat >"$T/corpus/hostile.txt" <<'EOF'
Hostile <script>window.__pwned=1;alert("title")</script> page
This zanzibar article carries <script>window.__pwned=1;alert(1)</script> in its lead, which must show as text.[1]
Markup
The zanzibar markup "><img src=x onerror=window.__pwned=1> and <b onmouseover="window.__pwned=1">bold</b> stays text too.[1][2]
Persian
ایران زنگبار و کرهی شمالی در سال‌های اخیر روابط فرهنگی داشته‌اند و این پاراگراف فارسی است.
References
- Zanzibarian, Alice (2006). "<script>window.__pwned=1</script> A zanzibar study". Retrieved 2010.
- Bob Smith, "Other"><img src=x onerror=window.__pwned=1>", zanzibar notes, 2011.
EOF
index_corpus -3 --quiet

# ---- silkd on TCP, with its token -------------------------------------------------------------
mkdir -m 700 "$T/run"
sock="$T/run/s.sock"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_silkd -w 60 "$sock" --threads 2 --listen "127.0.0.1:$port"
[ -s "$sock.token" ] || fail "silkd wrote no token at $sock.token"
page=$(python3 -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=30).read().decode())' "http://127.0.0.1:$port/") ||
    fail "GET / on TCP failed: $(tail -5 "$T/silkd.log")"
assert_contains "$page" '<input id="q"' "GET / serves the search page"

# ---- the browser --------------------------------------------------------------------------------
logs="${SILK_BUILD:-build}/test-logs"
case "$logs" in /*) ;; *) logs="$SILK_ROOT/$logs" ;; esac
mkdir -p "$logs"
rm -f "$logs"/web_browser-failure.* # what a failed run left
shot="${SILK_WEB_SCREENSHOT:-}"
if [ -n "$shot" ]; then
    case "$shot" in /*) ;; *) shot="$SILK_ROOT/$shot" ;; esac
fi
# Chromium writes its profile, crash reports and caches under HOME and the profile folder:
# both in the test's own folder, whoever runs it.
mkdir -m 700 "$T/home" "$T/chrome"
rc=0
HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_CACHE_HOME="$T/home/.cache" \
    SILK_CHROMIUM="$chromium" SILK_CHROMEDRIVER="$driver" PYTHONDONTWRITEBYTECODE=1 \
    timeout 600 "$py" "$SILK_ROOT/tests/e2e/web_browser.py" "http://127.0.0.1:$port/" \
    "$sock.token" "$logs" "$T/chrome" "$shot" || rc=$?
[ "$rc" -eq 0 ] || fail "the browser test failed (exit $rc); screenshots and the driver's log in $logs"
ok "the page in chromium: every check passed; screenshots in $logs"
stop_silkd "$pid" "silkd exit status"
