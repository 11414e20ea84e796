"""Text out of .html, .docx and .pdf reports; each parsing library is imported when needed."""
import io
import math
import re
from collections import Counter
from contextlib import contextmanager

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
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CJK_CHAR = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
MAIN_SHARE = 0.6  # descend into a child holding this share of its parent's text


def _decode_html(data: bytes, source: str) -> str:
    """The page as text, in the charset it declares when that fits."""
    from fazhi.read import _looks_binary, decode

    m = _CHARSET.search(data[:4096])
    text = None
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        name = m.group(1).decode("ascii", "ignore").lower()
        try:
            text = data.decode("gb18030" if name in _GB else name, errors="replace")
        except LookupError:
            pass
        if text is not None and text.count("\ufffd") > len(text) // 500:
            text = None
    if text is None:
        text = decode(data, source)
    if _looks_binary(text):
        raise FazhiError("binary file, not a text report", source)
    return text


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
            in_article = next(el.iterancestors("article", "main"), None) is not None
            if in_article and "header" in f"{tag} {_attr_names(el)}".lower():
                continue  # an article's own header: its title
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


def _title_before(block, body, w: dict) -> str:
    """The nearest heading or *title* element just before the main block, if any; menus skipped."""
    node = block
    for _ in range(3):
        if node is body or node.getparent() is None:
            break
        for sib in node.itersiblings(preceding=True):
            if not isinstance(sib.tag, str) or w.get(sib, 0) < 0.5 * _text_len(sib.text_content()):
                continue  # mostly links
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

    text = _CONTROLS.sub("", _decode_html(data, source))
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        raise FazhiError("no text in the page", source) from None
    body = root.find("body")
    if body is None:
        body = root
    _drop_furniture(root, _text_len(body.text_content()))
    weights = _weights(body)
    block = _main_block(body, weights)
    title = _title_before(block, body, weights)
    out = _block_text(block)
    if title and "".join(title.split()) not in "".join(out[: len(title) + 200].split()):
        out = f"{title}\n{out}"
    return out


# --- Word .docx ---------------------------------------------------------------


def _docx_blocks(container, parent, out: list[str]) -> None:
    """Paragraph texts, and one line per table row, under ``container`` in document order."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            out.append(Paragraph(child, parent).text)
        elif child.tag == qn("w:tbl"):
            for tr in child.iterchildren(qn("w:tr")):
                cells = []
                for tc in tr.iterchildren(qn("w:tc")):
                    inner: list[str] = []
                    _docx_blocks(tc, parent, inner)
                    cells.append(" ".join(" ".join(inner).split()))
                out.append(" ".join(c for c in cells if c))
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
