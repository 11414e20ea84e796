"""Clean a report's text for segmenting, and fold a copy for features.

``clean`` keeps the original characters (for display) but drops web furniture
and markup artifacts and joins lines broken inside a sentence. ``fold`` makes
the normalized copy the model reads: full-width/half-width folded, whitespace
removed, traditional characters converted to simplified.
"""
import re
import unicodedata

from fazhi.units import patterns as P

_FURNITURE_TOKENS = re.compile(
    r"【\s*(?:关闭窗口|打印本页|打印|关闭|返回顶部|收藏|分享)\s*】"
    r"|\[bookmark:[^\]]*\]"
    r"|\*\*+|__+"
)
_FURNITURE_LINE = re.compile(
    r"(?:点击数|点击量|浏览次数|阅读次数|发文单位|发布时间|发布日期|信息来源|来源[:：]|字号[:：]|【字体|分享到|扫一扫)"
)
_PIPES = re.compile(r"\s*\|+\s*")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_SPACES = re.compile(r"[ \t\u3000\u00a0\u2002-\u200b\ufeff]+")
_JOINER = re.compile(r"^[和及暨与]")
_CLAUSE = re.compile(r"[，,]")  # a comma: the line is part of a sentence, not a title


def _strip(line: str) -> str:
    return line.strip(" \t\u3000\u00a0\u2002\u2003\u200b\ufeff")


def clean_lines(text: str) -> list[str]:
    """Lines of report content, furniture and markup removed, not yet joined."""
    text = _NEWLINES.sub("\n", text)
    lines = []
    for raw in text.split("\n"):
        line = _FURNITURE_TOKENS.sub("", raw)
        line = _MD_HEADING.sub("", line)
        if "|" in line:
            line = _PIPES.sub(" ", line)
        line = _strip(line)
        if not line or (_FURNITURE_LINE.search(line) and len(line) < 120):
            continue
        lines.append(line)
    return lines


def _has_sentence_end(line: str) -> bool:
    return bool(P.SENTENCE_END_CHARS.search(line))


def _is_heading_like(line: str) -> bool:
    """A line that stands alone: a marked heading, or a short line with no sentence in it."""
    if P.HEADING_START.match(line):
        return True
    return not _has_sentence_end(line) and not _CLAUSE.search(line) and len(line) <= 60


def _broken(prev: str, nxt: str) -> bool:
    """True when the break between ``prev`` and ``nxt`` falls inside a sentence."""
    if prev[-1] in P.UNIT_END or prev[-1] in "：:":
        return False
    if P.HEADING_START.match(nxt) or P.ITEM_START.match(nxt) or P.DATE_LINE.match(nxt):
        return False
    return not _is_heading_like(prev)


def clean(text: str) -> str:
    """The report's clean text: one paragraph a line, original characters kept."""
    lines = clean_lines(text)
    out: list[str] = []
    seen_content = False
    for line in lines:
        if out and _broken(out[-1], line):
            out[-1] += line
            continue
        if out and not seen_content and _JOINER.match(line) and _is_heading_like(line) and _is_heading_like(out[-1]):
            out[-1] += line  # a title set over two lines
            continue
        if _has_sentence_end(line) or P.HEADING_START.match(line):
            seen_content = True
        out.append(line)
    return "\n".join(out)


def fold(text: str, simplify: bool = False) -> str:
    """The normalized copy: NFKC (full-width to half-width), no whitespace; ``simplify``
    converts traditional characters to simplified."""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACES.sub("", text).replace("\n", "")
    if simplify:
        from fazhi.units.script import to_simplified

        text = to_simplified(text)
    return text
