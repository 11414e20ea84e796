"""Feature extractors: scikit-learn transformers over feature records (``fazhi.vocab.Record``)."""
import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from fazhi.learning.cues import CUE_NAMES, sentence_cues
from fazhi.learning.hyper import DEFAULTS
from fazhi.units.figures import mask_digits
from fazhi.vocab import DOC_KINDS


class Field(BaseEstimator, TransformerMixin):
    """Select one text field of each record, numbers masked (``1826件`` reads ``0件``)."""

    def __init__(self, *, key: str = "text", empty: str = ""):
        self.key = key
        self.empty = empty  # stands in for a missing field (no section known)

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return [mask_digits(getattr(r, self.key)) or self.empty for r in X]

    def get_feature_names_out(self, input_features=None):
        return np.asarray([self.key], dtype=object)


class Stats(BaseEstimator, TransformerMixin):
    """Dense facts about a unit: figures, heading, position, years, the report's kind."""

    names = (
        "has_figure", "many_figures", "is_heading", "position", "no_position",
        "year_future", "year_same", "year_unknown",
        *(f"kind_{k}" for k in DOC_KINDS), "kind_unknown",
    )

    def __init__(
        self, *, use_position: bool = DEFAULTS["use_position"], use_year: bool = DEFAULTS["use_year"],
        use_kind: bool = DEFAULTS["use_kind"], use_figures: bool = DEFAULTS["use_figures"],
    ):  # fmt: skip
        self.use_position = use_position
        self.use_year = use_year
        self.use_kind = use_kind
        self.use_figures = use_figures

    def fit(self, X, y=None):
        return self

    def _row(self, r) -> list[float]:
        pos = r.position
        known = self.use_position and pos >= 0
        year = self.use_year and r.year_known
        kind = r.doc_kind if self.use_kind else ""
        figures = r.figures if self.use_figures else 0
        return [
            float(figures > 0),
            float(figures > 2),
            float(r.is_heading),
            pos if known else 0.0,
            0.0 if known else 1.0,
            float(year and r.year_future),
            float(year and r.year_same),
            0.0 if year else 1.0,
            *(float(kind == k) for k in DOC_KINDS),
            float(kind not in DOC_KINDS),
        ]

    def transform(self, X):
        rows = [self._row(r) for r in X]
        return sp.csr_matrix(np.asarray(rows, dtype=float).reshape(len(rows), len(self.names)))

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"stats__{n}" for n in self.names], dtype=object)


class Cues(BaseEstimator, TransformerMixin):
    """The sentence's own future, shortfall and past words (``fazhi.learning.cues``), each
    group alone and with a result figure, and each cue word: dense, so that a short cue
    weighs the same in a long sentence."""

    names = CUE_NAMES
    reads_sentence_only = True  # text and figures: Record.blind keeps both

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        rows = [sentence_cues(r.text, r.figures > 0) for r in X]
        return sp.csr_matrix(np.asarray(rows, dtype=float).reshape(len(rows), len(self.names)))

    def get_feature_names_out(self, input_features=None):
        return np.asarray(self.names, dtype=object)


class ContextDropout(BaseEstimator, TransformerMixin):
    """While fitting, remove the report context of a share of the rows (never when predicting).

    The sentence's own words then have to carry weight, so the model still works on
    a unit with no heading above it.
    """

    def __init__(self, *, rate: float = DEFAULTS["context_dropout"], seed: int = 0):
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
        return [r.blind() if d else r for r, d in zip(X, drop)]
