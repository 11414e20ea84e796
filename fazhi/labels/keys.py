"""Keys for the labeler: single keypresses on a terminal, characters of lines otherwise."""
import contextlib
import os
import sys
from typing import Callable, Optional


def line_keys(stream) -> Callable[[], Optional[str]]:
    """Keys from lines of text (stdin not a terminal): each character is a key, an empty line is Enter."""
    pending: list[str] = []

    def read_key() -> Optional[str]:
        while not pending:
            line = stream.readline()
            if not line:
                return None
            line = line.rstrip("\r\n")
            if not line:
                return "\n"
            pending.extend(c for c in line if not c.isspace())
        return pending.pop(0)

    return read_key


@contextlib.contextmanager
def keyboard(stream=None):
    """Yield a key reader: single keypresses from a terminal (no Enter needed), held in
    cbreak mode for the whole block so no keystroke typed ahead is lost or echoed; line
    input (``line_keys``) when ``stream`` is not a terminal."""
    stream = stream or sys.stdin
    try:
        import termios
        import tty
    except ImportError:  # not a POSIX terminal
        termios = None
    if termios is None or not stream.isatty():
        yield line_keys(stream)
        return
    import select

    fd = stream.fileno()

    def read_key() -> Optional[str]:
        data = os.read(fd, 1)
        if not data:
            return None
        if data == b"\x1b":  # an escape sequence (arrow keys...) is one key
            while select.select([fd], [], [], 0.03)[0]:
                data += os.read(fd, 8)
            return "\x1b" if len(data) == 1 else data.decode("utf-8", "replace")
        lead = data[0]
        extra = 3 if lead >= 0xF0 else 2 if lead >= 0xE0 else 1 if lead >= 0xC0 else 0
        while extra:
            more = os.read(fd, extra)
            if not more:
                break
            data += more
            extra -= len(more)
        return data.decode("utf-8", "replace")

    old = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)  # keys one by one, no echo; Ctrl-C still interrupts
        yield read_key
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)
