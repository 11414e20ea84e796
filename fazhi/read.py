"""Read a report from a path or stdin into text, whatever its encoding."""
import os
import sys

from fazhi.errors import FazhiError

BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def doc_id_for(source: str) -> str:
    """The report's id: its file name without extension, ``-`` for stdin."""
    if source == "-":
        return "-"
    name = os.path.basename(os.path.normpath(source))
    stem, _ = os.path.splitext(name)
    return stem or name


def read_bytes(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    if not os.path.exists(source):
        raise FazhiError("no such file", source)
    if os.path.isdir(source):
        raise FazhiError("is a folder, not a report", source)
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
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or _looks_binary(str(best)):
        raise FazhiError("binary file, not a text report", source)
    return str(best)


def _looks_binary(text: str) -> bool:
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    return controls > max(2, len(text) // 100)


def read_text(source: str) -> str:
    """The text of the report at ``source`` (a path, or ``-`` for stdin)."""
    data = read_bytes(source)
    if not data.strip():
        raise FazhiError("empty file", source)
    text = decode(data, source)
    if _looks_binary(text):
        raise FazhiError("binary file, not a text report", source)
    return text
