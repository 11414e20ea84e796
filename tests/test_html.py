"""The HTML view: parsed for structure, and rendered by headless Chromium for what a reader sees."""
import json
import os
import re
import shutil
import subprocess
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, require, run_cli
from fazhi.output.colors import HIGHLIGHT, SOLID
from fazhi.output.html import render_html
from fazhi.vocab import LABELS
from fazhi.learning.predict import classify
from fazhi.units.report import segment_report
from fazhi.learning.store import load_model

TIANSHAN = ROOT / "seeds" / "tianshan-2022.txt"


@pytest.fixture(scope="module")
def model():
    return load_model()[0]


def _threshold(predictions) -> float:
    """A --min-confidence that leaves some units certain and some uncertain, whatever the model."""
    conf = sorted({p.confidence for p in predictions})
    assert len(conf) >= 2
    return conf[len(conf) // 2]


@pytest.fixture(scope="module")
def tianshan(seed_reports, model):
    report = seed_reports["tianshan-2022"]
    preds = classify([report], model)
    threshold = _threshold(preds)
    preds = classify([report], model, min_confidence=threshold)
    return report, preds, threshold, render_html([report], preds, min_confidence=threshold)


class Page(HTMLParser):
    """Unit spans in document order with their attributes, text, figures and enclosing block."""

    BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.units, self.shares, self.tags, self.sections = [], [], [], []
        self.block, self.block_tag, self.depth = 0, None, 0
        self.unit = None
        self.in_fig = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        classes = (a.get("class") or "").split()
        if tag in self.BLOCKS:
            self.block += 1
            self.block_tag = tag
        if tag == "section":
            self.sections.append(a)
        if tag == "div" and "share" in classes:
            self.shares.append(a)
        if self.unit is not None:
            if tag == "span":
                self.depth += 1
            if tag == "b" and "fig" in classes:
                self.in_fig = True
                self.unit["figures"].append("")
            return
        if tag == "span" and "u" in classes:
            self.unit = {**a, "classes": classes, "text": "", "figures": [], "block": self.block, "block_tag": self.block_tag}
            self.unit["section"] = len(self.sections)
            self.depth = 0

    def handle_endtag(self, tag):
        if self.unit is None:
            return
        if tag == "b":
            self.in_fig = False
        if tag == "span":
            if self.depth == 0:
                self.units.append(self.unit)
                self.unit = None
            else:
                self.depth -= 1

    def handle_data(self, data):
        if self.unit is not None:
            self.unit["text"] += data
            if self.in_fig:
                self.unit["figures"][-1] += data


def test_every_content_unit_once_in_order(tianshan):
    report, preds, _, page = tianshan
    units = [u for u in Page(page).units if "data-label" in u]
    assert [(int(u["data-sent-id"]), u["text"]) for u in units] == [(u.sent_id, u.text) for u in report.content]
    assert [(u["data-label"], float(u["data-confidence"])) for u in units] == [(p.label, p.confidence) for p in preds]
    assert all(f"b-{u['data-label']}" in u["classes"] for u in units)


def test_all_units_in_order_and_non_content_greyed(tianshan):
    report, _, _, page = tianshan
    units = Page(page).units
    assert [u["text"] for u in units] == [u.text for u in report.units]
    other = [u for u in units if "data-label" not in u]
    assert other and [(u["data-kind"], u["text"]) for u in other] == [(u.kind, u.text) for u in report.units if not u.is_content]
    assert all("nc" in u["classes"] for u in other)


def test_tooltip_shows_label_confidence_and_four_probabilities(tianshan):
    _, preds, _, page = tianshan
    units = [u for u in Page(page).units if "data-label" in u]
    for u, p in zip(units, preds):
        title = u["title"]
        assert title.startswith(f"{p.label} · confidence {p.confidence:.2f}")
        for lab in LABELS:
            assert f"{lab} {getattr(p, f'p_{lab}'):.2f}" in title


def test_headings_set_as_headings_and_paragraph_breaks_kept(seed_reports, model):
    for name in ("tianshan-2022", "wanghua-2021"):
        report = seed_reports[name]
        units = Page(render_html([report], classify([report], model))).units
        for u, parsed in zip(report.units, units):
            assert (parsed["block_tag"] in ("h3", "h4", "h5")) == (u.is_heading and u.is_content), u.text
        for (a, pa), (b, pb) in zip(zip(report.units, units), zip(report.units[1:], units[1:])):
            if "\n" in report.text[a.end : b.start]:
                assert pa["block"] != pb["block"], (a.text, b.text)
            elif a.is_content and b.is_content and not a.is_heading and not b.is_heading:
                assert pa["block"] == pb["block"], (a.text, b.text)


def test_uncertain_units_marked(tianshan):
    _, preds, threshold, page = tianshan
    units = [u for u in Page(page).units if "data-label" in u]
    marked = ["uncertain" in u["classes"] for u in units]
    assert marked == [p.confidence < threshold for p in preds]
    assert any(marked) and not all(marked)
    css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert re.search(r"\.uncertain\{[^}]*dashed", css)
    assert re.search(r"\.uncertain::after\{content:'\?'", css)
    assert f"below {threshold:.2f}" in page  # the legend says what uncertain means


def test_figures_of_metric_units_emphasised(tianshan):
    _, preds, _, page = tianshan
    units = [u for u in Page(page).units if "data-label" in u]
    with_figures = [(u, p) for u, p in zip(units, preds) if p.figures]
    assert with_figures
    for u, p in with_figures:
        assert [re.sub(r"\s+", "", f) for f in u["figures"]] == p.figures
    assert all(not u["figures"] for u, p in zip(units, preds) if p.label != "metric")


def test_share_bar_matches_counts(tianshan):
    report, preds, _, page = tianshan
    shares = Page(page).shares
    assert [s["data-label"] for s in shares] == list(LABELS)
    total = len(report.content)
    for s in shares:
        n = sum(p.label == s["data-label"] for p in preds)
        assert int(s["data-count"]) == n
        width = float(re.search(r"width:([\d.]+)%", s["style"]).group(1))
        assert width == pytest.approx(100 * n / total, abs=1e-3)
    for lab in LABELS:
        n = sum(p.label == lab for p in preds)
        assert re.search(rf'data-label="{lab}"><span class="sw b-{lab}"></span>{lab} <b>{n}</b>', page)


def test_text_is_escaped(model):
    raw = (
        '<script>alert("x")</script>关于加强执法的报告\n'
        "一、工作成效\n"
        '全年办理<b>案件</b> 120件，"依法" & 规范处理率达到 98%。\n'
        "二、存在问题\n"
        "执法人员<img src=x onerror=alert(1)>不足。\n"
    )
    report = segment_report(raw, doc_id='doc<&>"', source='a<b>.txt')
    page = render_html([report], classify([report], model))
    assert "<script" not in page and "<img" not in page and "<b>案件" not in page
    parsed = Page(page)
    assert [u["text"] for u in parsed.units] == [u.text for u in report.units]
    assert parsed.sections[0]["data-doc-id"] == 'doc<&>"'
    assert "<h2>doc&lt;&amp;&gt;&quot;</h2>" in page


def test_self_contained_no_external_urls(tianshan):
    page = tianshan[3]
    tags = Page(page).tags
    for tag, attrs in tags:
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            value = (attrs.get(name) or "").strip().lower()
            assert not re.match(r"(https?:)?//", value), (tag, name, value)
        assert tag not in ("script", "link", "img", "iframe", "object", "embed")
    assert not re.search(r"https?://", page)
    assert "url(" not in page and "@import" not in page and "@font-face" not in page
    assert any(a.get("http-equiv") == "Content-Security-Policy" and "default-src 'none'" in a["content"] for t, a in tags if t == "meta")


def test_several_reports_one_section_each(seed_reports, model):
    reports = [seed_reports["wanghua-2021"], seed_reports["tianshan-2022"]]
    parsed = Page(render_html(reports, classify(reports, model)))
    assert [s["data-doc-id"] for s in parsed.sections] == ["wanghua-2021", "tianshan-2022"]
    by_section = [[u["text"] for u in parsed.units if u["section"] == i] for i in (1, 2)]
    assert by_section == [[u.text for u in r.units] for r in reports]
    assert len(parsed.shares) == 8


def test_cli_writes_html(tmp_path):
    out = tmp_path / "report.html"
    proc = run_cli("classify", TIANSHAN, "--format", "html", "-o", out, "--min-confidence", "0.9")
    assert proc.returncode == 0, proc.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    units = [u for u in Page(page).units if "data-label" in u]
    uncertain = [u for u in units if u.get("data-uncertain") == "1"]
    assert units and all(("uncertain" in u["classes"]) == (u in uncertain) for u in units)
    assert all((u in uncertain) == (float(u["data-confidence"]) < 0.9) for u in units if abs(float(u["data-confidence"]) - 0.9) > 1e-4)
    assert "confidence below 0.90" in page  # the legend
    assert re.search(rf"uncertain \(below 0\.90\) <b>{len(uncertain)}</b>", page)  # the report's count
    assert "tianshan-2022" in proc.stderr  # the per-report summary line
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # written atomically, no temp file left


# --- in a real browser ------------------------------------------------------------------------

def _chromium() -> str | None:
    for name in (os.environ.get("FAZHI_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def probe(collect: str, fields: str) -> str:
    """A script that runs at the window's load event: ``collect`` (JavaScript) fills ``out``
    (starting as ``{fields, resources: []}``) with what the browser computed; the resources
    it loaded are added and the whole is written into the DOM, for --dump-dom."""
    return (
        "<script>\nwindow.addEventListener('load', function () {\n"
        f"  var out = {{{fields}, resources: []}};\n{collect}"
        "  out.resources = performance.getEntriesByType('resource').map(function (e) { return e.name; });\n"
        "  var pre = document.createElement('pre');\n  pre.id = 'fazhi-probe';\n"
        "  pre.textContent = JSON.stringify(out);\n  document.body.appendChild(pre);\n});\n</script>"
    )


PROBE = probe(
    """  document.querySelectorAll('.u').forEach(function (el) {
    var cs = getComputedStyle(el), r = el.getBoundingClientRect();
    out.units.push({sent: +el.dataset.sentId, label: el.dataset.label || null, kind: el.dataset.kind || null,
      text: el.textContent, bg: cs.backgroundColor, color: cs.color, outline: cs.outlineStyle,
      after: getComputedStyle(el, '::after').content, shown: r.width > 0 && r.height > 0 && cs.visibility === 'visible'});
  });
  document.querySelectorAll('.shares').forEach(function (bar) {
    out.bars.push({total: +bar.dataset.total, width: bar.getBoundingClientRect().width,
      segs: Array.prototype.map.call(bar.children, function (s) {
        var r = s.getBoundingClientRect();
        return {label: s.dataset.label, count: +s.dataset.count, width: r.width, left: r.left, top: r.top,
                bottom: r.bottom, bg: getComputedStyle(s).backgroundColor};
      })});
  });
  document.querySelectorAll('.legend .sw').forEach(function (sw) {
    var lab = (sw.className.match(/b-(\\w+)/) || [])[1];
    if (lab) out.legend[lab] = getComputedStyle(sw).backgroundColor;
  });
  document.fonts.forEach(function (f) { out.fonts.push(f.family); });
""",
    "units: [], bars: [], legend: {}, fonts: []",
)


def _rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))


def _browse(chromium: str, page: Path, tmp: Path, *args: str):
    """Run headless Chromium on a file with no way out to the network; returns (stdout, page's requests)."""
    netlog = tmp / f"{page.stem}-net.json"
    proc = subprocess.run(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--no-default-browser-check", f"--user-data-dir={tmp / 'profile'}",
            # a dead proxy: any request the page makes fails on this machine and goes nowhere
            "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--disable-dev-shm-usage", "--force-device-scale-factor=1",
            f"--log-net-log={netlog}", "--window-size=1200,900", *args, page.as_uri(),
        ],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, _page_requests(netlog)


def _page_requests(netlog: Path) -> list[str]:
    """URLs the page (a file:// document) asked the network for; Chromium's own traffic left out."""
    if not netlog.exists():
        return []
    text = netlog.read_text(encoding="utf-8", errors="replace").rstrip().rstrip(",")
    if not text.endswith("}"):
        text += "]}"  # a log cut short when the browser exits
    try:
        events = json.loads(text).get("events", [])
    except ValueError:
        return []
    urls = []
    for e in events:
        p = e.get("params") or {}
        url = str(p.get("url", ""))
        page_made = "file://" in str(p.get("network_isolation_key", "")) + str(p.get("site_for_cookies", ""))
        if url and page_made and not url.startswith(("file:", "data:", "about:", "blob:")):
            urls.append(url)
    return urls


@pytest.fixture(scope="module")
def browser():
    return require(_chromium(), "chromium (apt-get install chromium fonts-wqy-microhei)")


def test_browser_shows_every_unit_in_its_bucket_colour(browser, tianshan, tmp_path):
    report, preds, threshold, page = tianshan
    # the page with its Content-Security-Policy removed, so that a reference to anything
    # outside the file would really be requested, plus the probe
    probed = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page).replace("</body>", PROBE + "</body>")
    path = tmp_path / "tianshan.html"
    path.write_text(probed, encoding="utf-8")
    dom, requests = _browse(browser, path, tmp_path, "--dump-dom")
    found = re.search(r'<pre id="fazhi-probe">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    seen = json.loads(unescape(found.group(1)))

    # no request: nothing fetched by the page, no web font
    assert seen["resources"] == [] and requests == [], (seen["resources"], requests)
    assert seen["fonts"] == []

    # every content unit shown, in order, in its bucket's colour; uncertain ones dashed with a "?"
    assert len(set(HIGHLIGHT.values())) == 4
    content = [u for u in seen["units"] if u["label"]]
    assert [(u["sent"], u["text"]) for u in content] == [(u.sent_id, u.text) for u in report.content]
    for u, p in zip(content, preds):
        assert u["shown"], u
        assert u["label"] == p.label and u["bg"] == _rgb(HIGHLIGHT[p.label]), (u, p.label)
        if p.confidence < threshold:
            assert u["outline"] == "dashed" and u["after"] == '"?"', u
        else:
            assert u["outline"] == "none" and u["after"] in ("none", "normal"), u
    # title and date greyed, no bucket colour
    other = [u for u in seen["units"] if not u["label"]]
    assert [u["kind"] for u in other] == [u.kind for u in report.units if not u.is_content]
    for u in other:
        assert u["shown"] and u["bg"] == "rgba(0, 0, 0, 0)" and u["color"] == "rgb(154, 154, 154)", u
    # the legend uses the bar's colours
    assert seen["legend"] == {lab: _rgb(SOLID[lab]) for lab in LABELS}

    # the share bar: one segment per bucket, as wide as its share of the units
    (bar,) = seen["bars"]
    assert bar["total"] == len(report.content)
    for seg in bar["segs"]:
        n = sum(p.label == seg["label"] for p in preds)
        assert seg["count"] == n
        assert seg["width"] == pytest.approx(bar["width"] * n / bar["total"], abs=1.0), seg
        assert seg["bg"] == _rgb(SOLID[seg["label"]])
    assert sum(s["width"] for s in bar["segs"]) == pytest.approx(bar["width"], abs=1.0)

    # and the screenshot shows those colours where the probe says the segments are
    from PIL import Image as image
    shot = tmp_path / "shot.png"
    _browse(browser, path, tmp_path, f"--screenshot={shot}")
    png = image.open(shot).convert("RGB")
    for seg in bar["segs"]:
        if seg["width"] >= 6:  # in the segment's left padding, half-way down: no text, no rounded corner
            x, y = int(seg["left"] + 3), int((seg["top"] + seg["bottom"]) / 2)
            assert "rgb({}, {}, {})".format(*png.getpixel((x, y))) == seg["bg"], seg


def test_browser_check_sees_requests(browser, tmp_path):
    """The request check is not vacuous: a page that links a stylesheet and an image is caught."""
    path = tmp_path / "leaky.html"
    path.write_text(
        '<!DOCTYPE html><html><head><link rel="stylesheet" href="https://fonts.example.com/x.css"></head>'
        '<body><img src="http://img.example.org/a.png">'
        + PROBE + "</body></html>",
        encoding="utf-8",
    )
    dom, requests = _browse(browser, path, tmp_path, "--dump-dom")
    seen = json.loads(unescape(re.search(r'<pre id="fazhi-probe">(.*?)</pre>', dom, re.S).group(1)))
    assert len(seen["resources"]) == 2
    # if this fails, Chromium changed its net-log format and _page_requests needs updating
    assert any("img.example.org" in u for u in requests) and any("fonts.example.com" in u for u in requests), requests
