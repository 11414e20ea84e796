"""fazhi: sort the sentences of law-based-government reports into buckets.

The public API is importable from here; submodules load on first use so that
``import fazhi`` stays cheap.
"""
from importlib import import_module

__version__ = "0.1.0"

LABELS = ("achievement", "metric", "problem", "plan")

_API = {
    "FazhiError": "fazhi.errors",
    "Unit": "fazhi.units",
    "Report": "fazhi.units",
    "read_text": "fazhi.read",
    "clean": "fazhi.normalize",
    "fold": "fazhi.normalize",
    "segment": "fazhi.segment",
    "load_report": "fazhi.report",
    "segment_report": "fazhi.report",
    "load_labels": "fazhi.labels",
    "load_model": "fazhi.store",
    "classify": "fazhi.predict",
    "summarize": "fazhi.summarize",
    "train": "fazhi.train",
    "cross_validate_labels": "fazhi.train",
    "render_html": "fazhi.htmlview",
    "write_html": "fazhi.htmlview",
}


def __getattr__(name):
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'fazhi' has no attribute {name!r}")


__all__ = ["LABELS", "__version__", *_API]
