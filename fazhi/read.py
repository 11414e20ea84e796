"""Read a report from a path or stdin into text, whatever its encoding and format."""
import os
import re
import sys

from fazhi.errors import FazhiError

BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
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


def doc_id_for(source: str) -> str:
    """The report's id: its file name without extension, ``-`` for stdin."""
    if source == "-":
        return "-"
    name = os.path.basename(os.path.normpath(source))
    stem, _ = os.path.splitext(name)
    return stem or name


def read_bytes(source: str, what: str = "report") -> bytes:
    """The bytes of a file, or of stdin for ``-``; ``what`` names the file in errors."""
    if source == "-":
        return sys.stdin.buffer.read()
    if not os.path.exists(source):
        raise FazhiError("no such file", source)
    if os.path.isdir(source):
        raise FazhiError(f"is a folder, not a {what}", source)
    try:
        with open(source, "rb") as f:
            return f.read()
    except OSError as e:
        raise FazhiError(f"cannot read: {e.strerror}", source) from None


def decode(data: bytes, source: str = "-") -> str:
    """Bytes of a plain-text report to str: UTF-8 (BOM or not), GB18030/GBK, UTF-16."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise FazhiError(f"not valid {encoding} text", source) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= len(text) // 500:
        return text  # UTF-8 with a few damaged bytes
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or _looks_binary(str(best)):
        raise FazhiError("binary file, not a text report", source)
    return str(best)


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # below space, but \t \n \f \r


def _looks_binary(text: str) -> bool:
    return len(_CONTROLS.findall(text)) > max(2, len(text) // 100)


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
        from fazhi import formats

        extract = {"pdf": formats.pdf_text, "docx": formats.docx_text}.get(kind, formats.html_text)
        return extract(data, source)
    if kind == "doc":
        raise FazhiError("old Word .doc file: save it as .docx first", source)
    if kind == "zip" or (ext == ".docx" and not _is_text(data)):
        what = "corrupt .docx: not a readable Word document" if ext == ".docx" else "a zip archive, not a report"
        raise FazhiError(what, source)
    if ext == ".pdf" and not _is_text(data):
        raise FazhiError("corrupt PDF: no PDF header", source)
    text = decode(data, source)
    if _looks_binary(text):
        raise FazhiError("binary file, not a text report", source)
    return text


def _is_text(data: bytes) -> bool:
    try:
        return not _looks_binary(decode(data))
    except FazhiError:
        return False
