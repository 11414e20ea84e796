"""The model: one scikit-learn Pipeline from feature records to calibrated buckets
(hyper-parameters: ``fazhi.learning.hyper``)."""
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from fazhi.learning.decode import BlockPipeline
from fazhi.learning.features import ContextDropout, Cues, Field, Stats
from fazhi.learning.hyper import DEFAULTS
from fazhi.learning.words import jieba_words

NONE = "∅"  # the token of an empty context field


def _tfidf(key: str, empty: str = "", **kw) -> Pipeline:
    return Pipeline([("field", Field(key=key, empty=empty)), ("tfidf", TfidfVectorizer(sublinear_tf=True, lowercase=False, **kw))])


def build_pipeline(*, seed: int = 0, **hyper) -> BlockPipeline:
    """An unfitted model; keyword arguments override ``DEFAULTS``."""
    h = {**DEFAULTS, **hyper}
    unknown = set(h) - set(DEFAULTS)
    if unknown:
        raise TypeError(f"unknown hyper-parameters: {sorted(unknown)}")
    parts = [
        ("char", _tfidf("text", analyzer="char", ngram_range=tuple(h["char_ngram"]))),
        ("word", _tfidf("text", tokenizer=jieba_words, token_pattern=None, ngram_range=tuple(h["word_ngram"]))),
        ("stats", Stats(use_position=h["use_position"], use_year=h["use_year"], use_kind=h["use_kind"], use_figures=h["use_figures"])),
    ]
    weights = {}
    if h["use_cues"]:
        parts.append(("cues", Cues()))
    if h["use_section"]:
        parts.append(("section", _tfidf("section", NONE, analyzer="char", ngram_range=(1, 2))))
        weights["section"] = h["section_weight"]
    if h["use_neighbours"]:
        for key in ("prev", "next"):
            parts.append((key, _tfidf(key, NONE, analyzer="char", ngram_range=(1, 2))))
            weights[key] = h["neighbour_weight"]
    clf = CalibratedClassifierCV(
        LogisticRegression(C=h["C"], class_weight="balanced", max_iter=2000, random_state=seed),
        method=h["calibration"],
        cv=h["calibration_cv"],
        ensemble=True,
    )
    return BlockPipeline(
        [
            ("dropout", ContextDropout(rate=h["context_dropout"], seed=seed)),
            ("features", FeatureUnion(parts, transformer_weights=weights or None)),
            ("clf", clf),
        ],
        decode=h["decode"],
        power=h["decode_power"],
        sentence_first=h["sentence_first"],
    )


def one_blas_thread():
    """Linear algebra on one thread: the matrices are small and sparse, and
    BLAS threads fighting over two cores make a fit ten times slower."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")

