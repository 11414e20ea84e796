"""Text out of .html, .docx and .pdf reports; each parsing library is imported when needed."""
import io
import math
import re
from collections import Counter

from fazhi import patterns as P
from fazhi.errors import FazhiError


def _one_line(e: Exception) -> str:
    text = " ".join(str(e).split())
    return f" ({text[:120]})" if text else ""


# --- HTML -----------------------------------------------------------------

_DROP_TAGS = {
    "head", "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "button", "select", "input", "textarea",
}  # fmt: skip
_LAYOUT_TAGS = {"nav", "header", "footer", "aside", "menu", "dialog"}
_FURNITURE_NAME = re.compile(
    r"nav|menu|header|footer|breadcrumb|crumb|sidebar|copyright|share|toolbar|qrcode|ewm|banner"
    r"|login|search|friendlink|bottom|dqwz|weizhi|location|position|print|related|relate",
    re.I,
)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "tbody", "thead", "h1", "h2", "h3",
    "h4", "h5", "h6", "section", "article", "main", "blockquote", "pre", "hr", "center", "address",
    "figure", "figcaption", "caption",
}  # fmt: skip
_CONTAINERS = {"div", "section", "article", "main", "table", "tbody", "tr", "td", "th", "center", "font", "span"}
_TITLE_TAGS = {"h1", "h2", "h3"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030", "cp936", "euc-cn"}
_WS = re.compile(r"[ \t\r\n\f]+")
_CJK_CHAR = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
MAIN_SHARE = 0.6  # descend into a child holding this share of its parent's text


def _decode_html(data: bytes, source: str) -> str:
    from fazhi.read import decode

    m = _CHARSET.search(data[:4096])
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        name = m.group(1).decode("ascii", "ignore").lower()
        try:
            return data.decode("gb18030" if name in _GB else name)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data, source)


def _attr_names(el) -> str:
    return f"{el.get('id', '')} {el.get('class', '')}"


def _text_len(s: str | None) -> int:
    return len(s) - len(_WS.findall(s)) if s else 0


def _weights(root) -> dict:
    """Per element: characters of text outside links, its own and its children's."""
    from lxml import etree

    w: dict = {}
    for _, el in etree.iterwalk(root, events=("end",)):
        own = 0 if el.tag == "a" or not isinstance(el.tag, str) else _text_len(el.text)
        w[el] = own + sum(w[c] + _text_len(c.tail) for c in el)
    return w


def _drop_furniture(root, total: int) -> None:
    doomed = []
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:
            doomed.append(el)
        elif tag in _DROP_TAGS or el.get("hidden") is not None or _HIDDEN.search(el.get("style", "")):
            doomed.append(el)
        elif tag in _LAYOUT_TAGS or (tag not in ("html", "body") and _FURNITURE_NAME.search(_attr_names(el))):
            if _text_len(el.text_content()) < 0.4 * total:  # never the page's main text
                doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _main_block(body, w: dict):
    node = body
    while w.get(node):
        kids = [c for c in node if isinstance(c.tag, str)]
        best = max(kids, key=lambda c: w[c], default=None)
        if best is None or best.tag not in _CONTAINERS or w[best] < MAIN_SHARE * w[node]:
            break
        node = best
    return node


def _title_before(block, body) -> str:
    """The nearest heading or *title* element just before the main block, if any."""
    node = block
    for _ in range(3):
        if node is body or node.getparent() is None:
            break
        for sib in node.itersiblings(preceding=True):
            if not isinstance(sib.tag, str):
                continue
            found = [sib] if sib.tag in _TITLE_TAGS or "title" in _attr_names(sib).lower() else []
            found += [e for e in sib.iter(*_TITLE_TAGS)]
            for el in found:
                text = " ".join(el.text_content().split())
                if 0 < len(text) <= 120:
                    return text
        node = node.getparent()
    return ""


def _collapse(s: str) -> str:
    """HTML whitespace: a line break between Chinese characters vanishes, other runs become a space."""

    def repl(m):
        a, b = m.string[m.start() - 1 : m.start()], m.string[m.end() : m.end() + 1]
        if "\n" in m.group() and _CJK_CHAR.match(a) and _CJK_CHAR.match(b):
            return ""
        return " "

    return _WS.sub(repl, s)


def _block_text(block) -> str:
    from lxml import etree

    parts: list[str] = []
    for event, el in etree.iterwalk(block, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS or tag == "br":
                parts.append("\n")
            elif tag in ("td", "th"):
                parts.append(" ")
            if el.text:
                parts.append(el.text if tag == "pre" else _collapse(el.text))
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if el.tail and el is not block:
                parts.append(_collapse(el.tail))
    lines = (re.sub(" {2,}", " ", line).strip(" ") for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def html_text(data: bytes, source: str) -> str:
    """The main text of a web page: furniture dropped, the block holding most text kept."""
    import lxml.html
    from lxml import etree

    text = _decode_html(data, source).replace("\x00", "")
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        raise FazhiError("no text in the page", source) from None
    body = root.find("body")
    if body is None:
        body = root
    _drop_furniture(root, _text_len(body.text_content()))
    block = _main_block(body, _weights(body))
    title = _title_before(block, body)
    out = _block_text(block)
    if title and "".join(title.split()) not in "".join(out[: len(title) + 200].split()):
        out = f"{title}\n{out}"
    return out


# --- Word .docx ---------------------------------------------------------------


def _docx_blocks(container, parent, out: list[str]) -> None:
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            out.append(Paragraph(child, parent).text)
        elif child.tag == qn("w:tbl"):
            for row in Table(child, parent).rows:
                cells: list[str] = []
                for tc in row._tr.iterchildren(qn("w:tc")):
                    inner: list[str] = []
                    _docx_blocks(tc, parent, inner)
                    text = " ".join(" ".join(inner).split())
                    if text:
                        cells.append(text)
                out.append(" ".join(cells))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _docx_blocks(content, parent, out)


def docx_text(data: bytes, source: str) -> str:
    """Paragraphs and table rows of a Word document, in document order, one a line."""
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        _docx_blocks(document.element.body, document, lines)
    except Exception as e:  # a broken zip or XML can fail in many ways
        raise FazhiError(f"corrupt .docx: not a readable Word document{_one_line(e)}", source) from None
    return "\n".join(lines)


# --- PDF ------------------------------------------------------------------

_PAGE_NO = re.compile(
    r"^(?:[-—–－_~·•=]*(\d{1,4})[-—–－_~·•=]*"
    r"|第(\d{1,4})页(?:[,，/]?共\d{1,4}页)?|共\d{1,4}页第(\d{1,4})页"
    r"|(\d{1,4})/\d{1,4}|(?i:page)(\d{1,4})(?:(?i:of)\d{1,4})?)$"
)
_FINAL = set(P.UNIT_END) | set("：:")
EDGE = 2  # lines at the top and bottom of a page that may be running headers, footers, page numbers


class _Line:
    __slots__ = ("text", "x", "y", "size", "width")

    def __init__(self, text: str, x: float | None, y: float | None, size: float):
        self.text, self.x, self.y, self.size = text.strip(), x, y, size
        self.width = sum(0.5 if c < "\u2000" or "\uff61" <= c <= "\uffdc" else 1.0 for c in self.text)  # in em

    @property
    def end(self) -> float | None:
        return None if self.x is None else self.x + self.width * self.size


def _mult(m, n):
    return (
        m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5],
    )  # fmt: skip


def _page_lines(page) -> list[_Line]:
    """The page's text lines with the position and size of each line's start."""
    lines: list[_Line] = []
    cur: list = []

    def visit(text, cm, tm, font, size):
        nonlocal cur
        if not text:
            return
        m = _mult(tm, cm)
        scale = math.hypot(m[0], m[1]) or 1.0
        for i, piece in enumerate(text.split("\n")):
            if i:
                if cur and cur[0].strip():
                    lines.append(_Line(*cur))
                cur = []
            if cur:
                cur[0] += piece
            elif piece.strip():
                cur = [piece, m[4] if i == 0 else None, m[5], (size or 1.0) * scale]

    page.extract_text(visitor_text=visit)
    if cur and cur[0].strip():
        lines.append(_Line(*cur))
    return lines


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
    return values[int(q * (len(values) - 1))]


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
        if full(prev) and last not in _FINAL and not indented(ln) and not P.HEADING_START.match(ln.text):
            gap = " " if prev.text[-1].isascii() and prev.text[-1].isalnum() and ln.text[0].isascii() else ""
            out[-1] += gap + ln.text
        else:
            out.append(ln.text)
    return "\n".join(out)


class _Quiet:
    """Silence pypdf's warnings and log lines: fazhi reports one line per bad file."""

    def __enter__(self):
        import logging
        import warnings

        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.simplefilter("ignore")
        self._logger = logging.getLogger("pypdf")
        self._level = self._logger.level
        self._logger.setLevel(logging.CRITICAL + 1)

    def __exit__(self, *exc):
        self._logger.setLevel(self._level)
        self._warnings.__exit__(*exc)


def pdf_text(data: bytes, source: str) -> str:
    """The text layer of a PDF, lines broken inside a sentence joined."""
    with _Quiet():
        try:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                _decrypt(reader, source)
            pages = [_page_lines(page) for page in reader.pages]
        except FazhiError:
            raise
        except Exception as e:  # pypdf raises many kinds on a damaged file
            raise FazhiError(f"corrupt PDF: cannot read it{_one_line(e)}", source) from None
    body = _drop_page_furniture(pages)
    if not any(P.WORDLIKE.search(ln.text) for ln in body):
        raise FazhiError("PDF has no text layer: it may be a scanned image (run OCR on it first)", source)
    return _join_lines(body)


def _decrypt(reader, source: str) -> None:
    try:
        opened = reader.decrypt("")
    except Exception as e:
        raise FazhiError(f"encrypted PDF: cannot decrypt it{_one_line(e)}", source) from None
    if not opened:
        raise FazhiError("encrypted PDF: it needs a password; save an unprotected copy first", source)
