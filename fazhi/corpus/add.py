"""Read, classify and store reports in the corpus database, one transaction each.

Reports stream through: a file is read, segmented and classified (in ``jobs``
processes, each with its own copy of the model), then written and forgotten, so
memory stays flat however many reports a run adds. A file already stored unchanged
is not read again; a changed file replaces its report. ``corpus_update``
reclassifies the stored units of every report classified by another model.
"""
import os
from dataclasses import dataclass, field

from fazhi.corpus import store
from fazhi.corpus.meta import MetaTable, found_meta, resolve
from fazhi.corpus.schema import DEFAULT_DB, connect, writing
from fazhi.errors import FazhiError
from fazhi.learning.store import CARD_FILE, default_model_dir, load_model, sha256_file


@dataclass
class AddResult:
    """What a run did: reports added, replaced (the file changed), unchanged, given new
    metadata only, skipped as copies of a stored file; one error per file that failed."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    meta_set: int = 0
    copies: int = 0
    reclassified: int = 0
    errors: list[FazhiError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.added + self.replaced + self.reclassified


_MODEL = None


def _init_worker(model_dir: str | None) -> None:
    global _MODEL
    _MODEL = load_model(model_dir)[0]


WORD_CACHE = 20_000  # jieba cuts kept between reports: boilerplate repeats, the rest does not


def classify_file(path: str, doc_id: str, model=None):
    """``(report, predictions)`` of one file, or the FazhiError reading it raised."""
    from fazhi.learning import words
    from fazhi.learning.predict import predict_units
    from fazhi.units.loading import load_or_error

    reports = load_or_error(path, doc_id)
    if isinstance(reports, FazhiError):
        return reports
    if len(reports) > 1:  # the database keeps one report per file
        return FazhiError(f"holds {len(reports)} reports: save each in a file of its own to add them", path)
    report = reports[0]
    predictions = predict_units(model or _MODEL, report.units)
    cut = getattr(words._cut, "cache_info", None)
    if cut and cut().currsize > WORD_CACHE:
        words._cut.cache_clear()  # memory stays flat however many reports stream through
    return report, predictions


def _classify_task(task: tuple):
    return classify_file(task[0], task[1])


def _classify_stored(report_id: int, db: str, model=None):
    from fazhi.learning.predict import predict_units

    conn = connect(db, create=False)
    try:
        units = store.stored_units(conn, report_id)
    finally:
        conn.close()
    return predict_units(model or _MODEL, units)


def _stored_task(task: tuple):
    return _classify_stored(*task)


def stream(tasks, work, *, jobs: int, model_dir: str | None, model):
    """Yield ``(task, work(task))`` in order; with ``jobs`` > 1 in that many worker
    processes, a bounded number of tasks in flight."""
    if jobs <= 1:
        global _MODEL
        _MODEL = model
        for task in tasks:
            yield task, work(task)
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    pending: deque = deque()
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(model_dir,)) as pool:
        for task in tasks:
            pending.append((task, pool.submit(work, task)))
            if len(pending) >= 4 * jobs:
                task0, future = pending.popleft()
                yield task0, future.result()
        while pending:
            task0, future = pending.popleft()
            yield task0, future.result()


def card_sha(model_dir: str | None) -> str:
    return sha256_file(os.path.join(model_dir or default_model_dir(), CARD_FILE))


def _plan(conn, named, table: MetaTable, result: AddResult, advance):
    """Yield ``(path, doc_id, sha256)`` of each file to classify; settle the others here."""
    for path, doc_id, error in named:
        if error is None and path == "-":
            error = FazhiError("the corpus stores files; stdin cannot be added", "-")
        sha = None
        if error is None:
            try:
                sha = sha256_file(path)
            except OSError as e:
                error = FazhiError(f"cannot read: {e.strerror or e}", path)
        if error is not None:
            result.errors.append(error)
            advance()
            continue
        key = os.path.abspath(path)
        row = conn.execute("SELECT report_id, file_sha256 FROM reports WHERE path = ?", (key,)).fetchone()
        if row and row[1] == sha:
            overrides = table.for_path(path)
            if overrides:
                store.set_meta(conn, row[0], overrides)
                result.meta_set += 1
            else:
                result.unchanged += 1
            advance()
            continue
        copy = conn.execute("SELECT path FROM reports WHERE file_sha256 = ? AND path != ?", (sha, key)).fetchone()
        if copy:
            result.copies += 1
            result.notes.append(f"{path}: same file as {copy[0]}, already stored: skipped")
            advance()
            continue
        yield path, doc_id, sha


def corpus_add(sources: list[str], *, db: str = DEFAULT_DB, model_dir: str | None = None, jobs: int = 1,
               meta: dict | None = None, meta_csv: str | None = None, advance=lambda: None) -> AddResult:
    """Read, classify and store the reports named (files, folders, globs) in ``db``.

    ``meta`` sets issuer/level/province/year/kind for every report, ``meta_csv`` per
    file (see :class:`fazhi.corpus.meta.MetaTable`); ``advance()`` is called once per report.
    """
    from fazhi.units.loading import named_reports
    from fazhi.units.script import is_traditional

    table = MetaTable(meta, meta_csv)
    model, _ = load_model(model_dir)
    card = card_sha(model_dir)
    conn = connect(db)
    result = AddResult()
    try:
        with writing(conn):
            todo = _plan(conn, named_reports(sources), table, result, advance)
            for (path, doc_id, sha), out in stream(todo, _classify_task, jobs=jobs, model_dir=model_dir, model=model):
                if isinstance(out, FazhiError):
                    result.errors.append(out)
                else:
                    report, predictions = out
                    key = os.path.abspath(path)
                    known = conn.execute("SELECT 1 FROM reports WHERE path = ?", (key,)).fetchone()
                    values = resolve(found_meta(report, path), table.for_path(path))
                    store.write_report(conn, path=key, report=report, predictions=predictions, meta=values,
                                       file_sha256=sha, card_sha256=card, traditional=is_traditional(report.text))  # fmt: skip
                    result.replaced += bool(known)
                    result.added += not known
                advance()
    finally:
        conn.close()
    return result


def corpus_update(*, db: str = DEFAULT_DB, model_dir: str | None = None, jobs: int = 1, force: bool = False,
                  advance=lambda: None) -> AddResult:
    """Reclassify the stored units of every report that another model classified
    (every report with ``force``), one transaction per report."""
    model, _ = load_model(model_dir)
    card = card_sha(model_dir)
    conn = connect(db, create=False)
    result = AddResult()
    try:
        query = "SELECT report_id FROM reports" + ("" if force else " WHERE card_sha256 != ?")
        ids = [r[0] for r in conn.execute(query + " ORDER BY report_id", () if force else (card,))]
        result.unchanged = conn.execute("SELECT count(*) FROM reports").fetchone()[0] - len(ids)
        with writing(conn):
            tasks = ((report_id, db) for report_id in ids)
            for (report_id, _), predictions in stream(tasks, _stored_task, jobs=jobs, model_dir=model_dir, model=model):
                store.replace_predictions(conn, report_id, predictions, card)
                result.reclassified += 1
                advance()
    finally:
        conn.close()
    return result


def count_named(sources: list[str]) -> int:
    """How many reports ``sources`` name (for a progress bar)."""
    from fazhi.units.sources import expand_each

    return len(expand_each(sources))
