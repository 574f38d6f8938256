#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Keeps the Content-Security-Policy of server/web/index.html in step with its script.

The page allows only its own inline script, named by its SHA-256 in the policy, so that
markup that reached the page some other way could run nothing. After editing the script:
    scripts/web-csp.py server/web/index.html           rewrites the hash in place
    scripts/web-csp.py --check server/web/index.html   exits 1 when it is out of date
"""
import base64
import hashlib
import re
import sys

def main(argv):
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    if len(paths) != 1:
        sys.exit("usage: web-csp.py [--check] PAGE")
    path = paths[0]
    page = open(path, encoding="utf-8").read()
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    if len(scripts) != 1 or "<script " in page:
        sys.exit("%s: expected exactly one inline <script>, found %d" % (path, len(scripts)))
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode()
    want = "'sha256-%s'" % digest
    policy = re.search(r"script-src ('sha256-[^']*')", page)
    if not policy:
        sys.exit("%s: no script-src 'sha256-…' in its Content-Security-Policy" % path)
    if policy.group(1) == want:
        return 0
    if check:
        print("%s: the CSP names %s but the script's hash is %s; run scripts/web-csp.py %s"
              % (path, policy.group(1), want, path), file=sys.stderr)
        return 1
    page = page[:policy.start(1)] + want + page[policy.end(1):]
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)
    print("%s: script-src %s" % (path, want))
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
