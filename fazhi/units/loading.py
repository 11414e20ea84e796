"""Load many reports, one error per bad file, optionally in several processes; a file
holding several reports gives each of them (``FILE``, ``FILE#2`` …)."""
from fazhi.errors import FazhiError
from fazhi.units.report import load_file_reports
from fazhi.units.sources import doc_ids, expand_each


def named_reports(sources: list[str]) -> list[tuple[str, str | None, FazhiError | None]]:
    """``(path, doc_id, None)`` per report named, doc_ids distinct across all of them;
    ``(source, None, error)`` for a source that names none."""
    named = expand_each(sources)
    paths = [path for path, error in named if error is None]
    ids = iter(doc_ids(paths))
    return [(path, None, error) if error else (path, next(ids), None) for path, error in named]


def iter_reports(sources: list[str]):
    """Yield ``(source, Report or FazhiError)`` for each report named, never raising for one file."""
    for path, doc_id, error in named_reports(sources):
        yield from each_report(path, error or load_or_error(path, doc_id))


def load_or_error(source: str, doc_id: str | None = None):
    """The reports in the file at ``source``, or the FazhiError that reading it raised."""
    try:
        return load_file_reports(source, doc_id=doc_id)
    except FazhiError as e:
        return e


def each_report(source: str, result) -> list:
    """``(source, Report)`` for each report of a :func:`load_or_error` result, or ``(source, error)``."""
    return [(source, result)] if isinstance(result, FazhiError) else [(source, r) for r in result]


def _load_chunk(chunk: list[tuple[str, str]]) -> list:
    return [load_or_error(path, doc_id) for path, doc_id in chunk]


def _load_parallel(todo: list[tuple[str, str]], jobs: int) -> list:
    """``load_or_error`` of each (path, doc_id), in order, by this process and ``jobs - 1`` workers.

    The workers take chunks from the front; this process takes the chunks no worker has
    started from the back, so it never idles and sends nothing to itself.
    """
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, min(16, len(todo) // (4 * jobs)))
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    results: list = [None] * len(chunks)
    with ProcessPoolExecutor(max_workers=jobs - 1) as pool:
        futures = [pool.submit(_load_chunk, chunk) for chunk in chunks]
        for k in range(len(chunks) - 1, -1, -1):
            if not futures[k].cancel():
                break  # a worker has it, and every chunk before it
            results[k] = _load_chunk(chunks[k])
        for k, future in enumerate(futures):
            if results[k] is None:
                results[k] = future.result()
    return [r for chunk in results for r in chunk]


def load_reports(sources: list[str], *, jobs: int = 1) -> list:
    """``(source, Report or FazhiError)`` for each report named, in the order of :func:`iter_reports`;
    with ``jobs`` > 1 the files are read and segmented in that many processes (stdin in this one)."""
    if jobs <= 1:
        return list(iter_reports(sources))
    named = named_reports(sources)
    todo = [(path, doc_id) for path, doc_id, error in named if error is None and path != "-"]
    loaded: list = _load_parallel(todo, min(jobs, len(todo))) if len(todo) > 1 else []
    done = iter(loaded)
    out = []
    for path, doc_id, error in named:
        out += each_report(path, error or (next(done) if loaded and path != "-" else load_or_error(path, doc_id)))
    return out
