"""Lines to paragraphs: a line broken inside a sentence is joined to the next one; list
lines, headings and item lines stay lines of their own.

A break is joined only where the sentence really continues: the line ends mid-sentence,
the next line has no item marker and no heading shape, and either the text says so (a
comma or an open bracket at the break, a number cut in two, a sentence already under way
on the line, a short tail that ends the sentence) or the layout does (the line fills the
width the document is wrapped at). A run of short lines without end punctuation is a
list: each line stays a unit.
"""
import re
from dataclasses import dataclass

from fazhi.units import patterns as P

_OPEN_END = set("，,、“‘《〈（(【[—-/·")  # a line ending here runs on
_CLOSE_START = set("，,、。．.；;：:！!？?”’》〉）)】]%％")  # a line starting here is a continuation
_CLAUSE = re.compile(r"[，,、]")
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
    "\U00020000-\U0003fffd\u00a7\u00b0\u00b7\u00d7\u00f7\u2010-\u203e\u2460-\u24ff\u25a0-\u26ff]"
)
_PUNCT = re.compile(r"[，,、；;：:。．！!？?]")
_JOINER = re.compile(r"^[和及暨与與]")
_YEAR_START = re.compile(r"(?:19|20)\d\d年")  # a paragraph opening with its year: "2021年，…"
TITLE_PART = re.compile(r"^[\u3400-\u9fff\d（）()]{2,60}$")  # words and years only
WRAP_SLACK = 6  # display columns a wrapped line may fall short of the wrap width
WRAP_LINES = 3  # lines at the wrap width, ending mid-sentence, that show a document is wrapped
MIN_WRAP = 30  # display columns: narrower lines are headings and list items, not wrapped text
MIN_RUN_ON = 30  # characters of a clause line that runs on into a sentence
MIN_BEFORE_TAIL = 18  # characters of a line that a short tail ("根本转变。") completes
MAX_TAIL = 10


@dataclass
class Line:
    """One line of a report: its text, stripped, and its raw width in display columns."""

    text: str
    width: int
    gap: bool = False  # a blank line before it
    mark: int = 0  # a heading marked up by the source: 1-6 its level (# … ######), 7 a bold line


def width(text: str) -> int:
    """Display columns: wide characters (Chinese text, full-width forms) and the ambiguous
    ones Chinese text sets wide (“” — · ■) count two."""
    return len(text) + len(_WIDE.findall(text))


def _stem(text: str) -> str:
    return text.rstrip(P.CLOSERS) or text


def ends_sentence(text: str) -> bool:
    """The line ends a sentence, or introduces what follows (a colon)."""
    return _stem(text)[-1] in P.UNIT_END + "：:"


def starts_item(text: str) -> bool:
    """A heading marker, an 一是 item, a bullet or list number, or a date line."""
    return bool(
        P.HEADING_START.match(text) or P.ITEM_START.match(text) or P.LIST_START.match(text) or P.DATE_LINE.match(text)
    )


def wrap_width(lines: list[Line]) -> int | None:
    """The width the document was wrapped at, when several lines of text (not headings or
    items) end mid-sentence there and hardly any line is wider; None for a document of
    one paragraph a line."""
    runs = [ln.width for ln in lines if not ends_sentence(ln.text) and not starts_item(ln.text)]
    widest = max((ln.width for ln in lines), default=0)
    for w in sorted({x for x in runs if x >= MIN_WRAP}, reverse=True):
        near = [x for x in runs if w - WRAP_SLACK <= x <= w]
        wider = [ln for ln in lines if ln.width > w + 2]
        if len(near) >= WRAP_LINES and len(wider) <= len(lines) // 40:
            return w
        if w < widest / 2:
            break
    return None


def _text_says_so(prev: str, nxt: str) -> bool:
    """The break is inside a phrase: an open bracket or comma before it, a closing mark or
    a cut number after it."""
    last, first = _stem(prev)[-1], nxt[0]
    if last in _OPEN_END or first in _CLOSE_START:
        return True
    cut_number = (last.isdigit() or last == ".") and first.isdigit() and not _YEAR_START.match(nxt)
    return cut_number and bool(P.CJK.search(prev))


def _tail(prev: str, nxt: str) -> bool:
    """``nxt`` is a short tail that ends the sentence ``prev`` began: "…观念仍未" + "根本转变。"."""
    return (
        len(nxt) <= MAX_TAIL
        and P.SENTENCE_END_CHARS.search(nxt[-1:] or " ") is not None
        and not _PUNCT.search(nxt[:-1])
        and len(prev) >= MIN_BEFORE_TAIL
        and not P.LIST_START.match(prev)
    )


def _runs_on(prev: str, nxt: str) -> bool:
    """A long clause line (with commas) whose next line carries the sentence on."""
    if len(prev) < MIN_RUN_ON or not _CLAUSE.search(prev) or P.LIST_START.match(prev) or P.HEADING_START.match(prev):
        return False
    return bool(P.SENTENCE_END_CHARS.search(nxt)) or _stem(nxt)[-1] in "，,、"


def broken(prev: str, last: Line, nxt: Line, wrap: int | None) -> bool:
    """True when the break between the paragraph ``prev`` (its last line ``last``) and
    the line ``nxt`` falls inside a sentence; across a blank line only when the text says so."""
    if ends_sentence(prev) or starts_item(nxt.text):
        return False
    if _text_says_so(prev, nxt.text):
        return True
    if P.SENTENCE_END_CHARS.search(prev):
        return True  # a sentence under way: "（一）周密部署。省委印发《方案（2016—"
    if nxt.gap:
        return False
    if wrap is not None and last.width >= wrap - WRAP_SLACK:
        return True
    return _tail(prev, nxt.text) or _runs_on(prev, nxt.text)


def _title_goes_on(prev: str, nxt: str) -> bool:
    """A title set over two lines: "南陵县…工作总结" + "和2022年…安排", "青崖市人民政府" + "关于…报告"."""
    if not (TITLE_PART.match(prev) and TITLE_PART.match(nxt)):
        return False
    if _JOINER.match(nxt) or nxt.startswith(("关于", "關於")):
        return True
    return bool(P.TITLE_END.search(nxt)) and not P.TITLE_END.search(prev)


def join_lines(lines: list[Line]) -> list[Line]:
    """The paragraphs of a report: lines broken inside a sentence joined, marked headings
    kept apart; an empty paragraph where a blank line sets two apart."""
    wrap = wrap_width(lines)
    out: list[Line] = []
    last: Line | None = None
    seen_content = False
    for ln in lines:
        alone = ln.mark or (out and out[-1].mark)
        if out and last is not None and not alone and broken(out[-1].text, last, ln, wrap):
            out[-1].text += ln.text
        elif out and not seen_content and not ln.gap and not alone and _title_goes_on(out[-1].text, ln.text):
            out[-1].text += ln.text
        else:
            if ln.gap and out:
                out.append(Line("", 0))
            out.append(Line(ln.text, ln.width, mark=ln.mark))
        last = ln
        if P.SENTENCE_END_CHARS.search(ln.text) or P.HEADING_START.match(ln.text):
            seen_content = True
    return out
