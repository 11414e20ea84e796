"""A labels CSV held in memory and rewritten whole, atomically, after every answer, in
the encoding it came in (UTF-8 with or without BOM, GBK, UTF-16 ...) and with its own
line endings and permissions."""
import csv
import os
from dataclasses import dataclass

from fazhi.errors import FazhiError


@dataclass
class LabelsFile:
    """A labels CSV held in memory: its columns, its rows as read, how lines end, its
    codec and byte order mark."""

    path: str
    fieldnames: list[str]
    rows: list[dict]
    newline: str = "\n"
    stamp: tuple = ()  # (mtime_ns, size) as last read or written: another writer shows here
    codec: str = "utf-8"
    bom: bytes = b""

    @staticmethod
    def _stamp(path: str) -> tuple:
        try:
            st = os.stat(path)
        except OSError:
            return ()
        return (st.st_mtime_ns, st.st_size)

    @classmethod
    def read(cls, path: str) -> "LabelsFile":
        from fazhi.labels.rows import read_csv_as_written

        fieldnames, rows, text, codec, bom = read_csv_as_written(path)
        for i, row in enumerate(rows):
            if None in row:  # more fields than the header: rewriting would lose them
                raise FazhiError(f"row {i + 1} has more fields than the header", path)
        first = text.split("\n", 1)[0]
        return cls(path, fieldnames, rows, "\r\n" if first.endswith("\r") else "\n", cls._stamp(path), codec, bom)

    def write(self) -> None:
        """Rewrite the whole file atomically, as it was written; refuse if another program
        changed it since it was read (its changes would be lost)."""
        import io

        from fazhi.atomic import atomic_open

        if self.stamp and self._stamp(self.path) != self.stamp:
            raise FazhiError("changed by another program while labeling; nothing more saved (rerun fazhi label to resume)", self.path)
        text = io.StringIO(newline="")
        writer = csv.DictWriter(text, fieldnames=self.fieldnames, lineterminator=self.newline)
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in self.rows)
        try:
            data = self.bom + text.getvalue().encode(self.codec)
        except UnicodeEncodeError as e:
            raise FazhiError(f"cannot write {e.object[e.start : e.end]!r} in the file's encoding {self.codec}", self.path) from None
        with atomic_open(self.path, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        self.stamp = self._stamp(self.path)
