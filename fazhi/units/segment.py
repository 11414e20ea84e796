"""Cut a report's clean text into units, as the labeling guide defines them, and tell
their kinds (title, signature, date, furniture, content).

A unit ends after 。！？；; a heading (一、 （一） 1. 1、 （1）), an 一是/二是 item or a
bullet (■ ● ◆ ▲ ——) starts a new unit even inline; a heading that runs into its text on
the same line ends at the first space between two Chinese characters. Every line of the
clean text is at least one unit: a list line or a bullet line is a unit of its own.
Headings, their levels and sections: ``fazhi.units.outline``.
"""
import re

from fazhi.units import patterns as P
from fazhi.units.figures import figure_spans
from fazhi.units.normalize import fold
from fazhi.units.outline import HEADING_WORDS, outline
from fazhi.vocab import CONTENT, Unit

_SENT_CUT = re.compile(rf"[{P.UNIT_END}]+[{P.CLOSERS}]*")
_SPACE = re.compile(r"\s+")
_PADDED = re.compile(r"[A-Za-z0-9.%％]+\s")  # a number set off by spaces: "共 15 件"
_BEFORE_MARKER = set(P.UNIT_END) | set("：:")
_BARE_LIST = re.compile(rf"\s*(?:[{P.BULLET_SYMBOLS}•·・√✓]|—{{1,2}}|-|\d{{1,2}})\s*$")  # a list marker alone
MAX_TITLE = 80
MAX_SIGNATURE = 40
MAX_PART_HEADING = 16


def _is_ascii_alnum(c: str) -> bool:
    return c.isascii() and c.isalnum() or c in "%％."


def _hard_cuts(line: str) -> set[int]:
    """Where a unit must end: after 。！？；, before a marker set off by a space or a
    colon, and before any bullet symbol."""
    hard = {m.end() for m in _SENT_CUT.finditer(line)}
    for m in P.MARKER.finditer(line):
        p = m.start()
        if p > 0 and (line[p - 1].isspace() or line[p - 1] in _BEFORE_MARKER or line[p] in P.BULLET_SYMBOLS):
            hard.add(p)
    return hard


def _soft_cut(piece: str, rest: str, at_start: bool) -> bool:
    """Whether a space between ``piece`` and ``rest`` ends a unit: after a heading marker's
    title, before a date, or after a title line that runs into the report's first sentence."""
    if P.BARE_MARKER.match(piece) or _BARE_LIST.match(piece):
        return False  # "第一部分 主要工作", "■ 强化组织保障": the marker stays with its text
    if P.HEADING_START.match(piece) or P.DATE_LINE.match(rest):  # a piece never starts with a space
        return True
    return (
        at_start
        and not P.SENTENCE_END_CHARS.search(piece)
        and bool(P.SENTENCE_END_CHARS.search(rest))
        and piece.count("（") + piece.count("(") == piece.count("）") + piece.count(")")
    )


def _line_spans(line: str, at_start: bool) -> tuple[list[tuple[int, int]], bool]:
    """Spans of units within one line; ``at_start`` is True before any content."""
    soft = []
    for m in _SPACE.finditer(line):
        a, b = m.start(), m.end()
        if 0 < a and b < len(line) and not _is_ascii_alnum(line[a - 1]) and not _PADDED.match(line, b):
            soft.append((a, b))
    # a cut is (where the unit ends, where the next begins, hard): a hard cut has no gap
    events = sorted([(p, p, True) for p in _hard_cuts(line)] + [(a, b, False) for a, b in soft])
    spans, cur = [], 0
    for a, b, hard in events:
        piece = line[cur:a]
        if hard or (piece.strip() and _soft_cut(piece, line[b:], at_start)):
            if piece.strip():
                spans.append((cur, a))
                at_start = at_start and not _starts_content(piece)
            cur = b
    if line[cur:].strip():
        spans.append((cur, len(line)))
        at_start = at_start and not _starts_content(line[cur:])
    return spans, at_start


def _starts_content(piece: str) -> bool:
    piece = piece.strip()
    return bool(P.SENTENCE_END_CHARS.search(piece) or P.MARKER.match(piece))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the units of a clean text, in order, whitespace trimmed."""
    out, offset, at_start = [], 0, True
    for line in text.split("\n"):
        line_spans, at_start = _line_spans(line, at_start)
        for a, b in line_spans:
            s, e = _trim(text, offset + a, offset + b)
            if s < e:
                out.append((s, e))
        offset += len(line) + 1
    return out


def _no_sentence(u: Unit) -> bool:
    return not P.SENTENCE_END_CHARS.search(u.norm)


def _kinds(units: list[Unit]) -> None:
    """Furniture and dates; leading title lines and addressee; trailing issuer and date."""
    for u in units:
        if not P.WORDLIKE.search(u.text):
            u.kind = "furniture"
        elif P.DATE_LINE.match(u.text):
            u.kind = "date"
    for k, u in enumerate(units):  # before the first content
        if u.kind != "content":
            continue
        if P.heading_level(u.text) is not None or P.ITEM_START.match(u.text):
            break
        if k and len(u.norm) <= MAX_PART_HEADING and HEADING_WORDS.search(u.norm) and not P.TITLE_END.search(u.norm):
            break  # 各位代表： then 2023年工作回顾: the first part's heading
        if _no_sentence(u) and len(u.norm) <= MAX_TITLE and "," not in u.norm:  # norm: NFKC, so ，is ,
            if u.norm.endswith(":"):
                u.kind = "furniture"  # an addressee line: 国务院：
            elif ":" not in u.norm:
                u.kind = "title"
            else:
                break
            continue
        break
    for u in units:  # a report's title after content: an attachment's, under a cover letter
        if u.is_content and P.REPORT_TITLE.match(u.norm) and u.sent_id > 0:
            u.kind = "title"
    for i in range(len(units) - 1, -1, -1):  # after the last content
        u = units[i]
        if u.kind in ("date", "furniture"):
            continue
        if u.kind != "content":
            break
        follows_date = i + 1 < len(units) and units[i + 1].kind == "date"
        if (
            _no_sentence(u)
            and P.heading_level(u.text) is None
            and len(u.norm) <= MAX_SIGNATURE
            and (follows_date or i == len(units) - 1)
        ):
            u.kind = "signature"
            continue
        break


def make_unit(*, doc_id: str, sent_id: int, text: str, section: str = "", kind: str = CONTENT,
              simplify: bool = False, start: int = 0, end: int = 0) -> Unit:
    """A unit with its normalized copy and its figures: the one way units are made."""
    return Unit(
        doc_id=doc_id, sent_id=sent_id, section=section, text=text, norm=fold(text, simplify),
        kind=kind, start=start, end=end, figure_spans=figure_spans(text),
    )  # fmt: skip


def segment(text: str, *, doc_id: str = "-", simplify: bool = False, marks: dict[int, int] | None = None) -> list[Unit]:
    """The units of a clean report text (see :func:`fazhi.units.normalize.clean`); ``marks``
    gives the lines (by number) that the source marked as headings: 1-6 their level, 7 bold."""
    units = [
        make_unit(doc_id=doc_id, sent_id=i, text=text[s:e], simplify=simplify, start=s, end=e)
        for i, (s, e) in enumerate(spans(text))
    ]
    _kinds(units)
    if not any(u.is_content for u in units):
        # a lone phrase ("加强执法队伍建设") reads like a title; it is the content
        for u in units:
            if u.kind == "title":
                u.kind = CONTENT
    outline(units, text, _unit_marks(units, text, marks or {}))
    return units


def _unit_marks(units: list[Unit], text: str, marks: dict[int, int]) -> dict[int, int]:
    """The marks of the units that are a marked line, by unit index."""
    if not marks:
        return {}
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    line_of = {start: n for n, start in enumerate(starts)}
    ends = {s - 1 for s in starts[1:]} | {len(text)}
    return {
        k: marks[line_of[u.start]] for k, u in enumerate(units)
        if line_of.get(u.start) in marks and u.end in ends
    }  # fmt: skip
