"""Feature extractors: scikit-learn transformers over feature records (dicts)."""
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

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
    """A few dense facts about a unit: its figures, heading flag, position."""

    names = ("has_figure", "many_figures", "is_heading", "position", "no_position")

    def __init__(self, use_position: bool = True):
        self.use_position = use_position

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        rows = []
        for r in X:
            pos = r.get("position", -1.0)
            known = self.use_position and pos >= 0
            rows.append(
                [
                    float(r["figures"] > 0),
                    float(r["figures"] > 2),
                    float(bool(r.get("is_heading"))),
                    pos if known else 0.0,
                    0.0 if known else 1.0,
                ]
            )
        return sp.csr_matrix(np.asarray(rows, dtype=float).reshape(len(rows), len(self.names)))

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"stats__{n}" for n in self.names], dtype=object)


_JIEBA = None


def _jieba():
    global _JIEBA
    if _JIEBA is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _JIEBA = jieba
    return _JIEBA


@lru_cache(maxsize=100_000)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(w for w in _jieba().lcut(text) if w.strip())


def jieba_words(text: str) -> list[str]:
    """Words of a normalized text, by jieba (cached: each text is cut once)."""
    return list(_cut(text))
