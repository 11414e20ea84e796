"""Which output format a command writes (asked for, else from -o's extension, else by
terminal), and how a file of that format is written.

CSV written to a file is UTF-8 with a BOM, so that Excel (on Chinese Windows too) reads
it as UTF-8; pandas and ``csv`` with ``encoding="utf-8-sig"`` read it with no stray
character in the first column's name. CSV on stdout has no BOM: it goes to programs.
"""
import os

from fazhi.errors import FazhiError

EXTENSIONS = {
    "csv": "csv", "tsv": "tsv", "html": "html", "htm": "html", "jsonl": "jsonl", "json": "jsonl", "xlsx": "xlsx",
}  # fmt: skip
BINARY = ("xlsx",)  # written to a file only


def extension(output: str) -> str:
    return os.path.splitext(output)[1].lstrip(".").lower()


def file_format(output: str, formats: tuple[str, ...]) -> str | None:
    """The format ``output``'s extension names, None when it has no extension; an
    extension naming none of ``formats`` is an error."""
    ext = extension(output)
    if not ext:
        return None
    found = EXTENSIONS.get(ext)
    if found not in formats:
        known = ", ".join(sorted({f".{e}" for e, f in EXTENSIONS.items() if f in formats}))
        raise FazhiError(f"cannot write a .{ext} file (this command writes {known}): name the file so, or give --format", output)
    return found


def choose_format(output: str | None, is_tty: bool, requested: str | None, *, formats: tuple[str, ...], piped: str) -> str:
    """``requested`` if given (one of ``formats``); else the format of ``output``'s extension
    (``piped`` when it has none); else ``table`` on a terminal and ``piped`` otherwise."""
    to_file = output not in (None, "-")
    if requested:
        if requested not in formats:
            raise FazhiError(f"unknown format {requested!r} (one of {', '.join(formats)})", "--format")
        found = requested
    elif to_file:
        found = file_format(output, formats) or piped
    else:
        found = "table" if is_tty else piped
    if found in BINARY and not to_file:
        raise FazhiError(f"{found} is written to a file: give -o FILE.{found}", "--format")
    return found


def encoding_for(fmt: str, output: str | None) -> str:
    """The text encoding of a format written to ``output``: CSV files get a BOM for Excel."""
    return "utf-8-sig" if fmt == "csv" and output not in (None, "-") else "utf-8"
