"""Feature extractors: scikit-learn transformers over feature records (dicts)."""
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from fazhi.context import DOC_KINDS, blind_record
from fazhi.figures import mask_digits


class Field(BaseEstimator, TransformerMixin):
    """Select one text field of each record, numbers masked (``1826件`` reads ``0件``)."""

    def __init__(self, key: str = "text", empty: str = ""):
        self.key = key
        self.empty = empty  # stands in for a missing field (no section known)

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return [mask_digits(r[self.key]) or self.empty for r in X]

    def get_feature_names_out(self, input_features=None):
        return np.asarray([self.key], dtype=object)


class Stats(BaseEstimator, TransformerMixin):
    """Dense facts about a unit: figures, heading, position, years, the report's kind."""

    names = (
        "has_figure", "many_figures", "is_heading", "position", "no_position",
        "year_future", "year_same", "year_unknown",
        *(f"kind_{k}" for k in DOC_KINDS), "kind_unknown",
    )

    def __init__(self, use_position: bool = True, use_year: bool = True, use_kind: bool = True):
        self.use_position = use_position
        self.use_year = use_year
        self.use_kind = use_kind

    def fit(self, X, y=None):
        return self

    def _row(self, r: dict) -> list[float]:
        pos = r.get("position", -1.0)
        known = self.use_position and pos >= 0
        year = self.use_year and r.get("year_known", False)
        kind = r.get("doc_kind", "") if self.use_kind else ""
        return [
            float(r["figures"] > 0),
            float(r["figures"] > 2),
            float(bool(r.get("is_heading"))),
            pos if known else 0.0,
            0.0 if known else 1.0,
            float(year and r.get("year_future", False)),
            float(year and r.get("year_same", False)),
            0.0 if year else 1.0,
            *(float(kind == k) for k in DOC_KINDS),
            float(kind not in DOC_KINDS),
        ]

    def transform(self, X):
        rows = [self._row(r) for r in X]
        return sp.csr_matrix(np.asarray(rows, dtype=float).reshape(len(rows), len(self.names)))

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"stats__{n}" for n in self.names], dtype=object)


class ContextDropout(BaseEstimator, TransformerMixin):
    """While fitting, remove the report context of a share of the rows (never when predicting).

    The sentence's own words then have to carry weight, so the model still works on
    a unit with no heading above it.
    """

    def __init__(self, rate: float = 0.0, seed: int = 0):
        self.rate = rate
        self.seed = seed

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X

    def fit_transform(self, X, y=None, **fit_params):
        if not self.rate:
            return X
        rng = np.random.RandomState(self.seed)
        drop = rng.random_sample(len(X)) < self.rate
        return [blind_record(r) if d else r for r, d in zip(X, drop)]


_JIEBA = None


def _cache_dir() -> str | None:
    """fazhi's per-user cache folder ($XDG_CACHE_HOME/fazhi, else ~/.cache/fazhi); None if unwritable."""
    import os

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "fazhi")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


def _jieba():
    global _JIEBA
    if _JIEBA is None:
        import logging

        from fazhi.imports import without

        with without("pkg_resources"):  # jieba then opens its files by path
            import jieba

        jieba.setLogLevel(logging.WARNING)
        if jieba.dt.tmp_dir is None and jieba.dt.cache_file is None:
            # jieba caches its dictionary in the temp folder by default, where another
            # user's file or a cleaned /tmp makes every run rebuild it (~1-2 s)
            jieba.dt.tmp_dir = _cache_dir()
        jieba.initialize()
        _JIEBA = jieba
    return _JIEBA


@lru_cache(maxsize=100_000)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(w for w in _jieba().lcut(text) if w.strip())


def jieba_words(text: str) -> list[str]:
    """Words of a normalized text, by jieba (cached: each text is cut once)."""
    return list(_cut(text))
