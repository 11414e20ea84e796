"""The text layer of a PDF: running headers, footers and page numbers dropped, broken lines joined."""
import io
import math
import re
from collections import Counter
from contextlib import contextmanager

from fazhi.errors import FazhiError
from fazhi.reading.text import one_line
from fazhi.units import patterns as P

_PAGE_NO = re.compile(
    r"^(?:[-—–－_~·•=]*(\d{1,4})[-—–－_~·•=]*"
    r"|第(\d{1,4})页(?:[,，/]?共\d{1,4}页)?|共\d{1,4}页第(\d{1,4})页"
    r"|(\d{1,4})/\d{1,4}|(?i:page)(\d{1,4})(?:(?i:of)\d{1,4})?)$"
)
EDGE = 2  # lines at the top and bottom of a page that may be running headers, footers, page numbers


_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])")


def _unspace(text: str) -> str:
    """Spaces a justified or letter-spaced line puts between Chinese characters dropped."""
    return _CJK_GAP.sub("", text) if len(_CJK_GAP.findall(text)) >= 2 else text


def _em(text: str) -> float:
    """Width in em: Chinese characters and full-width forms 1, the rest 0.5."""
    return sum(0.5 if c < "\u2000" or "\uff61" <= c <= "\uffdc" else 1.0 for c in text)


class _Line:
    """A line of a page: its text, where it starts and (roughly) where it ends."""

    __slots__ = ("raw", "x", "y", "size", "end")

    def __init__(self, text: str, x: float | None, y: float | None, size: float):
        self.raw, self.x, self.y, self.size = text, x, y, size
        self.end = None if x is None else x + _em(text.strip()) * size

    def add(self, text: str, x: float | None, size: float) -> None:
        self.raw += text
        if x is not None and self.end is not None:
            self.end = max(self.end, x + _em(text.rstrip()) * size)
        elif self.end is not None:
            self.end += _em(text.rstrip()) * size

    @property
    def text(self) -> str:
        return _unspace(self.raw.strip())

    @property
    def width(self) -> float:
        return _em(self.text)


def _mult(m, n):
    return (
        m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5],
    )  # fmt: skip


def _page_lines(page) -> list[_Line]:
    """The page's text lines; pieces set on the same baseline, left to right, make one line."""
    lines: list[_Line] = []

    def visit(text, cm, tm, font, size):
        if not text:
            return
        m = _mult(tm, cm)
        fs = (size or 1.0) * (math.hypot(m[0], m[1]) or 1.0)
        for i, piece in enumerate(text.split("\n")):
            cur = lines[-1] if lines else None
            x, y = (m[4], m[5]) if i == 0 else (None, None)
            if not piece.strip():
                if piece and cur is not None and i == 0:
                    cur.add(piece, None, fs)
                continue
            same = (
                cur is not None and x is not None and cur.y is not None and cur.end is not None
                and abs(y - cur.y) <= 0.5 * max(fs, cur.size) and x >= cur.end - 2 * fs
            )  # fmt: skip
            if same:
                cur.add(piece, x, fs)
            else:
                lines.append(_Line(piece, x, y, fs))

    page.extract_text(visitor_text=visit)
    return [ln for ln in lines if ln.text]


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", "".join(text.split()))


def _edges(lines: list[_Line]) -> list[_Line]:
    out = lines[:EDGE] + lines[-EDGE:]
    placed = [ln for ln in lines if ln.y is not None]
    if placed:
        placed.sort(key=lambda ln: ln.y)
        out += placed[:EDGE] + placed[-EDGE:]
    return out


def _drop_page_furniture(pages: list[list[_Line]]) -> list[_Line]:
    """Body lines of all pages: running headers/footers and page numbers dropped."""
    n = len(pages)
    counts = Counter(k for page in pages for k in {_key(ln.text) for ln in _edges(page)})
    repeated = {k for k, c in counts.items() if n >= 2 and c >= max(2, n / 2) and k.strip("#")}
    body = []
    for page in pages:
        edges = {id(ln) for ln in _edges(page)}
        for ln in page:
            if id(ln) in edges:
                m = _PAGE_NO.match("".join(ln.text.split()))
                number = m and next(g for g in m.groups() if g)
                if (number and int(number) <= n + 10) or _key(ln.text) in repeated:
                    continue
            body.append(ln)
    return body


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[math.ceil(q * (len(values) - 1))]


def _join_lines(lines: list[_Line]) -> str:
    """Join a line that runs to the right margin with no sentence end onto the next, unindented one."""
    if not lines:
        return ""
    placed = sum(ln.x is not None for ln in lines) >= 0.8 * len(lines)
    size = Counter(round(ln.size, 1) for ln in lines).most_common(1)[0][0] or 1.0
    if placed:
        ends = [ln.end for ln in lines if ln.x is not None]
        left = Counter(round(ln.x) for ln in lines if ln.x is not None).most_common(1)[0][0]
    else:
        ends = [ln.width for ln in lines]
    right = _percentile(ends, 0.9)
    tol = 1.5 * size if placed else 1.5

    def full(ln: _Line) -> bool:
        end = ln.end if placed else ln.width
        return end is not None and end >= right - tol and (placed or right >= 15)

    def indented(ln: _Line) -> bool:
        return placed and ln.x is not None and ln.x > left + 0.5 * size

    out = [lines[0].text]
    for prev, ln in zip(lines, lines[1:]):
        last = prev.text.rstrip(P.CLOSERS)[-1:] or prev.text[-1]
        final = last in P.UNIT_END or (last in "：:" and not placed)  # with indents known, a colon may run on
        if full(prev) and not final and not indented(ln) and not P.HEADING_START.match(ln.text):
            ascii_words = prev.text[-1].isascii() and prev.text[-1].isalnum() and ln.text[0].isascii()
            gap = " " if ascii_words or prev.raw[-1:].isspace() else ""  # a space the line ended with is kept
            out[-1] += gap + ln.text
        else:
            out.append(ln.text)
    return "\n".join(out)


@contextmanager
def _quiet():
    """Silence pypdf's warnings and log lines: fazhi reports one line per bad file."""
    import logging
    import warnings

    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def pdf_text(data: bytes, source: str) -> str:
    """The text layer of a PDF, lines broken inside a sentence joined."""
    with _quiet():
        try:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                _decrypt(reader, source)
            pages = [_page_lines(page) for page in reader.pages]
        except FazhiError:
            raise
        except Exception as e:  # pypdf raises many kinds on a damaged file
            raise FazhiError(f"corrupt PDF: cannot read it{one_line(e)}", source) from None
    body = _drop_page_furniture(pages)
    if not any(P.WORDLIKE.search(ln.text) for ln in body):
        raise FazhiError("PDF has no text layer: it may be a scanned image (run OCR on it first)", source)
    return _join_lines(body)


def _decrypt(reader, source: str) -> None:
    try:
        opened = reader.decrypt("")
    except Exception as e:
        raise FazhiError(f"encrypted PDF: cannot decrypt it{one_line(e)}", source) from None
    if not opened:
        raise FazhiError("encrypted PDF: it needs a password; save an unprotected copy first", source)
