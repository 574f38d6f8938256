#!/usr/bin/env python3
"""Writes iran-north-korea-relations.html: corpus/iran-north-korea-relations.txt in the
markup shape of an article saved from Wikipedia (firstHeading, mw-parser-output, infobox
table, <sup class="reference"> markers, mw-headline sections, <ol class="references">),
plus what a saved page carries that is not article text (style, script, navbox, edit
links, the table of contents, cite backlinks). Run from the repository root; the output
is committed, so the test does not need Python."""
import html
import re
import sys

SRC = "corpus/iran-north-korea-relations.txt"
OUT = "tests/data/formats/iran-north-korea-relations.html"
HEADINGS = {"History", "Ambassadors", "Military weapons", "See also", "References",
            "Further reading"}

def esc(s):
    return html.escape(s, quote=False)

def prose(s):
    """A paragraph: [n] markers become Wikipedia's citation superscripts, and a few
    words become links, as a saved page has them."""
    out = []
    pos = 0
    for m in re.finditer(r"\[(\d+)\]", s):
        out.append(esc(s[pos:m.start()]))
        n = m.group(1)
        out.append('<sup id="cite_ref-%s" class="reference"><a href="#cite_note-%s">'
                   '&#91;%s&#93;</a></sup>' % (n, n, n))
        pos = m.end()
    out.append(esc(s[pos:]))
    t = "".join(out)
    t = t.replace("North Korea", '<a href="/wiki/North_Korea" title="North Korea">North Korea</a>', 1)
    t = t.replace("Iran ", '<a href="/wiki/Iran" title="Iran">Iran</a> ', 1)
    return t

lines = open(SRC, encoding="utf-8").read().split("\n")
title = lines[0]
o = []
w = o.append
w('<!DOCTYPE html>\n<html class="client-nojs" lang="en" dir="ltr">\n<head>\n'
  '<meta charset="UTF-8">\n<title>%s - Wikipedia</title>\n' % esc(title))
w('<style>.mw-parser-output .infobox{border:1px solid #a2a9b1} body { font: 14px sans-serif }</style>\n')
w('<script>RLCONF={"wgTitle":"%s"};document.write("<p>not text</p>");</script>\n' % title)
w('</head>\n<body class="mediawiki">\n<a class="mw-jump-link" href="#bodyContent">Jump to content</a>\n')
w('<div id="content" class="mw-body">\n<h1 id="firstHeading" class="firstHeading mw-first-heading">'
  '<span class="mw-page-title-main">%s</span></h1>\n' % esc(title))
w('<div id="siteSub" class="noprint">From Wikipedia, the free encyclopedia</div>\n')
w('<div id="mw-content-text" class="mw-body-content"><div class="mw-content-ltr mw-parser-output" lang="en" dir="ltr">\n')
w('<style data-mw-deduplicate="TemplateStyles:r1">.mw-parser-output .hlist ul{margin:0}</style>\n')

section = None
i = 1
in_list = None
def close_list():
    global in_list
    if in_list:
        w("</%s></div>\n" % in_list if in_list == "ol" else "</%s>\n" % in_list)
        in_list = None

while i < len(lines):
    s = lines[i].strip()
    i += 1
    if not s:
        continue
    if "|" in s and section is None and i > 2 and not s.startswith("- "):
        # The infobox: the run of | rows; the ---|---| separator row is plain-text only.
        rows = [s]
        while i < len(lines) and "|" in lines[i]:
            rows.append(lines[i].strip())
            i += 1
        w('<table class="infobox"><tbody>\n<tr><th colspan="2" class="infobox-above">%s</th></tr>\n' % esc(title))
        for r in rows:
            if re.fullmatch(r"[-|: ]+", r):
                continue
            cells = [c.strip() for c in r.split("|")]
            w("<tr>" + "".join("<td>%s</td>" % prose(c) for c in cells if c) + "</tr>\n")
        w("</tbody></table>\n")
        continue
    if s in HEADINGS:
        close_list()
        section = s
        if s == "See also":
            # The toc sits before the first heading on a real page; here before See also
            # so that it is in the content and must be skipped.
            pass
        w('<div class="mw-heading mw-heading2"><h2><span class="mw-headline" id="%s">%s</span></h2>'
          '<span class="mw-editsection"><span class="mw-editsection-bracket">[</span><a href="?action=edit">edit</a>'
          '<span class="mw-editsection-bracket">]</span></span></div>\n' % (s.replace(" ", "_"), esc(s)))
        if s == "History":
            w('<div class="hatnote navigation-not-searchable" role="note">Main article: <a href="/wiki/X">Foreign relations</a></div>\n')
        continue
    if s.startswith("- "):
        item = s[2:]
        if section == "References":
            if in_list != "ol":
                close_list()
                w('<div class="reflist"><ol class="references">\n')
                in_list = "ol"
                n = 0
            n += 1
            w('<li id="cite_note-%d"><span class="mw-cite-backlink"><b><a href="#cite_ref-%d">^</a></b></span> '
              '<span class="reference-text"><cite class="citation">%s</cite></span></li>\n' % (n, n, esc(item)))
        else:
            if in_list != "ul":
                close_list()
                w("<ul>\n")
                in_list = "ul"
            w("<li>%s</li>\n" % esc(item))
        continue
    close_list()
    if section is None and i == 3:
        # The lead names the subject in bold, as Wikipedia leads do.
        s2 = prose(s).replace(esc(title), "<b>%s</b>" % esc(title), 1)
        w("<p>%s\n</p>\n" % s2)
    else:
        w("<p>%s\n</p>\n" % prose(s))
close_list()
w('<div role="navigation" class="navbox" aria-labelledby="Foreign_relations"><table class="nowraplinks navbox-inner">'
  '<tbody><tr><th class="navbox-title">Foreign relations of Iran</th></tr><tr><td class="navbox-list">'
  '<div><ul><li><a href="/wiki/A">Liechtenstein</a></li><li><a href="/wiki/B">Zanzibar</a></li></ul></div></td></tr></tbody></table></div>\n')
w('</div></div>\n<div id="catlinks" class="catlinks"><ul><li><a href="/wiki/Category:Bilateral_relations">Bilateral relations</a></li></ul></div>\n')
w('</div>\n<div id="footer"><ul><li>This page was last edited on 1 December 2026.</li></ul></div>\n')
w('<script>(RLQ=window.RLQ||[]).push(function(){mw.config.set({"wgBackendResponseTime":120});});</script>\n</body>\n</html>\n')
open(OUT, "w", encoding="utf-8").write("".join(o))
