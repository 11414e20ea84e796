"""A labels CSV held in memory and rewritten whole, atomically, after every answer."""
import csv
import os
from dataclasses import dataclass

from fazhi.errors import FazhiError


@dataclass
class LabelsFile:
    """A labels CSV held in memory: its columns, its rows as read, how lines end."""

    path: str
    fieldnames: list[str]
    rows: list[dict]
    newline: str = "\n"
    stamp: tuple = ()  # (mtime_ns, size) as last read or written: another writer shows here

    @staticmethod
    def _stamp(path: str) -> tuple:
        try:
            st = os.stat(path)
        except OSError:
            return ()
        return (st.st_mtime_ns, st.st_size)

    @classmethod
    def read(cls, path: str) -> "LabelsFile":
        from fazhi.labels.rows import read_csv

        fieldnames, rows, text = read_csv(path)
        for i, row in enumerate(rows):
            if None in row:  # more fields than the header: rewriting would lose them
                raise FazhiError(f"row {i + 1} has more fields than the header", path)
        first = text.split("\n", 1)[0]
        return cls(path, fieldnames, rows, "\r\n" if first.endswith("\r") else "\n", cls._stamp(path))

    def write(self) -> None:
        """Rewrite the whole file atomically, keeping its permissions; refuse if another
        program changed it since it was read (its changes would be lost)."""
        from fazhi.atomic import atomic_open

        if self.stamp and self._stamp(self.path) != self.stamp:
            raise FazhiError("changed by another program while labeling; nothing more saved (rerun fazhi label to resume)", self.path)

        try:
            mode = os.stat(self.path).st_mode & 0o7777
        except OSError:
            mode = None
        with atomic_open(self.path, newline="") as f:
            writer = csv.DictWriter(f, fieldnames=self.fieldnames, lineterminator=self.newline)
            writer.writeheader()
            writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in self.rows)
            f.flush()
            os.fsync(f.fileno())
            if mode is not None:
                os.chmod(f.name, mode)
        self.stamp = self._stamp(self.path)
