"""fazhi: sort the sentences of law-based-government reports into buckets.

The public API is importable from here; submodules load on first use so that
``import fazhi`` stays cheap. Each command's Python twin:

- ``fazhi classify``: ``load_reports`` / ``load_report`` then ``classify`` (a file
  holding several reports: ``load_file_reports``, ``segment_reports``)
- ``fazhi summarize``: ``summarize``
- ``fazhi segment``: ``load_report`` then ``unit_rows``
- ``fazhi train``: ``train``
- ``fazhi evaluate``: ``cross_validate_labels``; with ``--test``: ``evaluate_model``
- ``fazhi explain``: ``explain_sentence``, ``top_features``
- ``fazhi label``: ``open_session`` and ``run``
- ``fazhi corpus add`` / ``update`` / ``summary`` / ``promises`` / ``problems`` / ``report``:
  ``corpus_add``, ``corpus_update``, ``corpus_summary``, ``corpus_promises``, ``corpus_problems``,
  ``corpus_report``
"""
from importlib import import_module

from fazhi.vocab import LABELS

__version__ = "0.1.0"

_API = {
    "FazhiError": "fazhi.errors",
    "Unit": "fazhi.vocab",
    "Report": "fazhi.vocab",
    "Prediction": "fazhi.vocab",
    "read_text": "fazhi.reading.read",
    "clean": "fazhi.units.normalize",
    "fold": "fazhi.units.normalize",
    "segment": "fazhi.units.segment",
    "load_report": "fazhi.units.report",
    "segment_report": "fazhi.units.report",
    "segment_reports": "fazhi.units.report",
    "load_file_reports": "fazhi.units.report",
    "load_reports": "fazhi.units.loading",
    "unit_rows": "fazhi.labels.rows",
    "load_labels": "fazhi.labels.load",
    "open_session": "fazhi.labels.session",
    "run": "fazhi.labels.session",
    "load_model": "fazhi.learning.store",
    "classify": "fazhi.learning.predict",
    "train": "fazhi.learning.train",
    "cross_validate_labels": "fazhi.learning.train",
    "evaluate_model": "fazhi.learning.train",
    "explain_sentence": "fazhi.learning.explain",
    "top_features": "fazhi.learning.explain",
    "summarize": "fazhi.output.summary",
    "render_html": "fazhi.output.html",
    "write_html": "fazhi.output.html",
    "corpus_add": "fazhi.corpus.add",
    "corpus_update": "fazhi.corpus.add",
    "corpus_summary": "fazhi.corpus.summary",
    "corpus_promises": "fazhi.corpus.promises",
    "corpus_problems": "fazhi.corpus.problems",
    "corpus_report": "fazhi.corpus.page",
}


def __getattr__(name):
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'fazhi' has no attribute {name!r}")


__all__ = ["LABELS", "__version__", *_API]
