# SPDX-License-Identifier: GPL-2.0-or-later
"""The search page (server/web/index.html) in a real browser: Debian's chromium, headless,
driven through chromium-driver by python3-selenium, against a real silkd on TCP.

Run by web_browser.sh, which builds the corpus (the corpus article, a hostile article whose
title, paragraphs and references are markup, a Persian paragraph), indexes it and starts
silkd. Every expectation about hits is computed from the daemon's own JSON (GET /search
with the token), so the page is compared with the protocol, not with numbers written here.

usage: web_browser.py URL TOKEN_FILE OUT_DIR PROFILE_DIR [SCREENSHOT]
"""
import json
import os
import sys
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

URL, TOKEN_FILE, OUT, PROFILE = sys.argv[1:5]
SCREENSHOT = sys.argv[5] if len(sys.argv) > 5 else ""
CHROMIUM = os.environ["SILK_CHROMIUM"]
DRIVER = os.environ["SILK_CHROMEDRIVER"]
TOKEN = open(TOKEN_FILE).read().strip()
WAIT = 30  # seconds a condition may take to come true (a bound against hanging, not a timing check)
checks = 0


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    try:
        driver.save_screenshot(os.path.join(OUT, "web_browser-failure.png"))
        print("  (screenshot: %s)" % os.path.join(OUT, "web_browser-failure.png"), file=sys.stderr)
        with open(os.path.join(OUT, "web_browser-failure.html"), "w", encoding="utf-8") as f:
            f.write(driver.page_source)
        for entry in driver.get_log("browser"):
            print("  console: %s %s" % (entry.get("level"), entry.get("message")), file=sys.stderr)
    except Exception:  # the browser itself may be what failed
        pass
    sys.exit(1)


def ok(msg):
    global checks
    checks += 1
    print("ok: " + msg)


def check(cond, msg):
    if not cond:
        fail(msg)
    ok(msg)


# ---- the daemon's answers, the reference the page is compared with --------------------------
def api(path):
    req = urllib.request.Request(urllib.parse.urljoin(URL, path),
                                 headers={"Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def search(q, offset=0, mode="all", facets="kind,year,article,section"):
    p = {"q": q, "limit": "10", "offset": str(offset), "mode": mode, "facets": facets}
    r = api("/search?" + urllib.parse.urlencode(p))
    if not r.get("ok"):
        fail("GET /search %r: %r" % (q, r))
    return r


def merged(hl):
    out = []
    for s, e in sorted(hl or []):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


def marks_of(hit):
    """The texts the page must mark in the hit's snippet: its byte ranges, cut from UTF-8."""
    b = hit["snippet"].encode("utf-8")
    return [b[s:e].decode("utf-8") for s, e in merged(hit.get("highlights"))]


# ---- the browser ------------------------------------------------------------------------------
def start_browser(sandbox):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
              "--no-default-browser-check", "--disable-extensions", "--disable-sync",
              "--disable-background-networking", "--disable-component-update",
              "--no-proxy-server", "--lang=en-US", "--window-size=1280,1000",
              "--user-data-dir=" + PROFILE):
        opts.add_argument(a)
    if not sandbox:
        opts.add_argument("--no-sandbox")
    # An alert must stay open so that the test sees it, not be dismissed by the driver.
    opts.set_capability("unhandledPromptBehavior", "ignore")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=DRIVER, log_path=os.path.join(OUT, "web_browser-chromedriver.log"))
    return webdriver.Chrome(service=service, options=opts)


root = os.geteuid() == 0
try:
    # Chromium refuses its sandbox as root; as another user it is tried first.
    driver = start_browser(sandbox=not root)
except WebDriverException as e:
    if root:
        print("FAIL: chromium did not start under chromium-driver: %s" % e.msg, file=sys.stderr)
        sys.exit(1)
    print("note: chromium did not start with its sandbox (%s); trying --no-sandbox"
          % (e.msg or "").splitlines()[0])
    try:
        driver = start_browser(sandbox=False)
    except WebDriverException as e2:
        print("FAIL: chromium did not start under chromium-driver: %s" % e2.msg, file=sys.stderr)
        sys.exit(1)
print("browser: %s %s" % (driver.capabilities.get("browserName"), driver.capabilities.get("browserVersion")))


def js(script, *args):
    return driver.execute_script(script, *args)


def wait(cond, what):
    try:
        return WebDriverWait(driver, WAIT).until(lambda d: cond())
    except TimeoutException:
        fail("waited %d s for %s" % (WAIT, what))


def no_alert(where):
    try:
        a = driver.switch_to.alert
        fail("%s: an alert opened: %r" % (where, a.text))
    except NoAlertPresentException:
        pass


def hit_ids():
    return js("return Array.from(document.querySelectorAll('#hits li.hit')).map(function (l) {"
              " return l.getAttribute('data-id'); });")


def q_value():
    return js("return document.getElementById('q').value;")


def shows(r, what):
    """Waits until the page lists exactly the hits of the daemon's answer r."""
    want = [h["id"] for h in r["hits"]]
    wait(lambda: hit_ids() == want, "%s: the hits %s (the page shows %s)" % (what, want, hit_ids()))


def type_query(text):
    box = driver.find_element(By.ID, "q")
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys(text)


def check_highlights(r, what):
    """Every hit's snippet is the daemon's text, and its <mark>s are exactly its byte ranges."""
    got = js("""return Array.from(document.querySelectorAll('#hits li.hit')).map(function (l) {
        var p = l.querySelector('p.snippet');
        return {id: l.getAttribute('data-id'), text: p ? p.textContent : null,
                marks: p ? Array.from(p.querySelectorAll('mark')).map(function (m) {
                    return m.textContent; }) : [],
                elements: p ? Array.from(p.querySelectorAll('*')).map(function (e) {
                    return e.tagName; }) : []}; });""")
    if len(got) != len(r["hits"]):
        fail("%s: %d hits on the page, %d in the answer" % (what, len(got), len(r["hits"])))
    nmarks = 0
    for g, h in zip(got, r["hits"]):
        if g["text"] != h["snippet"]:
            fail("%s: %s: the page shows the snippet %r, the daemon sent %r" % (what, h["id"], g["text"], h["snippet"]))
        want = marks_of(h)
        if g["marks"] != want:
            fail("%s: %s: marked %r, the byte ranges %r give %r" % (what, h["id"], g["marks"], h.get("highlights"), want))
        if any(t != "MARK" for t in g["elements"]):
            fail("%s: %s: the snippet holds elements %r" % (what, h["id"], g["elements"]))
        nmarks += len(want)
    check(nmarks > 0, "%s: %d hits, snippets as sent, %d <mark>s exactly the byte ranges" % (what, len(got), nmarks))


try:
    # ---- without the token the page says what it needs ----------------------------------------
    driver.get(URL)
    wait(lambda: "token" in js("return document.getElementById('foot').textContent;"),
         "the page loaded without a token to say it needs one")
    ok("without a token: %r" % js("return document.getElementById('foot').textContent;"))
    driver.get_log("browser")  # the 401 of that load is expected: leave it out of the final check

    # ---- the page loads, learns the token from the fragment and drops it from the address ----
    driver.get(URL + "#token=" + TOKEN)
    wait(lambda: "documents" in js("return document.getElementById('foot').textContent;"),
         "the footer to show the index's size (GET /stats with the token)")
    check(TOKEN not in driver.current_url, "the token is read from the fragment and left out of the address")
    check(js("return document.activeElement.id;") == "q", "the search box has the focus")
    csp = js("var m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]');"
             " return m ? m.content : '';")
    check("script-src 'sha256-" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0],
          "the page allows only its own script (CSP script-src by hash)")
    ext = js("return Array.from(document.querySelectorAll('[src],link[href]')).map(function (e) {"
             " return e.getAttribute('src') || e.getAttribute('href'); }).filter(function (u) {"
             " return !/^data:/.test(u); });")
    check(ext == [], "the page loads nothing else: no external script, style, font or image (%r)" % ext)

    # ---- results as you type, highlights ---------------------------------------------------
    r = search("missile")
    type_query("missile")
    shows(r, "typing 'missile'")
    check(q_value() == "missile", "the query box holds what was typed")
    check_highlights(r, "missile")
    status = js("return document.getElementById('status').textContent;")
    check(str(r["total"]) in status, "the status line gives the total %d (%r)" % (r["total"], status))
    wait(lambda: "q=missile" in driver.current_url, "the address to carry the query")
    ok("the address carries the query (%s)" % driver.current_url.split("#")[1])

    # Debounced: keystrokes that come together (here in one script, so no timer can fire
    # between them) make one request, for the last text.
    r = search("axis of evil")
    js("performance.clearResourceTimings(); var q = document.getElementById('q');"
       " ['a', 'ax', 'axi', 'axis', 'axis ', 'axis o', 'axis of', 'axis of e', 'axis of ev',"
       " 'axis of evi', 'axis of evil'].forEach(function (v) {"
       " q.value = v; q.dispatchEvent(new Event('input', {bubbles: true})); });")
    shows(r, "eleven keystrokes of 'axis of evil'")
    sent = js("return performance.getEntriesByType('resource').map(function (e) { return e.name; })"
              ".filter(function (n) { return n.indexOf('/search?') >= 0; });")
    check(len(sent) == 1 and "q=axis+of+evil" in sent[0],
          "eleven keystrokes at once send one search, for the last text: %r" % sent)
    # A newer search aborts the one still on its way; only the newer answer is shown.
    r = search("anahita")
    js("var q = document.getElementById('q'), f = document.getElementById('form');"
       " q.value = 'iran'; f.requestSubmit(); q.value = 'anahita'; f.requestSubmit();")
    shows(r, "'iran' then 'anahita' at once")
    check(q_value() == "anahita", "the newer search's answer is the one shown")

    for q in ("조선", "ایران", "Balazs"):  # Hangul and Persian snippets: byte offsets to characters
        r = search(q)
        type_query(q)
        shows(r, "typing %r" % q)
        check_highlights(r, q)

    # ---- facets are filters --------------------------------------------------------------------
    r = search("missile")
    type_query("missile")
    shows(r, "'missile' again")
    kinds = {f["value"]: f["count"] for f in r.get("facets", {}).get("kind", [])}
    check(len(kinds) >= 2, "the daemon counts 'missile' by kind: %r" % kinds)
    page_kinds = js("return Array.from(document.querySelectorAll('#facets [data-facet=kind] button'))"
                    ".map(function (b) { return [b.getAttribute('data-value'), b.querySelector('.count').textContent]; });")
    check({k: int(c) for k, c in page_kinds} == kinds, "the page shows the kind counts %r" % page_kinds)
    value = "reference" if "reference" in kinds else sorted(kinds)[0]
    driver.find_element(By.CSS_SELECTOR, '#facets [data-facet=kind] button[data-value="%s"]' % value).click()
    want_q = "missile kind:%s" % value
    wait(lambda: q_value() == want_q, "the query to become %r (it is %r)" % (want_q, q_value()))
    r2 = search(want_q)
    shows(r2, "after clicking kind %s" % value)
    check(r2["total"] == kinds[value] and r2["total"] < r["total"],
          "clicking kind %s: %d hits of %d, the facet's count" % (value, r2["total"], r["total"]))
    badges = js("return Array.from(document.querySelectorAll('#hits li.hit .badge.kind')).map(function (b) {"
                " return b.textContent; });")
    check(set(badges) == {value}, "every hit is a %s (%r)" % (value, badges))
    pressed = js("var b = document.querySelector('#facets [data-facet=kind] button[data-value=\"%s\"]');"
                 " return b && b.getAttribute('aria-pressed');" % value)
    check(pressed == "true", "the chosen facet value shows as pressed")
    driver.find_element(By.CSS_SELECTOR, '#facets [data-facet=kind] button[data-value="%s"]' % value).click()
    wait(lambda: "kind:" not in q_value(), "a second click on kind %s to remove it (%r)" % (value, q_value()))
    ok("clicking a chosen value again removes it: %r" % q_value())
    r = search("iran kind:reference")
    years = r.get("facets", {}).get("year", [])
    check(len(years) >= 2, "the daemon counts the references by year: %d years" % len(years))
    type_query("iran kind:reference")
    shows(r, "typing 'iran kind:reference'")
    y = years[-1]
    driver.find_element(By.CSS_SELECTOR, '#facets [data-facet=year] button[data-value="%s"]' % y["value"]).click()
    want_q = "iran kind:reference year:%s" % y["value"]
    wait(lambda: q_value() == want_q, "the query to become %r (it is %r)" % (want_q, q_value()))
    r3 = search(want_q)
    shows(r3, "after clicking year %s" % y["value"])
    check(r3["total"] == y["count"] and all(str(h.get("year")) == str(y["value"]) for h in r3["hits"]),
          "clicking year %s: %d hits, the facet's count, all of that year" % (y["value"], r3["total"]))
    # A section of several words becomes a quoted phrase.
    r = search("iran")
    secs = [f for f in r.get("facets", {}).get("section", []) if " " in f["value"]]
    check(secs, "the daemon counts 'iran' by section, one of several words: %r" % secs)
    type_query("iran")
    shows(r, "typing 'iran' for the sections")
    sec = secs[0]
    driver.find_element(By.CSS_SELECTOR, '#facets [data-facet=section] button[data-value="%s"]' % sec["value"]).click()
    want_q = 'iran section:"%s"' % sec["value"]
    wait(lambda: q_value() == want_q, "the query to become %r (it is %r)" % (want_q, q_value()))
    r4 = search(want_q)
    shows(r4, "after clicking section %s" % sec["value"])
    wheres = js("return Array.from(document.querySelectorAll('#hits li.hit .where')).map(function (w) {"
                " return w.textContent; });")
    check(r4["total"] == sec["count"] and set(wheres) == {sec["value"]},
          "clicking section %r: %d hits, the facet's count, all in it" % (sec["value"], r4["total"]))

    # ---- did you mean, typo corrections --------------------------------------------------------
    r = search("nucler weapns")
    check(r.get("did_you_mean"), "the daemon suggests a spelling for 'nucler weapns': %r" % r.get("did_you_mean"))
    type_query("nucler weapns")
    shows(r, "typing 'nucler weapns'")
    link = wait(lambda: driver.find_elements(By.CSS_SELECTOR, "#notes p.dym a"), "the did-you-mean link")[0]
    check(link.get_property("textContent") == r["did_you_mean"], "did you mean: %r" % r["did_you_mean"])
    link.click()
    wait(lambda: q_value() == r["did_you_mean"], "clicking it to search %r" % r["did_you_mean"])
    shows(search(r["did_you_mean"]), "the suggestion's search")
    ok("clicking the suggestion searches it")
    r = search("misile")
    corr = r.get("corrections") or []
    check(corr and corr[0]["from"] == "misile", "the daemon corrects 'misile': %r" % corr)
    type_query("misile")
    shows(r, "typing 'misile'")
    link = wait(lambda: driver.find_elements(By.CSS_SELECTOR, "#notes p.corrections a.to"), "the correction link")[0]
    check(link.get_property("textContent") == corr[0]["to"], "the correction is shown: misile → %s" % corr[0]["to"])
    link.click()
    wait(lambda: q_value() == corr[0]["to"], "clicking the correction to search %r" % corr[0]["to"])
    shows(search(corr[0]["to"]), "the corrected search")
    ok("clicking the correction replaces the word")

    # ---- paging ----------------------------------------------------------------------------------
    r = search("iran")
    check(r["total"] > 20, "'iran' has more than two pages (%d)" % r["total"])
    type_query("iran")
    shows(r, "typing 'iran'")
    driver.find_element(By.ID, "next").click()
    shows(search("iran", offset=10), "the second page of 'iran'")
    info = js("return document.getElementById('pageinfo').textContent;")
    check(info.startswith("11–20"), "the pager says %r" % info)
    driver.find_element(By.ID, "prev").click()
    shows(r, "back on the first page of 'iran'")
    ok("Previous returns to the first page")

    # ---- keyboard: / focuses, j/k and arrows move, Enter opens, Esc goes back --------------------
    r = search("missile")
    type_query("missile")
    shows(r, "'missile' for the keyboard")
    js("document.activeElement.blur();")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("/")
    check(js("return document.activeElement.id;") == "q", "/ focuses the search box")
    driver.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    focused = lambda: js("var l = document.activeElement.closest('li.hit'); return l && l.getAttribute('data-id');")
    check(focused() == r["hits"][0]["id"], "↓ from the box selects the first hit")
    driver.switch_to.active_element.send_keys("j")
    check(focused() == r["hits"][1]["id"], "j selects the second")
    driver.switch_to.active_element.send_keys("j")
    driver.switch_to.active_element.send_keys("k")
    check(focused() == r["hits"][1]["id"], "k goes back up")
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    want = r["hits"][1]["id"]
    wait(lambda: js("var d = document.getElementById('doc'); return !document.getElementById('doc-view').hidden"
                    " && d.getAttribute('data-id');") == want, "Enter to open %s" % want)
    ok("Enter opens the selected hit's document")
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(lambda: js("return !document.getElementById('search-view').hidden;"), "Esc to return to the results")
    check(hit_ids() == [h["id"] for h in r["hits"]] and focused() == want,
          "Esc returns to the same results, the opened hit selected")

    # ---- the document view: [n] to its reference, the reference to the paragraphs citing it -----
    def doc_id():
        return js("return document.getElementById('doc-view').hidden ? null :"
                  " document.getElementById('doc').getAttribute('data-id');")

    def doc_ready(want):
        wait(lambda: doc_id() == want and js("return !!document.querySelector('#doc h1');"),
             "the document %s" % want)

    para = "iran-north-korea-relations#p1"
    d = api("/doc/" + urllib.parse.quote(para, safe=""))
    check(d.get("ok") and d["doc"]["cites"], "GET /doc/%s has cites" % para)
    driver.get(URL + "#doc=" + urllib.parse.quote(para, safe=""))
    doc_ready(para)
    text = js("return document.querySelector('#doc .doctext').textContent;")
    check(d["doc"]["text"] in text, "the document view shows the paragraph's text")
    cite = d["doc"]["cites"][1] if len(d["doc"]["cites"]) > 1 else d["doc"]["cites"][0]
    links = js("return Array.from(document.querySelectorAll('#doc .doctext a.cite')).map(function (a) {"
               " return [a.textContent, a.getAttribute('data-doc')]; });")
    check(["[%d]" % c["n"] for c in d["doc"]["cites"]] == [l[0] for l in links]
          and all(l[1] == c["id"] for l, c in zip(links, d["doc"]["cites"])),
          "each [n] of the text links to its reference: %r" % links)
    refs = js("return Array.from(document.querySelectorAll('#doc ol.refs > li')).map(function (l) {"
              " return l.querySelector('.reftext').textContent; });")
    check(refs == [c["text"] for c in d["doc"]["cites"]], "the references it cites are listed with their text")
    driver.find_element(By.CSS_SELECTOR, '#doc .doctext a.cite[data-doc="%s"]' % cite["id"]).click()
    doc_ready(cite["id"])
    ref = api("/doc/" + urllib.parse.quote(cite["id"], safe=""))["doc"]
    citers = js("return Array.from(document.querySelectorAll('#doc ul.citedby a')).map(function (a) {"
                " return a.getAttribute('data-doc'); });")
    check(citers == [c["id"] for c in ref["cited_by"]] and para in citers,
          "following [%d] opens %s, which lists the paragraphs citing it: %r" % (cite["n"], cite["id"], citers))
    driver.find_element(By.CSS_SELECTOR, '#doc ul.citedby a[data-doc="%s"]' % para).click()
    doc_ready(para)
    ok("and a citing paragraph's link leads back to %s" % para)
    driver.back()
    doc_ready(cite["id"])
    ok("the browser's Back goes one document back")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    wait(lambda: js("return !document.getElementById('search-view').hidden;"),
         "Esc in a document opened from the address to show the search view")
    ok("Esc in a document opened from its address shows the search view")

    # ---- hostile text stays text ------------------------------------------------------------------
    r = search("zanzibar")
    check(len(r["hits"]) >= 4, "the hostile article is indexed (%d hits)" % len(r["hits"]))
    driver.get(URL)
    wait(lambda: js("return document.getElementById('q') !== null;"), "the page")
    type_query("zanzibar")
    shows(r, "typing 'zanzibar'")
    check_highlights(r, "zanzibar (hostile article)")
    hostile = js("""return Array.from(document.querySelectorAll('#hits li.hit')).map(function (l) {
        return l.textContent; }).join(' ');""")
    check("<script>window.__pwned=1" in hostile and '"><img src=x onerror=window.__pwned=1>' in hostile,
          "the hits show the hostile markup as text")
    title = js("return document.querySelector('#hits li.hit a.open').textContent;")
    check("<script>" in title, "the hostile title is shown as text: %r" % title)
    for hid in [h["id"] for h in r["hits"] if h["id"].startswith("hostile#")]:
        driver.find_element(By.CSS_SELECTOR, '#hits li.hit[data-id="%s"] a.open' % hid).click()
        doc_ready(hid)
        shown_text = js("return document.getElementById('doc').textContent;")
        want = api("/doc/" + urllib.parse.quote(hid, safe=""))["doc"]["text"]
        check(want in shown_text, "%s: its document view shows its markup as text" % hid)
        no_alert(hid)
        driver.back()
        wait(lambda: js("return !document.getElementById('search-view').hidden;"), "the results again")
    found = js("return {img: document.querySelectorAll('img').length,"
               " scripts: document.querySelectorAll('script').length,"
               " b: document.querySelectorAll('b').length,"
               " onerror: document.querySelectorAll('[onerror],[onmouseover]').length,"
               " pwned: typeof window.__pwned};")
    check(found == {"img": 0, "scripts": 1, "b": 0, "onerror": 0, "pwned": "undefined"},
          "no element came from the corpus and window.__pwned is undefined: %r" % found)
    no_alert("the hostile article")
    ok("no alert opened")

    # ---- right to left ----------------------------------------------------------------------------
    r = search("زنگبار")
    persian = [h["id"] for h in r["hits"]]
    check(persian == ["hostile#p3"], "the Persian word finds the Persian paragraph: %r" % persian)
    type_query("زنگبار")
    shows(r, "typing the Persian word")
    dirs = js("""var l = document.querySelector('#hits li.hit[data-id="hostile#p3"]');
        return {snippet: getComputedStyle(l.querySelector('p.snippet')).direction,
                box: getComputedStyle(document.getElementById('q')).direction};""")
    check(dirs == {"snippet": "rtl", "box": "rtl"}, "the Persian snippet and query are laid out right to left: %r" % dirs)
    check(js("return document.getElementById('pager').getClientRects().length === 0;"),
          "one page of results shows no pager")
    type_query("missile")
    shows(search("missile"), "'missile' for direction")
    d2 = js("return getComputedStyle(document.querySelector('#hits li.hit p.snippet')).direction;")
    check(d2 == "ltr", "an English snippet stays left to right")
    untexted = js("""return Array.from(document.querySelectorAll(
        '#hits .snippet, #hits a.open, #hits .where, #hits .meta, #facets button')).filter(function (e) { return e.dir !== 'auto'; }).length;""")
    check(untexted == 0, "every element of corpus text has dir=auto")

    # ---- the screenshot (desktop) -----------------------------------------------------------------
    r = search("nuclear")
    type_query("nuclear")
    shows(r, "'nuclear' for the screenshot")
    js("document.activeElement.blur(); window.scrollTo(0, 0);")
    shot = os.path.join(OUT, "web_browser.png")
    driver.save_screenshot(shot)
    ok("screenshot: %s" % shot)
    if SCREENSHOT:
        driver.save_screenshot(SCREENSHOT)
        ok("screenshot: %s" % SCREENSHOT)

    # ---- phone width ------------------------------------------------------------------------------
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True})

    def overflow(what):
        w = js("return {inner: window.innerWidth, doc: document.documentElement.scrollWidth,"
               " body: document.body.scrollWidth, widest: Math.max.apply(null,"
               " Array.from(document.querySelectorAll('body *')).filter(function (e) {"
               " return e.offsetParent !== null; }).map(function (e) {"
               " return Math.ceil(e.getBoundingClientRect().right); }))};")
        check(w["inner"] == 360 and w["doc"] <= 360 and w["body"] <= 360 and w["widest"] <= 360,
              "360 px wide, %s: nothing wider than the screen %r" % (what, w))

    for q in ("iran kind:reference", "زنگبار", "missile"):
        r = search(q)
        type_query(q)
        shows(r, "%r at 360 px" % q)
        overflow("results of %r" % q)
    js("window.scrollTo(0, 0);")
    driver.save_screenshot(os.path.join(OUT, "web_browser-phone.png"))
    ok("screenshot: %s" % os.path.join(OUT, "web_browser-phone.png"))
    longref = max(search("iran kind:reference")["hits"], key=lambda h: len(h["snippet"]))["id"]
    driver.get(URL + "#doc=" + urllib.parse.quote(longref, safe=""))
    doc_ready(longref)
    overflow("the document %s" % longref)
    driver.get(URL + "#doc=" + urllib.parse.quote(para, safe=""))
    doc_ready(para)
    overflow("the document %s" % para)

    severe = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    check(severe == [], "the console has no errors: %r" % severe)
    no_alert("the end")
    print("web_browser: %d checks passed" % checks)
except WebDriverException as e:
    fail("the browser: %s" % e)
finally:
    try:
        driver.quit()
    except Exception:
        pass
