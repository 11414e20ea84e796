"""A report's text from a path or stdin, whatever its format: the format is sniffed
from the content, and each parsing library is imported only when needed."""
import os
import re

from fazhi.errors import FazhiError
from fazhi.reading.text import decode, looks_binary, read_bytes

_HTML_START = re.compile(
    rb"^(?:\s|<\?xml[^>]*>|<!--.*?-->)*<(?:!doctype\s+html|html|head|body|meta)\b", re.I | re.S
)


def sniff(data: bytes) -> str | None:
    """``pdf``, ``docx``, ``zip``, ``doc``, ``html`` or None (plain text), from the content."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data else "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    if _HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")):
        return "html"
    return None


def read_text(source: str) -> str:
    """The text of the report at ``source`` (a path, or ``-`` for stdin), whatever its format."""
    data = read_bytes(source)
    if not data.strip():
        raise FazhiError("empty file", source)
    text = _extract(data, source)
    if not text.strip():
        raise FazhiError("empty file: no text in it", source)
    return text


def _extract(data: bytes, source: str) -> str:
    kind = sniff(data)
    ext = os.path.splitext(source)[1].lower()
    if kind in ("pdf", "docx", "html") or (kind is None and ext in (".html", ".htm")):
        return _extractor(kind)(data, source)
    if kind == "doc":
        raise FazhiError("old Word .doc file: save it as .docx first", source)
    if kind == "zip" or (ext == ".docx" and not _is_text(data)):
        what = "corrupt .docx: not a readable Word document" if ext == ".docx" else "a zip archive, not a report"
        raise FazhiError(what, source)
    if ext == ".pdf" and not _is_text(data):
        raise FazhiError("corrupt PDF: no PDF header", source)
    text = decode(data, source)
    if looks_binary(text):
        raise FazhiError("binary file, not a text report", source)
    return text


def _is_text(data: bytes) -> bool:
    try:
        return not looks_binary(decode(data))
    except FazhiError:
        return False


def _extractor(kind: str | None):
    if kind == "pdf":
        from fazhi.reading.pdf import pdf_text

        return pdf_text
    if kind == "docx":
        from fazhi.reading.docx import docx_text

        return docx_text
    from fazhi.reading.html import html_text

    return html_text
