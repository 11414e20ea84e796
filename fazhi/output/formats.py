"""Which output format a command writes: asked for, else from -o's extension, else by terminal."""
from fazhi.errors import FazhiError

EXTENSIONS = {"csv": "csv", "html": "html", "htm": "html", "jsonl": "jsonl", "json": "jsonl"}


def choose_format(output: str | None, is_tty: bool, requested: str | None, *, formats: tuple[str, ...], piped: str) -> str:
    """``requested`` if given (one of ``formats``); else the format of ``output``'s extension
    (``piped`` when it has none fazhi knows); else ``table`` on a terminal and ``piped`` otherwise."""
    if requested:
        if requested not in formats:
            raise FazhiError(f"unknown format {requested!r} (one of {', '.join(formats)})", "--format")
        return requested
    if output and output != "-":
        found = EXTENSIONS.get(output.rsplit(".", 1)[-1].lower())
        return found if found in formats else piped
    return "table" if is_tty else piped
