"""A report's outline: which units are headings, how deep each sits, and for every unit
its top-level heading (``section``) and the nearest heading at or above it (``heading``).

Headings are found by numbering (第一部分 一、 （一） 1. （1）), by list markers (a bullet
or "1 " line standing over a paragraph) and by layout and wording: a short line of its
own, without end punctuation, followed by content. A run of such lines is a list, not
headings; the first line of a run of two is a heading over the second when it reads as
one (主要举措和成效 over 党政主要负责人履职情况).

Depth comes from the order the styles appear in, numbered styles keeping their own order;
an unnumbered heading that names a report part (存在的问题, 2025年工作打算) goes back to
the top when the top level is unnumbered.
"""
import re

from fazhi.units import patterns as P
from fazhi.vocab import Unit

MAX_SHORT_HEADING = 40
MAX_FULL_SENTENCE_HEADING = 20  # "（一）加强组织领导。" alone on its line
# the wording of a heading: what a report's parts are called
HEADING_WORDS = re.compile(
    r"情况|举措|措施|成效|做法|问题|不足|困难|短板|差距|打算|安排|计划|思路|目标|重点工作|任务|回顾|主要工作|要求|保障"
    r"|下一?步|(?:\d{4}|[〇○零一二三四五六七八九]{4}|今|明|来)年度?.{0,8}工作"
)
# the heading of a part that follows the work done: its problems, its plans
PART_HEADING = re.compile(
    r"^(?:存在的?|面临的|当前的?)?(?:主要|突出)?(?:问题|不足|困难|短板|差距)"
    r"|^(?:下一?步|下步|今后)[^，,]{0,6}$|(?:\d{4}|[〇○零一二三四五六七八九]{4}|今|明|来)年度?.{0,8}?(?:打算|安排|计划|思路|重点|任务|要点|目标|工作)$"
)
_CLAUSE_END = re.compile(r"[，,、：:]$")
_RANKED = re.compile(r"[nh]\d$")  # numbered and marked-up styles keep their own order


def whole_line(u: Unit, text: str) -> bool:
    """The unit is a line of the clean text on its own."""
    before = text[u.start - 1] if u.start else "\n"
    after = text[u.end] if u.end < len(text) else "\n"
    return before == "\n" and after == "\n"


def _gap_before(u: Unit, text: str) -> bool:
    """A blank line sets the unit apart from what is above it."""
    return text[max(0, u.start - 2) : u.start] == "\n\n"


def _no_sentence(u: Unit) -> bool:
    return not P.SENTENCE_END_CHARS.search(u.norm)


def _short_line(u: Unit, text: str) -> bool:
    """A short line of its own with no sentence in it: a heading's or a list item's shape."""
    return (
        u.is_content and _no_sentence(u) and len(u.norm) <= MAX_SHORT_HEADING
        and not _CLAUSE_END.search(u.norm) and whole_line(u, text)
    )  # fmt: skip


def _numbered_heading(u: Unit, units: list[Unit], i: int, text: str) -> bool:
    """A numbered unit is a heading unless it is a full sentence standing as a list item
    ("1. 将…。"): with end punctuation it heads only text on its own line, or is short,
    plain and followed by other content."""
    if _no_sentence(u):
        return True
    if len(u.norm) > MAX_SHORT_HEADING:
        return False
    if not whole_line(u, text):
        return text[u.end : u.end + 1] != "\n"  # "（一）周密部署。省委…": leads its paragraph
    nxt = units[i + 1] if i + 1 < len(units) else None
    plain = len(u.norm) <= MAX_FULL_SENTENCE_HEADING and not re.search("[,，、]", u.norm)
    return plain and nxt is not None and nxt.is_content and not _marked(nxt)


def _marked(u: Unit) -> bool:
    """The unit opens with a heading number, an 一是 item or a list marker."""
    return bool(P.heading_level(u.text) is not None or P.ITEM_START.match(u.text) or P.LIST_START.match(u.text))


def _bare(u: Unit, text: str) -> bool:
    """An unnumbered short line: no heading number, no list marker."""
    return (
        _short_line(u, text) and P.heading_level(u.text) is None and not P.LIST_START.match(u.text)
        and not P.ITEM_START.match(u.text) and not re.search("[:：]", u.norm)
    )  # fmt: skip


def _run_end(units: list[Unit], i: int, text: str, styles: dict[int, str]) -> int:
    """Where the run of lines shaped like ``units[i]`` ends (unnumbered lines, or lines of the
    same list marker): at a blank line, at another shape, before a part's heading."""
    u, j = units[i], i + 1
    marked = P.LIST_START.match(u.text) is not None
    while j < len(units) and j not in styles and not _gap_before(units[j], text):
        v = units[j]
        if not (_same_marker(v, u, text) if marked else _bare(v, text) and not PART_HEADING.search(v.norm)):
            break
        j += 1
    return j


def _mark_runs(units: list[Unit], text: str, styles: dict[int, str]) -> None:
    """Headings among unnumbered short lines and list-marked lines, by what surrounds them:
    a line alone over content; a part's heading over a list; a heading over its first
    sub-heading; the other lines of a run are list items."""
    i, n = 0, len(units)
    while i < n:
        u = units[i]
        marked = P.LIST_START.match(u.text) is not None
        if i in styles or not (_bare(u, text) or (marked and _short_line(u, text))):
            i += 1
            continue
        j = _run_end(units, i, text, styles)
        run, after = units[i:j], units[j] if j < n else None
        followed = after is not None and after.is_content
        if len(run) == 1:
            between = i > 0 and units[i - 1].is_heading and followed and after.is_heading  # "（一）…", a line, "（二）…"
            u.is_heading = followed and not between
        elif followed and len(run) == 2 and not marked and HEADING_WORDS.search(u.norm):
            run[0].is_heading = run[1].is_heading = True  # a part's heading over its first heading
            styles[i] = "bare-parent"
        elif not marked and PART_HEADING.search(u.norm):
            u.is_heading = True  # 存在的困难 over 经费保障不足, 人员力量薄弱
        i = j


def _same_marker(v: Unit, u: Unit, text: str) -> bool:
    return _short_line(v, text) and _marker(v) == _marker(u)


def _marker(u: Unit) -> str:
    m = P.LIST_START.match(u.text)
    if not m:
        return ""
    return "number" if u.text[:1].isdigit() else m.group().strip()[:1]


def mark_headings(units: list[Unit], text: str, marks: dict[int, int]) -> dict[int, str]:
    """Set ``is_heading`` on the content units that head what follows them; the style of
    each heading by index: ``n0``…``n4`` numbered, ``h1``…``h6`` and ``bold`` marked up by
    the source (``marks``), ``list:■`` list-marked, ``bare``, ``bare-parent``."""
    styles: dict[int, str] = {}
    for i, u in enumerate(units):
        u.is_heading = False
        level = P.heading_level(u.text)
        if u.is_content and level is not None:
            u.is_heading = _numbered_heading(u, units, i, text) or i in marks
            styles[i] = f"n{level}"
        elif u.is_content and i in marks:
            u.is_heading = True
            styles[i] = f"h{marks[i]}" if marks[i] <= 6 else "bold"
    _mark_runs(units, text, styles)
    for i, u in enumerate(units):
        if u.is_heading and i not in styles:
            styles[i] = "list:" + _marker(u) if P.LIST_START.match(u.text) else "bare"
    for i in sorted(styles):  # an unnumbered heading right over another heads it
        if styles[i] == "bare" and styles.get(i + 1) == "bare" and units[i].is_heading and units[i + 1].is_heading:
            styles[i] = "bare-parent"
    return {i: s for i, s in styles.items() if units[i].is_heading}


def _place(stack: list[tuple[str, Unit | None]], style: str, h: Unit) -> None:
    """Put heading ``h`` on the outline stack: after its parent, in place of its sibling."""
    styles = [s for s, _ in stack]
    unnumbered = style.startswith("bare") or style == "bold"
    if unnumbered and styles and not styles[0].startswith("n") and PART_HEADING.search(h.norm):
        del stack[:]  # 存在的问题 after 主要举措和成效's sub-headings: a part of its own
    elif style in styles:
        del stack[styles.index(style) :]
    elif _RANKED.match(style):
        family, rank = style[0], int(style[1:])
        ranks = [(k, int(s[1:])) for k, s in enumerate(styles) if _RANKED.match(s) and s[0] == family]
        above = [k for k, r in ranks if r < rank]
        below = [k for k, r in ranks if r > rank]
        if above:
            del stack[above[-1] + 1 :]
        elif below:
            del stack[below[0] :]
    stack.append((style, h))


def outline(units: list[Unit], text: str, marks: dict[int, int] | None = None) -> None:
    """Find the headings (``is_heading``) and set each unit's ``level`` (a heading's depth,
    0 at the top), ``section`` (the top-level heading above it) and ``heading`` (the
    nearest heading at or above it); ``marks``: the units the source marked as headings."""
    styles = mark_headings(units, text, marks or {})
    numbered = [int(s[1:]) for s in styles.values() if s.startswith("n")]
    top = f"n{min(numbered)}" if numbered else ""
    stack: list[tuple[str, Unit | None]] = []
    for i, u in enumerate(units):
        u.level = None
        if u.kind == "title":
            stack = []  # an attachment's title: its outline starts afresh
        if i in styles:
            if not stack and top and styles[i].startswith("n") and styles[i] != top:
                stack.append((top, None))  # an excerpt opening under a part it does not show
            _place(stack, styles[i], u)
            u.level = len(stack) - 1
        keep = u.kind in ("content", "signature", "date") and stack
        u.section = stack[0][1].text if keep and stack[0][1] else ""
        u.heading = stack[-1][1].text if keep and stack[-1][1] else ""
