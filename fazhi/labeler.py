"""Label units by hand: a session over a labels CSV, one answer at a time.

Everything here is a plain API (``LabelSession``, ``open_session``, ``run``) that
tests drive directly; the terminal part (single-key reading, one screen per
unit) is the thin layer at the bottom.

Every answer rewrites the CSV at once (atomically, UTF-8, every other row and
column untouched), so an interrupted session loses nothing and the next one
starts at the first unlabeled unit of the chosen order.
"""
from __future__ import annotations

import contextlib
import csv
import os
import sys
from dataclasses import dataclass, field
from typing import Callable, Optional

from fazhi.errors import FazhiError

KEYS = {"1": "achievement", "2": "metric", "3": "problem", "4": "plan", "s": "skip"}
ORDERS = ("file", "uncertain")
NOT_CONTENT = ("title", "signature", "date", "furniture")  # notes `fazhi segment` writes
CONTEXT = 2  # units shown before and after the current one
QUIT, UNDO, NEXT, HELP = "q", "u", "n", "?"
HELP_LINE = "1 achievement  2 metric  3 problem  4 plan  s skip  ·  u undo  n next  q quit"


# --- the labels file -------------------------------------------------------------


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
        from fazhi.labels import read_csv

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


def row_label(row: dict) -> str:
    return (row.get("label") or "").strip()


def row_text(row: dict) -> str:
    return (row.get("text") or "").strip()


def row_kind(row: dict) -> str:
    """``content``, or the non-content kind the segmenter wrote in ``note``."""
    note = (row.get("note") or "").strip()
    return note if note in NOT_CONTENT else "content"


def rows_to_units(rows: list[dict], path: str = "") -> tuple[list, list[int]]:
    """Units rebuilt from rows that have text (as ``fazhi.labels.load_labels`` builds them),
    and for each unit the index of its row."""
    from fazhi.normalize import fold
    from fazhi.units import Unit

    stem = os.path.splitext(os.path.basename(path))[0] or "-"
    has_doc = bool(rows) and all((r.get("doc_id") or "").strip() for r in rows)
    units, index = [], []
    for i, row in enumerate(rows):
        text = row_text(row)
        if not text:
            continue
        if has_doc:
            try:
                sent_id = int(row.get("sent_id") or i)
            except ValueError:
                raise FazhiError(f"sent_id is not a number on row {i + 1}: {row.get('sent_id')!r}", path) from None
            doc_id = row["doc_id"].strip()
        else:
            doc_id, sent_id = f"{stem}#{i}", 0
        section = (row.get("section") or "").strip()
        units.append(Unit(doc_id=doc_id, sent_id=sent_id, section=section, text=text, norm=fold(text), kind=row_kind(row)))
        index.append(i)
    return units, index


# --- the model's view of the rows ------------------------------------------------


def row_probabilities(model, rows: list[dict], path: str = "") -> dict[int, dict[str, float]]:
    """Row index -> the model's probability of each label, for every content row.

    Each unit is featurized inside its own report (rows grouped by doc_id, in
    sent_id order), exactly as ``fazhi classify`` does.
    """
    from fazhi.context import records_by_report

    units, row_of = rows_to_units(rows, path)
    records, index = records_by_report(units)
    if not records:
        return {}
    try:
        proba = model.predict_proba(records)
    except Exception as e:  # a model pickled by older code, say
        raise FazhiError(f"the model cannot score these units ({type(e).__name__}: {e}); retrain it") from None
    classes = [str(c) for c in model.classes_]
    return {row_of[i]: {c: float(p) for c, p in zip(classes, row)} for row, i in zip(proba, index)}


def margin(probabilities: dict[str, float]) -> float:
    """Top probability minus the runner-up's: small means the model is unsure."""
    top = sorted(probabilities.values(), reverse=True) + [0.0, 0.0]
    return top[0] - top[1]


def file_order(rows: list[dict]) -> list[int]:
    """Rows with text, as they stand in the file."""
    return [i for i, row in enumerate(rows) if row_text(row)]


def uncertain_order(rows: list[dict], probabilities: dict[int, dict[str, float]]) -> list[int]:
    """Unlabeled content rows by increasing margin (ties in file order), then every other row in file order."""
    rows_with_text = file_order(rows)
    unsure = sorted(
        (i for i in rows_with_text if i in probabilities and not row_label(rows[i])),
        key=lambda i: (margin(probabilities[i]), i),
    )
    first = set(unsure)
    return unsure + [i for i in rows_with_text if i not in first]


# --- the session ---------------------------------------------------------------


@dataclass
class View:
    """What the screen shows for one unit."""

    row: int
    doc_id: str
    sent_id: str
    section: str
    text: str
    label: str  # its current label, "" when unlabeled
    before: list[tuple[str, str]]  # (text, label) of the units before it in its report
    after: list[tuple[str, str]]
    probabilities: Optional[dict[str, float]] = None  # the model's, None without a model
    hint: str = ""
    done: int = 0  # rows labeled so far
    total: int = 0  # rows offered
    order: str = "file"

    @property
    def guess(self) -> Optional[str]:
        if not self.probabilities:
            return None
        return max(self.probabilities, key=self.probabilities.get)

    @property
    def confidence(self) -> Optional[float]:
        return self.probabilities[self.guess] if self.probabilities else None


@dataclass
class LabelSession:
    """Label the rows of a labels CSV one by one, saving each answer at once."""

    file: LabelsFile
    order_name: str = "file"
    probabilities: dict[int, dict[str, float]] = field(default_factory=dict)
    order: list[int] = field(default_factory=list)
    passed: set[int] = field(default_factory=set)  # moved past with `n` in this session
    history: list[tuple[int, str]] = field(default_factory=list)  # (row, label before the answer)
    answered: int = 0
    warning: str = ""  # e.g. why the model's guesses are missing

    def __post_init__(self):
        if self.order_name not in ORDERS:
            raise FazhiError(f"--order must be one of {', '.join(ORDERS)}, not {self.order_name!r}")
        if not self.order:
            if self.order_name == "uncertain":
                self.order = uncertain_order(self.file.rows, self.probabilities)
            else:
                self.order = file_order(self.file.rows)
        self._neighbours = self._report_neighbours()

    @property
    def rows(self) -> list[dict]:
        return self.file.rows

    def _report_neighbours(self) -> dict[int, tuple[list[int], int]]:
        """Row -> (rows of its report in sent_id order, its place there)."""
        units, row_of = rows_to_units(self.rows, self.file.path)
        groups: dict[str, list[int]] = {}
        for k, u in enumerate(units):
            groups.setdefault(u.doc_id, []).append(k)
        out = {}
        for ks in groups.values():
            ks.sort(key=lambda k: units[k].sent_id)
            report = [row_of[k] for k in ks]
            for place, r in enumerate(report):
                out[r] = (report, place)
        return out

    # reading state

    def current(self) -> Optional[int]:
        """The row to label now: the first unlabeled row of the order not moved past; None when done."""
        for i in self.order:
            if not row_label(self.rows[i]) and i not in self.passed:
                return i
        return None

    def remaining(self) -> int:
        return sum(1 for i in self.order if not row_label(self.rows[i]))

    def view(self, row: Optional[int] = None) -> Optional[View]:
        row = self.current() if row is None else row
        if row is None:
            return None
        r = self.rows[row]
        report, place = self._neighbours.get(row, ([row], 0))
        around = lambda rs: [(row_text(self.rows[i]), row_label(self.rows[i])) for i in rs]  # noqa: E731
        kind = row_kind(r)
        hint = f"the segmenter marked this row as {kind}: usually skip (s)" if kind != "content" else ""
        return View(
            row=row,
            doc_id=(r.get("doc_id") or "").strip(),
            sent_id=(r.get("sent_id") or "").strip(),
            section=(r.get("section") or "").strip(),
            text=row_text(r),
            label=row_label(r),
            before=around(report[max(0, place - CONTEXT) : place]),
            after=around(report[place + 1 : place + 1 + CONTEXT]),
            probabilities=self.probabilities.get(row),
            hint=hint,
            done=len(self.order) - self.remaining(),
            total=len(self.order),
            order=self.order_name,
        )

    # changing state

    def _save(self, row: int, label: str) -> None:
        """Set the label and write the file; in memory too only if the file was written."""
        old = self.rows[row].get("label")
        self.rows[row]["label"] = label
        try:
            self.file.write()
        except BaseException:
            self.rows[row]["label"] = old
            raise

    def answer(self, label: str, row: Optional[int] = None) -> int:
        """Give ``row`` (default: the current one) ``label`` and save the file; returns the row."""
        from fazhi.labels import VALID

        if label not in VALID:
            raise ValueError(f"unknown label {label!r} (one of {', '.join(VALID)})")
        row = self.current() if row is None else row
        if row is None:
            raise FazhiError("every unit is labeled", self.file.path)
        before = self.rows[row].get("label") or ""
        self._save(row, label)
        self.history.append((row, before))
        self.passed.discard(row)
        self.answered += 1
        return row

    def undo(self) -> Optional[int]:
        """Put back the label the last answered row had before; returns that row, None if nothing to undo."""
        if not self.history:
            return None
        row, before = self.history[-1]
        self._save(row, before)
        self.history.pop()
        self.passed.discard(row)
        self.answered -= 1
        return row

    def summary(self) -> dict:
        return {"answered": self.answered, "remaining": self.remaining(), "total": len(self.order)}

    def pass_current(self) -> Optional[int]:
        """Move past the current row without labeling it (it comes back in the next session)."""
        row = self.current()
        if row is not None:
            self.passed.add(row)
        return row


def load_model_for(model_dir: Optional[str], order: str):
    """The pipeline to guess with, or None when no model is needed and the default one is missing."""
    from fazhi.store import load_model

    if model_dir:
        return load_model(model_dir)[0]
    try:
        return load_model(None)[0]
    except FazhiError as e:
        if order == "uncertain":
            raise FazhiError(f"--order uncertain needs a model: {e}") from None
        return None


def open_session(path: str, model=None, order: str = "file") -> LabelSession:
    """A session over the labels CSV at ``path``; ``model`` is a fitted pipeline or None."""
    if order not in ORDERS:
        raise FazhiError(f"--order must be one of {', '.join(ORDERS)}, not {order!r}")
    if order == "uncertain" and model is None:
        raise FazhiError("--order uncertain needs a model (--model DIR)")
    file = LabelsFile.read(path)
    probabilities = row_probabilities(model, file.rows, path) if model is not None else {}
    return LabelSession(file, order, probabilities)


def start(path: str, model_dir: Optional[str] = None, order: str = "file") -> LabelSession:
    """What ``fazhi label`` opens: the file checked first, then the model (``model_dir`` or the
    shipped one; without one the session shows no guesses, unless ``order`` needs them)."""
    if order not in ORDERS:
        raise FazhiError(f"--order must be one of {', '.join(ORDERS)}, not {order!r}")
    file = LabelsFile.read(path)
    model = load_model_for(model_dir, order)
    warning = "" if model is not None else "no model found (--model DIR): labeling without the model's guesses"
    probabilities = {}
    if model is not None:
        try:
            probabilities = row_probabilities(model, file.rows, path)
        except FazhiError as e:
            if model_dir or order == "uncertain":
                raise
            warning = f"{e}; labeling without the model's guesses"
    session = LabelSession(file, order, probabilities)
    session.warning = warning
    return session


# --- the loop ----------------------------------------------------------------


def run(
    session: LabelSession,
    read_key: Callable[[], Optional[str]],
    show: Callable[[View, str], None],
    finish: Optional[Callable[[str], None]] = None,
) -> dict:
    """Show a unit, read a key, act, until ``q``, end of input or nothing left.

    ``read_key`` returns one key (``None`` at end of input); ``show(view, message)``
    draws a unit. Returns what was done.
    """
    message = ""
    while True:
        view = session.view()
        if view is None:
            if finish:
                finish("every unit is labeled" if session.remaining() == 0 else "no unit left in this session")
            break
        show(view, message)
        message = ""
        key = read_key()
        if key is None or key in (QUIT, "Q", "\x04", "\x1b"):
            break
        key = key.lower()
        if key in KEYS:
            session.answer(KEYS[key])
            message = f"saved: {view.text[:20]} → {KEYS[key]}"
        elif key == UNDO:
            row = session.undo()
            message = "nothing to undo" if row is None else f"undone: {row_text(session.rows[row])[:20]} is {row_label(session.rows[row]) or 'unlabeled'} again"
        elif key == NEXT:
            session.pass_current()
            message = "left unlabeled"
        elif key in ("\n", "\r", " "):
            message = "Enter does nothing: answer with 1-4 or s, n moves on"
        elif key in (HELP, "h"):
            message = HELP_LINE
        else:
            message = f"unknown key {key!r}: {HELP_LINE}"
    return session.summary()


# --- the terminal --------------------------------------------------------------


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


def render(console, view: View, message: str = "", clear: bool = False) -> None:
    """One screen: where the unit is, its neighbours dimmed, the unit, the model's guess, the keys."""
    from rich.markup import escape

    if clear:
        console.clear()
    where = f"{view.doc_id} #{view.sent_id}" if view.doc_id else f"row {view.row + 2}"
    console.print(f"[bold]{view.done}/{view.total} labeled[/]  ·  {escape(where)}  ·  order: {view.order}")
    console.print(f"[cyan]section:[/] {escape(view.section) or '[dim](none)[/]'}")
    console.print()
    for text, label in view.before:
        console.print(f"[dim]  {escape(text)}" + (f"  {escape('[' + label + ']')}" if label else "") + "[/]")
    console.print(f"[bold]▶ {escape(view.text)}[/]")
    for text, label in view.after:
        console.print(f"[dim]  {escape(text)}" + (f"  {escape('[' + label + ']')}" if label else "") + "[/]")
    console.print()
    if view.probabilities:
        ranked = sorted(view.probabilities.items(), key=lambda kv: -kv[1])
        rest = ", ".join(f"{lab} {p:.2f}" for lab, p in ranked[1:3])
        console.print(f"model: [bold]{view.guess}[/] {view.confidence:.2f}  [dim]({rest})[/]")
    if view.hint:
        console.print(f"[yellow]hint: {escape(view.hint)}[/]")
    if message:
        console.print(f"[green]{escape(message)}[/]")
    console.print(f"[dim]{HELP_LINE}[/]")
