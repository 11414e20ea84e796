"""Label units by hand: a session over a labels CSV, one answer at a time.

Everything here is a plain API (``LabelSession``, ``open_session``, ``run``) that
tests drive directly; keys come from ``fazhi.labels.keys`` and the screen is
``fazhi.output.labeling``.

Every answer rewrites the CSV at once (atomically, in its own encoding, every other row and
column untouched), so an interrupted session loses nothing and the next one
starts at the first unlabeled unit of the chosen order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from fazhi.errors import FazhiError
from fazhi.labels.file import LabelsFile
from fazhi.labels.order import DEFAULT_ORDER, NEEDS_MODEL, ORDERS, margin, order_rows  # noqa: F401 (margin: API)
from fazhi.labels.rows import note_kind, row_label, row_text, rows_to_units
from fazhi.vocab import VALID

KEYS = {"1": "achievement", "2": "metric", "3": "problem", "4": "plan", "s": "skip"}  # key -> label
CONTEXT = 2  # units shown before and after the current one
QUIT, UNDO, NEXT, HELP = "q", "u", "n", "?"
HELP_LINE = "1 achievement  2 metric  3 problem  4 plan  s skip  ·  u undo  n next  q quit"


# --- the model's view of the rows ------------------------------------------------


def row_probabilities(model, rows: list[dict], path: str = "") -> dict[int, dict[str, float]]:
    """Row index -> the model's probability of each label, for every content row.

    Each unit is featurized inside its own report (rows grouped by doc_id, in
    sent_id order), exactly as ``fazhi classify`` does.
    """
    from fazhi.learning.records import records_by_report

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
        check_order(self.order_name)
        if not self.order:
            self.order = order_rows(self.order_name, self.file.rows, self.probabilities)
        self._neighbours = self._report_neighbours()

    def reorder(self, probabilities: dict[int, dict[str, float]], order: Optional[list[int]] = None) -> None:
        """New guesses (a refit model's) and the rest asked in their order (``order``, computed
        from them, or computed here)."""
        self.probabilities = probabilities
        self.order = order if order is not None else order_rows(self.order_name, self.file.rows, probabilities)

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
        kind = note_kind(r)
        hint = f"the segmenter marked this row as {kind}: usually skip (s)" if kind else ""
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


def check_order(order: str) -> None:
    if order not in ORDERS:
        raise FazhiError(f"--order must be one of {', '.join(ORDERS)}, not {order!r}")


def load_model_for(model_dir: Optional[str], order: Optional[str]):
    """The pipeline to guess with, or None when no model is needed and the default one is missing."""
    from fazhi.learning.store import load_model

    if model_dir:
        return load_model(model_dir)[0]
    try:
        return load_model(None)[0]
    except FazhiError as e:
        if order in NEEDS_MODEL:
            raise FazhiError(f"--order {order} needs a model: {e}") from None
        return None


def open_session(path: str, model=None, order: Optional[str] = None) -> LabelSession:
    """A session over the labels CSV at ``path``; ``model`` is a fitted pipeline or None.
    ``order`` defaults to ``DEFAULT_ORDER`` with a model, ``file`` without."""
    order = order or (DEFAULT_ORDER if model is not None else "file")
    check_order(order)
    if order in NEEDS_MODEL and model is None:
        raise FazhiError(f"--order {order} needs a model (--model DIR)")
    file = LabelsFile.read(path)
    probabilities = row_probabilities(model, file.rows, path) if model is not None else {}
    return LabelSession(file, order, probabilities)


def start(path: str, model_dir: Optional[str] = None, order: Optional[str] = None) -> LabelSession:
    """What ``fazhi label`` opens: the file checked first, then the model (``model_dir`` or the
    shipped one; without one the session shows no guesses and asks in file order, unless
    ``order`` was asked for and needs them). ``order`` defaults to ``DEFAULT_ORDER``."""
    if order is not None:
        check_order(order)
    file = LabelsFile.read(path)
    model = load_model_for(model_dir, order)
    warning = "" if model is not None else "no model found (--model DIR)"
    probabilities = {}
    if model is not None:
        try:
            probabilities = row_probabilities(model, file.rows, path)
        except FazhiError as e:
            if model_dir or order in NEEDS_MODEL:
                raise
            warning = str(e)
    chosen = order or (DEFAULT_ORDER if probabilities else "file")
    session = LabelSession(file, chosen, probabilities)
    if warning:
        session.warning = f"{warning}: labeling without the model's guesses" + ("" if order else ", in file order")
    return session


# --- the loop ----------------------------------------------------------------


def run(
    session: LabelSession,
    read_key: Callable[[], Optional[str]],
    show: Callable[[View, str], None],
    finish: Optional[Callable[[str], None]] = None,
    retrainer=None,
) -> dict:
    """Show a unit, read a key, act, until ``q``, end of input or nothing left.

    ``read_key`` returns one key (``None`` at end of input); ``show(view, message)``
    draws a unit; a ``retrainer`` (``fazhi.labels.retrain.Retrainer``) refits in the
    background and reorders the rest. Returns what was done.
    """
    message = ""
    while True:
        if retrainer is not None:
            message = retrainer.poll(session) or message
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
            if retrainer is not None:
                retrainer.answered(session)
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
