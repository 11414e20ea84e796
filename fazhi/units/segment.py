"""Cut a report's clean text into units, as the labeling guide defines them.

A unit ends after 。！？；; a heading (一、 （一） 1. 1、 （1）) or an 一是/二是 item
starts a new unit even inline; a heading that runs into its text on the same
line ends at the first space between two Chinese characters.
"""
import re

from fazhi.units import patterns as P
from fazhi.units.figures import figure_spans
from fazhi.units.normalize import fold
from fazhi.vocab import CONTENT, Unit

_SENT_CUT = re.compile(rf"[{P.UNIT_END}]+[{P.CLOSERS}]*")
_SPACE = re.compile(r"\s+")
_PADDED = re.compile(r"[A-Za-z0-9.%％]+\s")  # a number set off by spaces: "共 15 件"
_BEFORE_MARKER = set(P.UNIT_END) | set("：:")
MAX_TITLE = 80
MAX_SIGNATURE = 40
MAX_SHORT_HEADING = 40


def _is_ascii_alnum(c: str) -> bool:
    return c.isascii() and c.isalnum() or c in "%％."


def _cuts(line: str) -> list[tuple[int, int, bool]]:
    """Where a unit may end in one line, in order: (start, end, hard). Hard: after a unit
    end, or before a marker that follows whitespace, a unit end or a colon. Soft: a
    space between two Chinese characters (not after a Latin letter, digit or %, nor
    before a number set off by spaces)."""
    hard = {m.end() for m in _SENT_CUT.finditer(line)}
    for m in P.MARKER.finditer(line):
        p = m.start()
        if p > 0 and (line[p - 1].isspace() or line[p - 1] in _BEFORE_MARKER):
            hard.add(p)
    soft = []
    for m in _SPACE.finditer(line):
        a, b = m.start(), m.end()
        if 0 < a and b < len(line) and not _is_ascii_alnum(line[a - 1]) and not _PADDED.match(line, b):
            soft.append((a, b))
    return sorted([(p, p, True) for p in hard] + [(a, b, False) for a, b in soft])


def _line_spans(line: str, at_start: bool) -> tuple[list[tuple[int, int]], bool]:
    """Spans of units within one line; ``at_start`` is True before any content. A soft
    cut ends a heading, a title line (before any content) or the text before a date."""
    spans, cur = [], 0

    def close(end: int) -> None:
        nonlocal at_start
        spans.append((cur, end))
        at_start = at_start and not _starts_content(line[cur:end])

    for a, b, hard in _cuts(line):
        piece = line[cur:a]
        if hard:
            if piece.strip():
                close(a)
            cur = a
        elif (
            piece.strip()
            and not P.BARE_MARKER.match(piece)  # "第一部分 主要工作": the marker and its title stay one heading
            and (
                P.HEADING_START.match(piece.lstrip())
                or (at_start and not P.SENTENCE_END_CHARS.search(piece))
                or P.DATE_LINE.match(line[b:])
            )
        ):
            close(a)
            cur = b
    if line[cur:].strip():
        close(len(line))
    return spans, at_start


def _starts_content(piece: str) -> bool:
    piece = piece.strip()
    return bool(P.SENTENCE_END_CHARS.search(piece) or P.MARKER.match(piece))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the whitespace at its ends."""
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), end - len(piece) + len(piece.rstrip())


def spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the units of a clean text, in order, whitespace trimmed."""
    out, offset, at_start = [], 0, True
    for line in text.split("\n"):
        line_spans, at_start = _line_spans(line, at_start)
        out += [_trim(text, offset + a, offset + b) for a, b in line_spans]  # never blank
        offset += len(line) + 1
    return out


def _kind_and_heading(units: list[Unit], text: str) -> None:
    def no_sentence(u: Unit) -> bool:
        return not P.SENTENCE_END_CHARS.search(u.norm)

    for u in units:
        level = P.heading_level(u.text)
        if not P.WORDLIKE.search(u.text):
            u.kind = "furniture"
        elif P.DATE_LINE.match(u.text):
            u.kind = "date"
        elif level is not None:
            u.is_heading = no_sentence(u) or len(u.norm) <= MAX_SHORT_HEADING
        elif no_sentence(u) and len(u.norm) <= MAX_SHORT_HEADING and _whole_line(u, text):
            u.is_heading = True
    # leading title lines and addressee, before the first content
    for u in units:
        if u.kind != "content":
            continue
        if P.heading_level(u.text) is not None or P.ITEM_START.match(u.text):
            break
        # norm is NFKC-folded: ，and ：are , and : there
        if no_sentence(u) and len(u.norm) <= MAX_TITLE and "," not in u.norm:
            if u.norm.endswith(":"):
                u.kind = "furniture"  # an addressee line: 国务院：
            elif ":" not in u.norm:
                u.kind, u.is_heading = "title", False
            else:
                break
            continue
        break
    # trailing issuer name and signing date
    for i in range(len(units) - 1, -1, -1):
        u = units[i]
        if u.kind in ("date", "furniture"):
            continue
        if u.kind != "content":
            break
        follows_date = i + 1 < len(units) and units[i + 1].kind == "date"
        if (
            no_sentence(u)
            and P.heading_level(u.text) is None
            and len(u.norm) <= MAX_SIGNATURE
            and (follows_date or i == len(units) - 1)
        ):
            u.kind, u.is_heading = "signature", False
            continue
        break


def _whole_line(u: Unit, text: str) -> bool:
    before = text[u.start - 1] if u.start else "\n"
    after = text[u.end] if u.end < len(text) else "\n"
    return before == "\n" and after == "\n"


def _sections(units: list[Unit]) -> None:
    levels = [P.heading_level(u.text) for u in units]
    marked = [lv for u, lv in zip(units, levels) if u.is_heading and lv is not None]
    top = min(marked) if marked else None
    section = ""
    for u, lv in zip(units, levels):
        if top is not None and u.is_heading and lv == top:
            section = u.text
        u.section = section if u.kind in ("content", "signature", "date") else ""


def make_unit(*, doc_id: str, sent_id: int, text: str, section: str = "", kind: str = CONTENT,
              simplify: bool = False, start: int = 0, end: int = 0) -> Unit:
    """A unit with its normalized copy and its figures: the one way units are made."""
    return Unit(
        doc_id=doc_id, sent_id=sent_id, section=section, text=text, norm=fold(text, simplify),
        kind=kind, start=start, end=end, figure_spans=figure_spans(text),
    )  # fmt: skip


def segment(text: str, *, doc_id: str = "-", simplify: bool = False) -> list[Unit]:
    """The units of a clean report text (see :func:`fazhi.units.normalize.clean`)."""
    units = [
        make_unit(doc_id=doc_id, sent_id=i, text=text[s:e], simplify=simplify, start=s, end=e)
        for i, (s, e) in enumerate(spans(text))
    ]
    _kind_and_heading(units, text)
    if not any(u.is_content for u in units):
        # a lone phrase ("加强执法队伍建设") reads like a title; it is the content
        for u in units:
            if u.kind == "title":
                u.kind = CONTENT
    _sections(units)
    return units
