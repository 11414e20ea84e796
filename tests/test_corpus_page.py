"""fazhi corpus report: one self-contained page whose charts are drawn and whose numbers
are the database's, checked in the markup and in headless Chromium."""
import json
import re
import sqlite3
from html import unescape
from html.parser import HTMLParser

import pytest

from conftest import assert_clean_error, run_cli
from fazhi.corpus.page import corpus_report, page_data, render_corpus_html
from fazhi.corpus.problems import corpus_problems
from fazhi.corpus.promises import KEPT, corpus_promises
from fazhi.output.colors import SOLID
from test_html import _browse, _rgb, browser, probe  # noqa: F401  (the Chromium fixture)


@pytest.fixture(scope="module")
def page(corpus_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("page") / "corpus.html"
    data = corpus_report(db=corpus_db, output=str(path))
    return data, path.read_text(encoding="utf-8")


class Bars(HTMLParser):
    """The data- attributes of every bar, by chart id."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.charts, self.chart = {}, None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and "chart" in (a.get("class") or ""):
            self.chart = self.charts.setdefault(a["id"], [])
        elif tag == "rect" and a.get("class") == "bar":
            self.chart.append({k[5:]: v for k, v in a.items() if k.startswith("data-")})


def shares(db, by):
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(f"SELECT {by}, SUM(problem), SUM(n_units) FROM reports GROUP BY {by}").fetchall()
    finally:
        conn.close()
    return {("unknown" if k is None else str(k)): (p, n) for k, p, n in rows}


def promise_counts(db):
    out = {}
    for r in corpus_promises(db=db):
        c = out.setdefault(r["issuer"], [0, 0])
        c[0] += r["status"] == KEPT
        c[1] += 1
    return out


def test_the_page_shows_the_databases_numbers(corpus_db, page):
    data, text = page
    charts = Bars(text).charts
    assert set(charts) == {"by-year", "by-level", "problems", "promises"}
    for chart, by in (("by-year", "year"), ("by-level", "level")):
        truth = shares(corpus_db, by)
        assert {b["key"]: (int(b["problem"]), int(b["units"])) for b in charts[chart]} == truth
        for b in charts[chart]:
            p, n = truth[b["key"]]
            assert float(b["share"]) == pytest.approx(p / n, abs=1e-4)
    groups = corpus_problems(db=corpus_db, top=10)
    assert [(int(b["group"]), int(b["reports"])) for b in charts["problems"]] == [(g["group"], g["reports"]) for g in groups]
    for g in groups:
        assert g["sentence"] in unescape(text)
    counts = promise_counts(corpus_db)
    shown = {}
    for b in charts["promises"]:
        shown.setdefault(b["issuer"], {})[b["part"]] = int(b["count"])
    assert {k: [v["kept"], v["kept"] + v["no trace"]] for k, v in shown.items()} == counts
    totals = re.search(r'<ul class="totals" data-reports="(\d+)" data-units="(\d+)"', text).groups()
    conn = sqlite3.connect(corpus_db)
    assert tuple(map(int, totals)) == conn.execute("SELECT COUNT(*), SUM(n_units) FROM reports").fetchone()
    conn.close()


def test_self_contained_and_escaped(page, corpus_db):
    data, text = page
    assert 'http-equiv="Content-Security-Policy"' in text and "default-src 'none'" in text
    urls = set(re.findall(r"https?://[^\s\"'<>]+", text)) - {"http://www.w3.org/2000/svg"}
    assert urls == set() and "<script" not in text.lower() and "<img" not in text and "<link" not in text
    poisoned = dict(data, problems=[dict(data["problems"][0], sentence="<script>alert(1)</script>", terms=["<b>"])])
    html = render_corpus_html(poisoned)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_empty_database_draws_no_bar(tmp_path):
    from fazhi.corpus.schema import connect

    db = str(tmp_path / "empty.db")
    connect(db).close()
    html = render_corpus_html(page_data(db=db))
    assert "No problem is admitted" in html and "No issuer has reports" in html


def test_cli_writes_the_page(corpus_db, tmp_path):
    out = tmp_path / "c.html"
    proc = run_cli("corpus", "report", "--db", corpus_db, "-o", out, "--top", "3")
    assert proc.returncode == 0 and "18 reports drawn to" in proc.stderr, proc.stderr
    assert len(Bars(out.read_text(encoding="utf-8")).charts["problems"]) == 3
    assert_clean_error(run_cli("corpus", "report", "--db", tmp_path / "none.db", "-o", out), "no corpus database")


PROBE = probe(
    """  document.querySelectorAll('svg.chart').forEach(function (svg) {
    var r = svg.getBoundingClientRect(), c = {id: svg.id, width: r.width, height: r.height, bars: []};
    svg.querySelectorAll('rect.bar').forEach(function (b) {
      var q = b.getBoundingClientRect();
      c.bars.push({data: Object.assign({}, b.dataset), x: q.left, y: q.top, w: q.width, h: q.height, fill: getComputedStyle(b).fill});
    });
    out.charts.push(c);
  });
  out.totals = document.querySelector('.totals').textContent;
""",
    "charts: []",
)


def test_browser_draws_every_chart_with_the_databases_numbers(browser, page, corpus_db, tmp_path):  # noqa: F811
    data, text = page
    probed = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text).replace("</body>", PROBE + "</body>")
    path = tmp_path / "corpus.html"
    path.write_text(probed, encoding="utf-8")
    dom, requests = _browse(browser, path, tmp_path, "--dump-dom", "--window-size=1200,3200")
    seen = json.loads(unescape(re.search(r'<pre id="fazhi-probe">(.*?)</pre>', dom, re.S).group(1)))
    assert seen["resources"] == [] and requests == []
    charts = {c["id"]: c for c in seen["charts"]}
    assert set(charts) == {"by-year", "by-level", "problems", "promises"}
    for c in charts.values():
        assert c["width"] > 300 and c["height"] > 100 and c["bars"], c["id"]  # drawn, not blank
    # share bars: drawn in the problem colour, as tall as their share from the database
    for cid, by in (("by-year", "year"), ("by-level", "level")):
        truth = shares(corpus_db, by)
        bars = charts[cid]["bars"]
        assert {b["data"]["key"] for b in bars} == set(truth)
        unit = max(b["h"] / (truth[b["data"]["key"]][0] / truth[b["data"]["key"]][1]) for b in bars)
        for b in bars:
            p, n = truth[b["data"]["key"]]
            assert b["fill"] == _rgb(SOLID["problem"]) and b["w"] > 5
            assert b["h"] == pytest.approx(unit * p / n, abs=1.0), b
    # promise bars: as long as their counts, kept and no trace side by side
    counts = promise_counts(corpus_db)
    per_plan = max(b["w"] / int(b["data"]["count"]) for b in charts["promises"]["bars"] if int(b["data"]["count"]))
    for b in charts["promises"]["bars"]:
        kept, plans = counts[b["data"]["issuer"]]
        n = kept if b["data"]["part"] == "kept" else plans - kept
        assert int(b["data"]["count"]) == n and b["w"] == pytest.approx(per_plan * n, abs=1.0)
    assert f"{data['totals']['reports']} reports" in seen["totals"]

    # and the screenshot shows each bar's colour where the browser says the bar is
    image = pytest.importorskip("PIL.Image")
    shot = tmp_path / "shot.png"
    _browse(browser, path, tmp_path, f"--screenshot={shot}", "--window-size=1200,3200")
    png = image.open(shot).convert("RGB")
    checked = 0
    for c in charts.values():
        for b in c["bars"]:
            if b["w"] >= 6 and b["h"] >= 6:
                x, y = int(b["x"] + b["w"] / 2), int(b["y"] + b["h"] / 2)
                assert "rgb({}, {}, {})".format(*png.getpixel((x, y))) == b["fill"], (c["id"], b)
                checked += 1
    assert checked >= 20
