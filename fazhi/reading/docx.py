"""The text of a Word .docx file: paragraphs and table rows in document order.

Word's own structure is kept as text: list numbering is written out as the reader sees
it ("一、", "（一）", "1.", "● "), and headings are marked as in Markdown: ``## `` before a
paragraph of heading style or outline level 2, ``**…**`` around a short paragraph set
all in bold or centred. ``fazhi.units.normalize`` reads the marks and removes them.
"""
import io
import re

from fazhi.errors import FazhiError
from fazhi.reading.text import one_line

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.I)
_CN_DIGITS = "〇一二三四五六七八九"
_SYMBOL_BULLET = re.compile(r"[\uf000-\uf8ff]")  # Symbol or Wingdings font: a bullet
MAX_EMPHASISED = 60  # characters of a bold or centred paragraph read as a heading


def _chinese(n: int) -> str:
    if n <= 10:
        return "十" if n == 10 else _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (_CN_DIGITS[tens] if tens > 1 else "") + "十" + (_CN_DIGITS[ones] if ones else "")


def _format(n: int, fmt: str) -> str:
    if fmt.startswith(("chinese", "ideograph", "taiwanese", "japanese")) and n < 100:
        return _chinese(n)
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt == "decimalEnclosedCircle" and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    return str(n)


class _Numbering:
    """Word list numbering, written out paragraph by paragraph as Word shows it."""

    def __init__(self, document):
        from docx.oxml.ns import qn

        self.qn, self.levels, self.nums, self.counts = qn, {}, {}, {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.iterchildren(qn("w:abstractNum")):
            self.levels[abstract.get(qn("w:abstractNumId"))] = {
                lvl.get(qn("w:ilvl")): (self._val(lvl, "w:numFmt", "decimal"), self._val(lvl, "w:lvlText", ""),
                                        int(self._val(lvl, "w:start", "1")))
                for lvl in abstract.iterchildren(qn("w:lvl"))
            }  # fmt: skip
        for num in root.iterchildren(qn("w:num")):
            self.nums[num.get(qn("w:numId"))] = self._val(num, "w:abstractNumId", "")

    def _val(self, el, tag: str, default: str) -> str:
        child = el.find(self.qn(tag))
        return child.get(self.qn("w:val"), default) if child is not None else default

    def label(self, num_id: str, ilvl: str) -> str:
        """The next label of list ``num_id`` at level ``ilvl``: "一、", "（二）", "3.", "● "."""
        levels = self.levels.get(self.nums.get(num_id, ""), {})
        if ilvl not in levels:
            return ""
        counts = self.counts.setdefault(num_id, {})
        depth = int(ilvl)
        for deeper in [k for k in counts if int(k) > depth]:
            del counts[deeper]
        counts[ilvl] = counts.get(ilvl, levels[ilvl][2] - 1) + 1
        fmt, text, _ = levels[ilvl]
        if fmt == "bullet":
            return "● " if _SYMBOL_BULLET.search(text) or not text.strip() else text.strip() + " "
        if fmt == "none":
            return ""
        for k, (k_fmt, _, k_start) in levels.items():
            text = text.replace(f"%{int(k) + 1}", _format(counts.get(k, k_start), k_fmt))
        return text + (" " if text[-1:].isdigit() else "")


def _styles(paragraph):
    style = paragraph.style
    while style is not None:
        yield style
        style = style.base_style


def _ppr(paragraph, tag: str):
    """A paragraph property, set on the paragraph or on its style or the styles it is based on."""
    from docx.oxml.ns import qn

    for ppr in [paragraph._p.pPr, *(s.element.pPr for s in _styles(paragraph))]:
        found = ppr.find(qn(tag)) if ppr is not None else None
        if found is not None:
            return found
    return None


def _heading_level(paragraph) -> int:
    """1-9 for a paragraph of heading style, title style or outline level; 0 for body text."""
    from docx.oxml.ns import qn

    for style in _styles(paragraph):
        m = _HEADING_STYLE.match(style.name or "")
        if m:
            return int(m.group(1))
        if (style.name or "").lower() == "title":
            return 1
    outline = _ppr(paragraph, "w:outlineLvl")
    level = int(outline.get(qn("w:val"), "9")) if outline is not None else 9
    return level + 1 if level < 9 else 0


def _emphasised(paragraph, text: str) -> bool:
    """A short paragraph set all in bold, or centred."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if not text.strip() or len("".join(text.split())) > MAX_EMPHASISED:
        return False
    alignment = next((s.paragraph_format.alignment for s in _styles(paragraph) if s.paragraph_format.alignment is not None), None)
    if (paragraph.alignment if paragraph.alignment is not None else alignment) == WD_ALIGN_PARAGRAPH.CENTER:
        return True
    style_bold = next((s.font.bold for s in _styles(paragraph) if s.font.bold is not None), False)
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(r.bold if r.bold is not None else style_bold for r in runs)


def _paragraph_line(paragraph, numbering: _Numbering, marks: bool) -> str:
    """A paragraph as a line: its list label, its text, and (``marks``) its heading mark."""
    from docx.oxml.ns import qn

    text = paragraph.text
    num = _ppr(paragraph, "w:numPr")
    if num is not None and text.strip():
        num_id, ilvl = num.find(qn("w:numId")), num.find(qn("w:ilvl"))
        if num_id is not None:
            text = numbering.label(num_id.get(qn("w:val")), ilvl.get(qn("w:val")) if ilvl is not None else "0") + text
    if not marks:
        return text
    level = _heading_level(paragraph)
    if level and text.strip():
        return "#" * min(level, 6) + " " + text.strip()
    return f"**{text.strip()}**" if _emphasised(paragraph, text) else text


def _docx_blocks(container, parent, out: list[str], numbering: _Numbering, marks: bool = True) -> None:
    """Paragraph lines, and one line per table row (headings unmarked), under ``container`` in document order."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            out.append(_paragraph_line(Paragraph(child, parent), numbering, marks))
        elif child.tag == qn("w:tbl"):
            for tr in child.iterchildren(qn("w:tr")):
                cells = []
                for tc in tr.iterchildren(qn("w:tc")):
                    inner: list[str] = []
                    _docx_blocks(tc, parent, inner, numbering, marks=False)
                    cells.append(" ".join(" ".join(inner).split()))
                out.append(" ".join(c for c in cells if c))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _docx_blocks(content, parent, out, numbering, marks)


def docx_text(data: bytes, source: str) -> str:
    """Paragraphs and table rows of a Word document, in document order, one a line."""
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        _docx_blocks(document.element.body, document, lines, _Numbering(document))
    except Exception as e:  # a broken zip or XML can fail in many ways
        raise FazhiError(f"corrupt .docx: not a readable Word document{one_line(e)}", source) from None
    return "\n".join(lines)
