"""The main text of a saved web page: menus, scripts and footers dropped."""
import re

from fazhi.errors import FazhiError
from fazhi.reading.text import decode, looks_binary, one_line

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
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_CENTRED = re.compile(r"text-align\s*:\s*center", re.I)
_BOLD = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
MAX_EMPHASISED = 60  # characters of a bold or centred paragraph read as a heading
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030", "cp936", "euc-cn"}
_WS = re.compile(r"[ \t\r\n\f]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CJK_CHAR = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
MAIN_SHARE = 0.6  # descend into a child holding this share of its parent's text


def _decode_html(data: bytes, source: str) -> str:
    """The page as text, in the charset it declares when that fits."""

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
    if looks_binary(text):
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


def _centred(el) -> bool:
    return el.tag == "center" or el.get("align", "").lower() == "center" or bool(_CENTRED.search(el.get("style", "")))


def _bold(el) -> bool:
    return el.tag in ("b", "strong") or bool(_BOLD.search(el.get("style", "")))


def _bold_text(el) -> str:
    """The text of ``el`` set in bold, whitespace removed."""
    out = []
    for b in el.iterdescendants():
        if isinstance(b.tag, str) and _bold(b):
            between = []
            for a in b.iterancestors():
                if a is el:
                    break
                between.append(a)
            if not any(_bold(a) for a in between):  # counted once, at its outer bold
                out.append("".join(b.text_content().split()))
    return "".join(out)


def _emphasised_lines(block) -> set:
    """Paragraphs that are a heading by their look: short, and all bold or centred."""
    found = set()
    for el in block.iter("p", "div", "li", "center"):
        if any(isinstance(c.tag, str) and (c.tag in _BLOCK_TAGS or c.tag == "br") for c in el.iterdescendants()):
            continue
        text = "".join(el.text_content().split())
        if not text or len(text) > MAX_EMPHASISED:
            continue
        parent = el.getparent()
        if _centred(el) or (parent is not None and parent is not block and _centred(parent)) or _bold(el) or _bold_text(el) == text:
            found.add(el)
    return found


def _block_text(block) -> str:
    """The text of the block, a line per paragraph; headings marked as in Markdown: ``## ``
    before an ``<h2>``, ``**…**`` around a line set in bold or centred."""
    from lxml import etree

    emphasised = _emphasised_lines(block)
    parts: list[str] = []
    for event, el in etree.iterwalk(block, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS or tag == "br":
                parts.append("\n")
            elif tag in ("td", "th"):
                parts.append(" ")
            if tag in _HEADING_TAGS and "".join(el.text_content().split()):
                parts.append("#" * int(tag[1]) + " ")
            elif el in emphasised:
                parts.append("**")
            if el.text:
                parts.append(el.text if tag == "pre" else _collapse(el.text))
        else:
            if el in emphasised and tag not in _HEADING_TAGS:
                parts.append("**")
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
