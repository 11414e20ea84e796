"""Cross-validation with baselines beside, and scores for a saved model on new data.

Folds are whole reports by default (leave-one-report-out up to 10 reports);
hyper-parameters are searched inside each training fold only.
"""
from dataclasses import dataclass, field

import numpy as np

from fazhi.learning.scores import align, make_folds, scores
from fazhi.vocab import LABELS

INNER_FOLDS = 4  # folds of the search inside each training fold


@dataclass
class CVResult:
    systems: dict = field(default_factory=dict)  # name -> scores
    folds: list = field(default_factory=list)  # per fold: test reports, n, chosen params, macro-F1
    oof: dict = field(default_factory=dict)  # name -> out-of-fold probabilities (LABELS order)
    diagnostics: dict = field(default_factory=dict)  # slices, worst report, reliability (fazhi.learning.diagnostics)

    def as_json(self) -> dict:
        return {**self.systems, "folds": self.folds, **({"diagnostics": self.diagnostics} if self.diagnostics else {})}


def search_pipeline(*, seed: int = 0, grid: dict | None = None, jobs: int = 1, **hyper):
    """The pipeline wrapped in a grid search over its training data (grouped by report)."""
    from sklearn.model_selection import GridSearchCV

    from fazhi.learning.hyper import GRID
    from fazhi.learning.pipeline import build_pipeline

    grid = GRID if grid is None else grid
    pipe = build_pipeline(seed=seed, **hyper)
    if not grid:
        return pipe
    return GridSearchCV(
        pipe, grid, scoring="f1_macro", cv=InnerFolds(INNER_FOLDS, seed), refit=True, error_score="raise", n_jobs=jobs
    )


class InnerFolds:
    """Inner folds over whole reports: leave-one-report-out up to ``k`` reports, grouped K-fold beyond."""

    def __init__(self, k: int, seed: int):
        self.k, self.seed = k, seed

    def split(self, X, y=None, groups=None):
        from sklearn.model_selection import GroupKFold, StratifiedKFold

        if groups is None or len(set(groups)) < 2:
            yield from StratifiedKFold(min(self.k, 3), shuffle=True, random_state=self.seed).split(X, y)
            return
        n = len(set(groups))
        yield from GroupKFold(n_splits=min(self.k, n)).split(X, y, groups)

    def get_n_splits(self, X=None, y=None, groups=None):
        if groups is None or len(set(groups)) < 2:
            return min(self.k, 3)
        return min(self.k, len(set(groups)))


def fit(estimator, X, y, groups):
    from sklearn.model_selection import GridSearchCV

    from fazhi.learning.pipeline import one_blas_thread

    with one_blas_thread():
        if isinstance(estimator, GridSearchCV):
            return estimator.fit(X, y, groups=groups)
        return estimator.fit(X, y)


def cross_validate(
    X, y, groups, *, folds=None, group=True, seed=0, grid=None, blind_X=None, hyper=None, jobs=1, progress=None, extra=None
) -> CVResult:
    """Score fazhi and the two baselines on the same outer folds; optionally also blind.

    ``extra`` = (X, y, groups) of training-only material: added to every training
    fold, never scored. ``progress(done, total)`` is called before the first fold and
    after each.
    """
    from fazhi.learning.pipeline import one_blas_thread

    with one_blas_thread():
        return _cross_validate(X, y, groups, folds, group, seed, grid, blind_X, hyper, jobs, progress, extra)


def _cross_validate(X, y, groups, folds, group, seed, grid, blind_X, hyper, jobs, progress, extra) -> CVResult:
    from fazhi.learning.baselines import KeywordRule, Majority

    y, groups = np.asarray(y), np.asarray(groups)
    splits = make_folds(y, groups, folds=folds, group=group, seed=seed)
    names = ["fazhi", "majority", "keyword_rule"] + (["blind"] if blind_X is not None else [])
    oof = {name: np.zeros((len(y), len(LABELS))) for name in names}
    result = CVResult()
    if progress:
        progress(0, len(splits))
    for k, (train, test) in enumerate(splits):
        Xtr, ytr, gtr = [X[i] for i in train], y[train], groups[train]
        if extra is not None and len(extra[1]):
            Xtr, ytr, gtr = Xtr + list(extra[0]), np.concatenate([ytr, extra[1]]), np.concatenate([gtr, extra[2]])
        model = fit(search_pipeline(seed=seed, grid=grid, jobs=jobs, **(hyper or {})), Xtr, ytr, gtr)
        chosen = getattr(model, "best_params_", {})
        classes = [str(c) for c in model.classes_]
        oof["fazhi"][test] = align(model.predict_proba([X[i] for i in test]), classes)
        if blind_X is not None:
            oof["blind"][test] = align(model.predict_proba([blind_X[i] for i in test]), classes)
        for name, base in (("majority", Majority()), ("keyword_rule", KeywordRule())):
            base.fit([X[i] for i in train], y[train])
            oof[name][test] = align(base.predict_proba([X[i] for i in test]), [str(c) for c in base.classes_])
        fold_f1 = scores(y[test], oof["fazhi"][test], LABELS)["macro_f1"]
        result.folds.append(
            {
                "fold": k,
                "test": sorted(set(map(str, groups[test]))) if group else f"{len(test)} units",
                "n_test": int(len(test)),
                "params": {key.split("__")[-1]: _plain(v) for key, v in chosen.items()},
                "macro_f1": fold_f1,
            }
        )
        if progress:
            progress(k + 1, len(splits))
    result.systems = {name: scores(y, oof[name], LABELS) for name in names}
    result.oof = oof
    return result


def _plain(v):
    if isinstance(v, (np.floating, np.integer)):
        return v.item()
    if isinstance(v, tuple):
        return list(v)
    return v


def score_model(model, X, y) -> dict:
    """Scores of a fitted model and the baselines (majority of its training counts) on labeled data."""
    from fazhi.learning.baselines import KeywordRule

    y = np.asarray(y)
    out = {"fazhi": scores(y, model.predict_proba(X), [str(c) for c in model.classes_])}
    counts = getattr(model, "training_counts_", None)
    if counts:
        prior = np.asarray([counts.get(lab, 0) for lab in LABELS], dtype=float)
        prior = prior / prior.sum()
        out["majority"] = scores(y, np.tile(prior, (len(y), 1)), LABELS)
    out["keyword_rule"] = scores(y, KeywordRule().fit(X).predict_proba(X), LABELS)
    return out
