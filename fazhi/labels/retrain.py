"""Refit in the loop: every N answers the labeler refits a model on the base labels and
the answers so far, in a background thread, and asks the rest in the new model's order.
The key loop never waits for it: a refit that finishes is picked up before the next
unit is shown; answers given meanwhile are kept and counted in the next refit."""
from __future__ import annotations

import threading
from typing import Callable, Optional

from fazhi.errors import FazhiError

_bases: dict[tuple[str, ...], object] = {}  # base labels read once per process


def refit_job(path: str, order: str, *, base: Optional[list[str]] = None):
    """Fit on the base labels and the labels in ``path`` as it stands (the user's label wins,
    as with ``fazhi train --base``); returns (row -> probabilities, the asking order, the
    user's labels fitted on)."""
    from fazhi.labels.base import base_paths, with_base
    from fazhi.labels.file import LabelsFile
    from fazhi.labels.load import load_labels
    from fazhi.labels.order import order_rows
    from fazhi.labels.session import row_probabilities
    from fazhi.learning.evaluate import fit, search_pipeline
    from fazhi.learning.hyper import REFIT
    from fazhi.learning.train import training_data

    key = tuple(base or base_paths())
    if key not in _bases:
        _bases[key] = load_labels(list(key))
    mine = load_labels([path])
    X, y, groups = training_data(with_base(mine, _bases[key]).labeled)
    model = fit(search_pipeline(seed=0, grid={}, **REFIT), X, y, groups)
    rows = LabelsFile.read(path).rows
    probabilities = row_probabilities(model, rows, path)
    return probabilities, order_rows(order, rows, probabilities), len(mine.trainable())


class Retrainer:
    """Every ``every`` answers, run ``job(path, order)`` in a background thread; ``poll``
    hands a finished job's guesses and order to the session."""

    def __init__(self, every: int, job: Optional[Callable] = None):
        if every < 1:
            raise FazhiError(f"--retrain-every must be 1 or more, not {every}")
        self.every = every
        self.job = job or refit_job
        self.next_at = every
        self.refits = 0
        self._thread: Optional[threading.Thread] = None
        self._result: Optional[tuple[str, object]] = None
        self._pending = False  # answers reached the next refit while one was running

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def answered(self, session) -> None:
        """Called after each answer: start a refit every ``every`` answers (one at a time)."""
        if session.answered < self.next_at:
            return
        self.next_at = session.answered + self.every
        if self.running or self._thread is not None:
            self._pending = True
        else:
            self._start(session)

    def _start(self, session) -> None:
        path, order = session.file.path, session.order_name

        def work():
            try:
                self._result = ("done", self.job(path, order))
            except Exception as e:  # shown as a message; labeling goes on
                self._result = ("failed", e)

        self._result = None
        self._thread = threading.Thread(target=work, name="fazhi-refit", daemon=True)
        self._thread.start()

    def poll(self, session) -> str:
        """Apply a finished refit to ``session``; returns what to tell the user ("" if nothing)."""
        if self._thread is None or self._thread.is_alive():
            return ""
        self._thread = None
        status, value = self._result
        if self._pending:
            self._pending = False
            self._start(session)
        if status == "failed":
            return f"refit failed, the order stays: {value}"
        probabilities, order, n = value
        session.reorder(probabilities, order)
        self.refits += 1
        return f"refit on your {n} labels and the base: the rest reordered"

    def wait(self, timeout: Optional[float] = None) -> None:
        """Wait for a running refit (tests; the labeler never does)."""
        if self._thread is not None:
            self._thread.join(timeout)
