"""Clean a report's text for segmenting, and fold a copy for features.

``clean`` keeps the original characters (for display) but drops web furniture
and markup artifacts and joins lines broken inside a sentence (``fazhi.units.lines``). ``fold`` makes
the normalized copy the model reads: full-width/half-width folded, whitespace
removed, traditional characters converted to simplified.
"""
import re
import unicodedata

from fazhi.units.lines import Line, join_lines, width

_FURNITURE_TOKENS = re.compile(
    r"【\s*(?:关闭窗口|打印本页|打印|关闭|返回顶部|收藏|分享)\s*】"
    r"|\[bookmark:[^\]]*\]"
    r"|\*\*+|__+"
)
_FURNITURE_LINE = re.compile(
    r"(?:点击数|点击量|浏览次数|阅读次数|发文单位|发布时间|发布日期|信息来源|来源[:：]|字号[:：]|【字体|分享到|扫一扫)"
)
_PIPES = re.compile(r"\s*\|+\s*")
_MD_HEADING = re.compile(r"^\s*(#{1,6})\s+")
_BOLD_LINE = re.compile(r"^\*\*\s*(\S.*?)\s*\*\*$")  # a line set in bold, all of it
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_SPACES = re.compile(r"[ \t\u3000\u00a0\u2002-\u200b\ufeff]+")


def _strip(line: str) -> str:
    return line.strip(" \t\u3000\u00a0\u2002\u2003\u200b\ufeff")


def report_lines(text: str) -> list[Line]:
    """Lines of report content with their raw widths, furniture and markup removed, not yet joined."""
    text = _NEWLINES.sub("\n", text)
    lines: list[Line] = []
    gap = False
    for raw in text.split("\n"):
        line, mark = _heading_mark(raw)
        line = _FURNITURE_TOKENS.sub("", line)
        if "|" in line:
            line = _PIPES.sub(" ", line)
        stripped = _strip(line)
        if not stripped or (_FURNITURE_LINE.search(stripped) and len(stripped) < 120):
            gap = gap or not _strip(raw)
            continue
        lines.append(Line(stripped, width(line.rstrip()), gap=gap and bool(lines), mark=mark))
        gap = False
    return lines


def _heading_mark(raw: str) -> tuple[str, int]:
    """The line without its heading markup, and the mark: 1-6 for ``#`` … ``######``, 7 for
    a line all in bold (``**…**``), 0 for none."""
    m = _MD_HEADING.match(raw)
    if m:
        return raw[m.end() :], len(m.group(1))
    m = _BOLD_LINE.match(_strip(raw))
    return (m.group(1), 7) if m else (raw, 0)


def clean(text: str) -> str:
    """The report's clean text: one paragraph a line, a blank line where the report has
    one between paragraphs, original characters kept."""
    return "\n".join(p.text for p in join_lines(report_lines(text)))


def fold(text: str, simplify: bool = False) -> str:
    """The normalized copy: NFKC (full-width to half-width), no whitespace; ``simplify``
    converts traditional characters to simplified."""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACES.sub("", text).replace("\n", "")
    if simplify:
        from fazhi.units.script import to_simplified

        text = to_simplified(text)
    return text
