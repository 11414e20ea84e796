"""Charts as inline SVG: vertical bars and horizontal (stacked) bars, drawn without a
script or a font file, each bar carrying its figures in data- attributes."""
import html
import math

FONT = "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif"


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def _attrs(data: dict) -> str:
    return " ".join(f'data-{k.replace("_", "-")}="{esc(v)}"' for k, v in data.items())


def _nice_top(value: float) -> float:
    """A round axis top at or above ``value``: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value)


def bars(chart_id: str, title: str, items: list[dict], *, colour: str, percent: bool = True,
         width: int = 640, height: int = 260) -> str:
    """Vertical bars: each item has ``label``, ``value`` and ``data`` (its data- attributes)."""
    left, right, top, bottom = 52, 12, 28, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    y_top = _nice_top(max((it["value"] for it in items), default=0))
    slot = plot_w / max(len(items), 1)
    out = [f'<svg class="chart" id="{esc(chart_id)}" role="img" aria-label="{esc(title)}" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" font-family="{esc(FONT)}" font-size="12">',
           f"<title>{esc(title)}</title>"]  # fmt: skip
    for k in range(5):
        y = top + plot_h * (1 - k / 4)
        tick = y_top * k / 4
        label = f"{100 * tick:.0f}%" if percent else f"{tick:g}"
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#666">{label}</text>')
    for i, it in enumerate(items):
        h = plot_h * it["value"] / y_top
        x, w = left + i * slot + slot * 0.2, slot * 0.6
        shown = f"{100 * it['value']:.1f}%" if percent else f"{it['value']:g}"
        out.append(f'<rect class="bar" x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
                   f'fill="{colour}" {_attrs(it["data"])}><title>{esc(it["label"])}: {shown}</title></rect>')  # fmt: skip
        out.append(f'<text x="{x + w / 2:.1f}" y="{top + plot_h - h - 5:.1f}" text-anchor="middle" fill="#333">{shown}</text>')
        out.append(f'<text x="{x + w / 2:.1f}" y="{height - bottom + 16:.1f}" text-anchor="middle" fill="#333">{esc(it["label"])}</text>')
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#999"/>')
    out.append("</svg>")
    return "\n".join(out)


def stacked_rows(chart_id: str, title: str, rows: list[dict], *, colours: dict[str, str], width: int = 640,
                 row_height: int = 26, label_width: int = 210) -> str:
    """Horizontal bars, one per row (``label``, ``parts``: {part: count}, ``data``), their
    parts side by side in ``colours``' order; every bar spans the same width per count."""
    right, top = 70, 8
    plot_w = width - label_width - right
    most = max((sum(r["parts"].values()) for r in rows), default=1) or 1
    height = top * 2 + row_height * len(rows)
    out = [f'<svg class="chart" id="{esc(chart_id)}" role="img" aria-label="{esc(title)}" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" font-family="{esc(FONT)}" font-size="12">',
           f"<title>{esc(title)}</title>"]  # fmt: skip
    for i, r in enumerate(rows):
        y = top + i * row_height
        total = sum(r["parts"].values())
        out.append(f'<text x="{label_width - 8}" y="{y + row_height * 0.62:.1f}" text-anchor="end" fill="#333">{esc(r["label"])}</text>')
        x = float(label_width)
        for part in colours:
            n = r["parts"].get(part, 0)
            w = plot_w * n / most
            data = {**r["data"], "part": part, "count": n, "total": total}
            out.append(f'<rect class="bar" x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_height - 8}" fill="{colours[part]}" '
                       f'{_attrs(data)}><title>{esc(r["label"])} · {esc(part)}: {n} / {total}</title></rect>')  # fmt: skip
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + row_height * 0.62:.1f}" fill="#333">{esc(r.get("note", total))}</text>')
    out.append("</svg>")
    return "\n".join(out)
