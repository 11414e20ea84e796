"""The text of a Word .docx file: paragraphs and table rows in document order."""
import io

from fazhi.errors import FazhiError
from fazhi.reading.text import one_line


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
        raise FazhiError(f"corrupt .docx: not a readable Word document{one_line(e)}", source) from None
    return "\n".join(lines)
