"""Render classified reports as one self-contained HTML page: the report as a reader sees it.

Each report gets a section: a bar of the bucket shares with the counts, then its
units in order, paragraphs where the report breaks them, headings set as headings,
each content unit highlighted in its bucket's colour with its label, confidence
and the four probabilities on hover. Units below ``min_confidence`` get a dashed
outline and a "?"; titles, signatures and dates are greyed; the figures of metric
units are set in bold.

The page loads nothing: CSS is inline, there is no script, no font, no image, and
a Content-Security-Policy forbids fetching anything. All report text is escaped.
"""
import html
from collections import defaultdict, deque

from fazhi import __version__
from fazhi.output.colors import HIGHLIGHT, LOOKS, SOLID
from fazhi.vocab import LABELS, bucket_counts

CSP = "default-src 'none'; style-src 'unsafe-inline'"



def esc(text) -> str:
    return html.escape(str(text), quote=True)


def _css() -> str:
    rules = [
        ":root{color-scheme:light}",
        "*{box-sizing:border-box}",
        "body{margin:0;background:#f6f5f1;color:#1d1d1d;"
        "font-family:'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif;"
        "font-size:16px;line-height:1.9}",
        "header.top{position:sticky;top:0;z-index:2;background:#fffdf8;border-bottom:1px solid #ddd;padding:.5em 1.5em;"
        "display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:center;font-size:14px;line-height:1.5}",
        "header.top .app{font-weight:bold}",
        ".legend{display:flex;flex-wrap:wrap;gap:.3em .9em;margin:0;padding:0;list-style:none}",
        ".legend li{display:flex;align-items:center;gap:.35em}",
        ".sw{display:inline-block;width:1.1em;height:1.1em;border-radius:3px;border:1px solid rgba(0,0,0,.15)}",
        "nav.toc{margin:1em 0 0;font-size:14px}",
        "nav.toc a{color:#1f4f8a;margin-right:1em}",
        "main{max-width:52em;margin:0 auto;padding:0 1.5em 4em}",
        "section.report{background:#fff;border:1px solid #e2e0da;border-radius:6px;margin:1.5em 0;padding:1.2em 2em 2em}",
        "section.report>h2{margin:0 0 .2em;font-size:1.3em}",
        ".source{color:#777;font-size:13px;margin:0 0 .8em;word-break:break-all}",
        ".shares{display:flex;width:100%;height:1.7em;border-radius:4px;overflow:hidden;background:#eee;margin:.3em 0}",
        ".share{flex:0 0 auto;height:100%;overflow:hidden;white-space:nowrap;font-size:12px;line-height:1.7em;padding:0 .4em;"
        "text-overflow:ellipsis}",
        ".share.zero{padding:0}",
        ".counts{font-size:14px;color:#444;margin:.2em 0 1.2em;line-height:1.6}",
        ".counts b{font-variant-numeric:tabular-nums}",
        ".counts .c{white-space:nowrap;margin-right:.9em}",
        ".counts .sw{width:.8em;height:.8em;vertical-align:-1px;margin-right:.25em}",
        ".text h3{font-size:1.12em;margin:1.4em 0 .5em}",
        ".text h4{font-size:1.02em;margin:1.1em 0 .4em}",
        ".text h5{font-size:1em;margin:.9em 0 .3em}",
        ".text p{margin:0 0 .8em;text-indent:0}",
        ".text p.title{text-align:center;font-size:1.15em;margin-bottom:1em}",
        ".text p.sign{text-align:right;margin:0}",
        ".u{border-radius:3px;padding:1px 1px;-webkit-box-decoration-break:clone;box-decoration-break:clone;"
        "border-right:2px solid #fff}",
        ".u:hover{filter:brightness(.93)}",
        ".nc{color:#9a9a9a;background:none}",
        ".uncertain{outline:1.5px dashed #555;outline-offset:-1px}",
        ".uncertain::after{content:'?';font-size:.75em;font-weight:bold;vertical-align:super;color:#555;margin-left:1px}",
        ".fig{font-weight:bold;color:#0b3d6b;text-decoration:underline;text-decoration-color:#1f77b4;text-underline-offset:3px}",
        ".gap{color:#555}",
        "footer{color:#888;font-size:12px;text-align:center;margin:2em 0}",
    ]
    for lab in LABELS:
        rules.append(f".b-{lab}{{background:{HIGHLIGHT[lab]}}}")
        rules.append(f".share.b-{lab},.sw.b-{lab}{{background:{SOLID[lab]};color:{LOOKS[lab].bar_text}}}")
    rules.append(".sw.nc{background:#fff}")
    rules.append(".sw.uncertain{background:#fff;border:1.5px dashed #555;outline:none}")
    rules.append(".sw.uncertain::after{content:none}")
    rules.append("@media print{header.top{position:static}section.report{border:none;break-before:page}}")
    return "\n".join(rules)


def _unit_text(text: str, spans: list[tuple[int, int]]) -> str:
    """The unit's text escaped, its figures in bold."""
    out, pos = [], 0
    for a, b in spans:
        out.append(esc(text[pos:a]))
        out.append(f'<b class="fig">{esc(text[a:b])}</b>')
        pos = b
    out.append(esc(text[pos:]))
    return "".join(out)


def _tooltip(p) -> str:
    probs = " · ".join(f"{lab} {getattr(p, f'p_{lab}'):.2f}" for lab in LABELS)
    mark = " (uncertain)" if p.uncertain else ""
    return f"{p.label} · confidence {p.confidence:.2f}{mark}\n{probs}"


def _unit_span(u, p, min_confidence: float) -> str:
    if p is None:  # not classified: title, signature, date, furniture
        return (
            f'<span class="u nc" data-sent-id="{u.sent_id}" data-kind="{esc(u.kind)}" '
            f'title="{esc(u.kind)} · not classified">{esc(u.text)}</span>'
        )
    uncertain = bool(p.uncertain or p.confidence < min_confidence)
    classes = f"u b-{p.label}" + (" uncertain" if uncertain else "")
    attrs = (
        f'class="{classes}" data-sent-id="{u.sent_id}" data-label="{esc(p.label)}" '
        f'data-confidence="{p.confidence:.4f}" title="{esc(_tooltip(p))}"'
    )
    if uncertain:
        attrs += ' data-uncertain="1"'
    spans = u.figure_spans if p.figures else []
    return f"<span {attrs}>{_unit_text(u.text, spans)}</span>"


def _blocks(report, by_unit: dict, min_confidence: float) -> list[str]:
    """The report's units as HTML blocks: headings, paragraphs, title and signature lines."""
    blocks: list[str] = []
    para: list[str] = []
    para_class = ""

    def flush():
        nonlocal para, para_class
        if para:
            cls = f' class="{para_class}"' if para_class else ""
            blocks.append(f"<p{cls}>{''.join(para)}</p>")
        para, para_class = [], ""

    prev_end = None
    prev_block = False  # the previous unit was a block of its own
    for u in report.units:
        gap = report.text[prev_end : u.start] if prev_end is not None else ""
        span = _unit_span(u, by_unit.get(id(u)), min_confidence)
        if gap.strip():
            para.append(f'<span class="gap">{esc(gap.strip())}</span>')
        if u.is_heading and u.is_content:
            flush()
            tag = {0: "h3", 1: "h4"}.get(u.level, "h5")  # its depth in the report's outline
            blocks.append(f"<{tag}>{span}</{tag}>")
            prev_block = True
        elif u.kind in ("title", "signature", "date"):
            flush()
            para_class = "title" if u.kind == "title" else "sign"
            para.append(span)
            flush()
            prev_block = True
        else:
            if prev_block or "\n" in gap:
                flush()
            para.append(span)
            prev_block = False
        prev_end = u.end
    flush()
    return blocks


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "0%"


def _share_bar(counts: dict, total: int) -> str:
    segs = []
    for lab in LABELS:
        n = counts[lab]
        width = f"{100 * n / total:.4f}%" if total else "0%"
        label = f"{n} {lab}" if n else ""
        zero = " zero" if not n else ""
        segs.append(
            f'<div class="share b-{lab}{zero}" data-label="{lab}" data-count="{n}" style="width:{width}" '
            f'title="{lab}: {n} of {total} units ({_pct(n, total)})">{esc(label)}</div>'
        )
    return f'<div class="shares" data-total="{total}">{"".join(segs)}</div>'


def _counts_line(counts: dict, total: int, uncertain: int, other: int, min_confidence: float) -> str:
    parts = [f'<span class="c"><b>{total}</b> units classified</span>']
    for lab in LABELS:
        parts.append(
            f'<span class="c" data-label="{lab}"><span class="sw b-{lab}"></span>{lab} '
            f"<b>{counts[lab]}</b> ({_pct(counts[lab], total)})</span>"
        )
    if min_confidence > 0:
        parts.append(f'<span class="c">uncertain (below {min_confidence:.2f}) <b>{uncertain}</b></span>')
    if other:
        parts.append(f'<span class="c">not classified (title, signature, date) <b>{other}</b></span>')
    return f'<div class="counts">{"".join(parts)}</div>'


def _section(index: int, report, by_unit: dict, min_confidence: float) -> str:
    preds = [by_unit[id(u)] for u in report.units if id(u) in by_unit]
    counts = bucket_counts(p.label for p in preds)
    uncertain = sum(bool(p.uncertain or p.confidence < min_confidence) for p in preds)
    other = sum(1 for u in report.units if id(u) not in by_unit)
    total = len(preds)
    source = f'<p class="source">{esc(report.source)}</p>' if report.source and report.source != report.doc_id else ""
    return "\n".join(
        [
            f'<section class="report" id="report-{index}" data-doc-id="{esc(report.doc_id)}">',
            f"<h2>{esc(report.doc_id)}</h2>",
            source,
            _share_bar(counts, total),
            _counts_line(counts, total, uncertain, other, min_confidence),
            '<div class="text" lang="zh-CN">',
            *_blocks(report, by_unit, min_confidence),
            "</div>",
            "</section>",
        ]
    )


def _legend(min_confidence: float) -> str:
    items = [f'<li><span class="sw b-{lab}"></span>{esc(LOOKS[lab].name)}</li>' for lab in LABELS]
    if min_confidence > 0:
        items.append(f'<li><span class="sw uncertain"></span>? uncertain: confidence below {min_confidence:.2f}</li>')
    items.append('<li><span class="sw nc"></span><span class="nc">not classified</span></li>')
    items.append('<li><b class="fig">85.6%</b> figure</li>')
    return f'<ul class="legend">{"".join(items)}</ul>'


def _match(reports, predictions) -> dict:
    """Prediction of each unit, keyed by ``id(unit)``; units without one are not classified."""
    queue: dict = defaultdict(deque)
    for p in predictions:
        queue[(p.doc_id, p.sent_id)].append(p)
    by_unit = {}
    for r in reports:
        for u in r.units:
            q = queue.get((u.doc_id, u.sent_id))
            if q:
                by_unit[id(u)] = q.popleft()
    return by_unit


def render_html(reports, predictions, *, min_confidence: float = 0.0) -> str:
    """The whole page as a string."""
    by_unit = _match(reports, predictions)
    title = reports[0].doc_id if len(reports) == 1 else f"{len(reports)} reports"
    toc = ""
    if len(reports) > 1:
        links = "".join(f'<a href="#report-{i}">{esc(r.doc_id)}</a>' for i, r in enumerate(reports, 1))
        toc = f'<nav class="toc">{links}</nav>'
    sections = [_section(i, r, by_unit, min_confidence) for i, r in enumerate(reports, 1)]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="zh-CN">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>fazhi: {esc(title)}</title>",
            f"<style>\n{_css()}\n</style>",
            "</head>",
            "<body>",
            f'<header class="top"><span class="app">fazhi</span>{_legend(min_confidence)}'
            '<span style="color:#777">hover a sentence for its label, confidence and probabilities</span></header>',
            "<main>",
            toc,
            *sections,
            "</main>",
            f"<footer>fazhi {esc(__version__)}</footer>",
            "</body>",
            "</html>",
            "",
        ]
    )


def write_html(reports, predictions, f, *, min_confidence: float = 0.0) -> None:
    """Write the page for ``reports`` and their ``predictions`` to the text file ``f``."""
    f.write(render_html(reports, predictions, min_confidence=min_confidence))
