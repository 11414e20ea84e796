"""The model: one scikit-learn Pipeline from feature records to calibrated buckets.

All hyper-parameters live in ``DEFAULTS``; ``GRID`` is what the search tries
inside the training folds.
"""
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from fazhi.features import Field, Stats, jieba_words

LABELS = ("achievement", "metric", "problem", "plan")

DEFAULTS = {
    "char_ngram": (1, 3),  # character n-grams of the unit
    "word_ngram": (1, 2),  # jieba word n-grams of the unit
    "use_section": True,  # the section heading as context
    "section_weight": 1.0,
    "use_position": True,
    "C": 3.0,  # inverse regularization of the logistic regression
    "calibration": "sigmoid",
    "calibration_cv": 3,
}
# searched inside the training folds (nested), never on a test fold
GRID = {"clf__estimator__C": [0.5, 2.0, 8.0]}


NONE = "∅"  # the token of an empty context field


def _tfidf(key: str, empty: str = "", **kw) -> Pipeline:
    return Pipeline([("field", Field(key, empty)), ("tfidf", TfidfVectorizer(sublinear_tf=True, lowercase=False, **kw))])


def build_pipeline(seed: int = 0, **hyper) -> Pipeline:
    """An unfitted pipeline; keyword arguments override ``DEFAULTS``."""
    h = {**DEFAULTS, **hyper}
    unknown = set(h) - set(DEFAULTS)
    if unknown:
        raise TypeError(f"unknown hyper-parameters: {sorted(unknown)}")
    parts = [
        ("char", _tfidf("text", analyzer="char", ngram_range=tuple(h["char_ngram"]), min_df=1)),
        ("word", _tfidf("text", tokenizer=jieba_words, token_pattern=None, ngram_range=tuple(h["word_ngram"]))),
        ("stats", Stats(use_position=h["use_position"])),
    ]
    weights = {}
    if h["use_section"]:
        parts.append(("section", _tfidf("section", NONE, analyzer="char", ngram_range=(1, 2))))
        weights["section"] = h["section_weight"]
    clf = CalibratedClassifierCV(
        LogisticRegression(C=h["C"], class_weight="balanced", max_iter=2000, random_state=seed),
        method=h["calibration"],
        cv=h["calibration_cv"],
        ensemble=True,
    )
    return Pipeline([("features", FeatureUnion(parts, transformer_weights=weights or None)), ("clf", clf)])


def label_order(pipeline) -> list[str]:
    return [str(c) for c in pipeline.classes_]
