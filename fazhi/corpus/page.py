"""The corpus on one self-contained HTML page: problem share per year and per level,
the top recurring problems, promises kept per issuer.

Charts are inline SVG, each bar carrying its figures in data- attributes; the page
has no script, no font, no image, and a Content-Security-Policy that forbids fetching
anything. All text from reports is escaped.
"""
import datetime as dt

from fazhi.corpus.charts import bars, esc, stacked_rows
from fazhi.corpus.schema import DEFAULT_DB, connect
from fazhi.output.colors import SOLID

CSP = "default-src 'none'; style-src 'unsafe-inline'"
NO_TRACE_COLOUR = "#b9b4aa"
TOP = 10


def page_data(*, db: str = DEFAULT_DB, top: int = TOP) -> dict:
    """Everything the page shows, read from the database."""
    from fazhi.corpus.problems import corpus_problems
    from fazhi.corpus.promises import corpus_promises, kept_by_issuer
    from fazhi.corpus.summary import corpus_summary

    conn = connect(db, create=False)
    try:
        reports, issuers, units, problem, low, high = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT issuer), COALESCE(SUM(n_units), 0), COALESCE(SUM(problem), 0), MIN(year), MAX(year) FROM reports"
        ).fetchone()
    finally:
        conn.close()
    per_issuer: dict[str, list[int]] = {}
    for row in kept_by_issuer(corpus_promises(db=db)):
        kept = per_issuer.setdefault(row["issuer"], [0, 0])
        kept[0] += row["kept"]
        kept[1] += row["plans"]
    return {
        "db": db,
        "totals": {"reports": reports, "issuers": issuers, "units": units, "problem": problem,
                   "problem_share": round(problem / units, 4) if units else 0.0, "first_year": low, "last_year": high},
        "by_year": corpus_summary(db=db, by="year"),
        "by_level": corpus_summary(db=db, by="level"),
        "problems": corpus_problems(db=db, top=top),
        "promises": [{"issuer": k, "kept": v[0], "plans": v[1]} for k, v in sorted(per_issuer.items(), key=lambda x: (-x[1][1], x[0]))],
    }  # fmt: skip


def _share_items(rows: list[dict], key: str) -> list[dict]:
    return [
        {"label": r[key], "value": r["problem_share"],
         "data": {"key": r[key], "share": r["problem_share"], "problem": r["problem"], "units": r["units"], "reports": r["reports"]}}
        for r in rows
    ]  # fmt: skip


def _problems_section(groups: list[dict]) -> str:
    if not groups:
        return '<p class="empty">No problem is admitted by two reports or more.</p>'
    rows = [{"label": f"{g['group']}. " + " ".join(g["terms"][:3]), "parts": {"reports": g["reports"]},
             "data": {"group": g["group"], "reports": g["reports"], "units": g["units"]},
             "note": f"{g['reports']} reports"} for g in groups]  # fmt: skip
    chart = stacked_rows("problems", "Recurring problems: reports that admit each", rows, colours={"reports": SOLID["problem"]})
    items = []
    for g in groups:
        years = " ".join(f"{y}:{n}" for y, n in g["years"].items()) or "—"
        items.append(
            f'<tr data-group="{g["group"]}"><td>{g["group"]}</td><td class="n">{g["reports"]}</td><td class="n">{g["issuers"]}</td>'
            f'<td>{esc(years)}</td><td>{esc(" ".join(g["terms"]))}</td><td class="s">{esc(g["sentence"])}</td></tr>'
        )
    head = "<tr><th>#</th><th>reports</th><th>issuers</th><th>years (units)</th><th>top terms</th><th>most central sentence</th></tr>"
    return chart + f'<table class="groups">{head}{"".join(items)}</table>'


def _promises_section(rows: list[dict]) -> str:
    if not rows:
        return '<p class="empty">No issuer has reports of two consecutive years with issuer and year known.</p>'
    chart_rows = [{"label": r["issuer"], "parts": {"kept": r["kept"], "no trace": r["plans"] - r["kept"]},
                   "data": {"issuer": r["issuer"]}, "note": f"{r['kept']}/{r['plans']} ({100 * r['kept'] / r['plans']:.0f}%)"}
                  for r in rows]  # fmt: skip
    legend = (f'<p class="legend"><span class="sw" style="background:{SOLID["achievement"]}"></span>kept: an outcome of year N+1 '
              f'carries the plan out <span class="sw" style="background:{NO_TRACE_COLOUR}"></span>no trace</p>')  # fmt: skip
    return legend + stacked_rows("promises", "Plans of year N kept in year N+1, per issuer", chart_rows,
                                 colours={"kept": SOLID["achievement"], "no trace": NO_TRACE_COLOUR})  # fmt: skip


def _css() -> str:
    return "\n".join([
        ":root{color-scheme:light}", "*{box-sizing:border-box}",
        "body{margin:0;background:#f6f5f1;color:#1d1d1d;font-family:'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei',"
        "'Microsoft YaHei','PingFang SC',sans-serif;font-size:15px;line-height:1.6}",
        "main{max-width:60em;margin:0 auto;padding:1em 1.5em 3em}",
        "section{background:#fff;border:1px solid #e2e0da;border-radius:6px;margin:1.2em 0;padding:1em 1.5em}",
        "h1{font-size:1.5em;margin:.5em 0 .2em}", "h2{font-size:1.15em;margin:0 0 .6em}",
        ".totals{display:flex;flex-wrap:wrap;gap:.4em 2em;margin:.4em 0 0;padding:0;list-style:none;color:#444}",
        ".totals b{font-size:1.3em;color:#1d1d1d;font-variant-numeric:tabular-nums}",
        "svg.chart{display:block;max-width:100%;height:auto}", ".empty{color:#777}",
        ".legend{font-size:13px;color:#444;margin:0 0 .5em}",
        ".sw{display:inline-block;width:.9em;height:.9em;border-radius:2px;vertical-align:-1px;margin:0 .3em 0 1em}",
        ".legend .sw:first-child{margin-left:0}",
        "table.groups{border-collapse:collapse;width:100%;margin-top:.8em;font-size:13px}",
        "table.groups th,table.groups td{border-top:1px solid #eee;padding:.3em .5em;text-align:left;vertical-align:top}",
        "table.groups td.n{text-align:right;font-variant-numeric:tabular-nums}",
        "footer{color:#888;font-size:12px;text-align:center;margin:2em 0}",
    ])  # fmt: skip


def render_corpus_html(data: dict) -> str:
    """The page for :func:`page_data`'s figures."""
    from fazhi import __version__

    t = data["totals"]
    span = f"{t['first_year']}–{t['last_year']}" if t["first_year"] else "unknown"
    totals = (f'<ul class="totals" data-reports="{t["reports"]}" data-units="{t["units"]}" data-issuers="{t["issuers"]}" '
              f'data-problem-share="{t["problem_share"]}"><li><b>{t["reports"]}</b> reports</li><li><b>{t["issuers"]}</b> issuers</li>'
              f'<li><b>{t["units"]:,}</b> units</li><li><b>{100 * t["problem_share"]:.1f}%</b> problems</li><li>years <b>{span}</b></li></ul>')  # fmt: skip
    colour = SOLID["problem"]
    sections = [
        ("Problem share per year", bars("by-year", "Share of units that admit a problem, per year", _share_items(data["by_year"], "year"), colour=colour)),
        ("Problem share per level", bars("by-level", "Share of units that admit a problem, per level", _share_items(data["by_level"], "level"), colour=colour)),
        ("Top recurring problems", _problems_section(data["problems"])),
        ("Promises kept per issuer", _promises_section(data["promises"])),
    ]
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = "".join(f"<section><h2>{esc(h)}</h2>{content}</section>" for h, content in sections)
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>fazhi corpus: {t['reports']} reports</title>", f"<style>{_css()}</style>", "</head>", "<body><main>",
        f"<h1>{t['reports']} reports on building a law-based government</h1>", totals, body,
        f"<footer>fazhi {esc(__version__)} · {esc(data['db'])} · {stamp}</footer>", "</main></body>", "</html>",
    ])  # fmt: skip


def corpus_report(*, db: str = DEFAULT_DB, output: str = "corpus.html", top: int = TOP) -> dict:
    """Write the page to ``output`` (atomically); returns the figures it shows."""
    from fazhi.atomic import atomic_open

    data = page_data(db=db, top=top)
    page = render_corpus_html(data)
    with atomic_open(output) as f:
        f.write(page)
    return data
