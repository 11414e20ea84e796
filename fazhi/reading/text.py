"""Bytes to text: a file or stdin read, its encoding detected, binary content refused."""
import os
import re
import sys

from fazhi.errors import FazhiError

BOMS = (  # a byte order mark and the codec of what follows it
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


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
    return detect(data, source)[0]


def detect(data: bytes, source: str = "-") -> tuple[str, str, bytes]:
    """``(text, codec, bom)``: the text, the codec that decoded it and the byte order mark
    it began with (b"" for none), so that it can be written back as it came."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), codec, bom
            except UnicodeDecodeError:
                raise FazhiError(f"not valid {codec} text", source) from None
    try:
        return data.decode("utf-8"), "utf-8", b""
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= len(text) // 500:
        return text, "utf-8", b""  # UTF-8 with a few damaged bytes
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or looks_binary(str(best)):
        raise FazhiError("binary file, not a text report", source)
    return str(best), best.encoding, b""


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # below space, but \t \n \f \r


def looks_binary(text: str) -> bool:
    """More control characters than a text file has."""
    return len(_CONTROLS.findall(text)) > max(2, len(text) // 100)


def one_line(e: Exception) -> str:
    """A library's error message, squeezed onto one line for fazhi's own error."""
    text = " ".join(str(e).split())
    return f" ({text[:120]})" if text else ""
