"""Train: labeled units to a fitted, cross-validated, persisted model."""
import datetime as dt
import hashlib
import os

import numpy as np

from fazhi.labels.load import LabeledSet, load_labels
from fazhi.learning.hyper import DEFAULTS, GRID
from fazhi.learning.records import records_by_report
from fazhi.vocab import LABELS, bucket_counts


TRAINING_ONLY = "written-"  # doc_id prefix of written material: fitted on, never scored


def training_data(labeled: LabeledSet, *, blind: bool = False):
    """(records, labels, groups) of the trainable units, context from their reports."""
    records, index = records_by_report(labeled.units, blind=blind)
    keep = [(r, i) for r, i in zip(records, index) if labeled.labels[i] in LABELS]
    X = [r for r, _ in keep]
    y = np.asarray([labeled.labels[i] for _, i in keep])
    groups = np.asarray([labeled.units[i].doc_id for _, i in keep])
    return X, y, groups


def split_scored(X, y, groups):
    """(scored part, training-only part): rows of written material are never scored."""
    only = np.asarray([str(g).startswith(TRAINING_ONLY) for g in groups], dtype=bool)
    pick = lambda mask: ([x for x, m in zip(X, mask) if m], y[mask], groups[mask])
    return pick(~only), pick(only)


def cross_validate_labels(
    labeled: LabeledSet, *, folds=None, group=True, seed=0, grid=None, blind=True, jobs=1, hyper=None, progress=None
):
    """Cross-validation on the scored units, written material added to every training fold."""
    from fazhi.errors import FazhiError
    from fazhi.learning.evaluate import cross_validate

    (X, y, groups), extra = split_scored(*training_data(labeled))
    if not len(y):
        raise FazhiError(f"nothing to score: every labeled row is training material ({TRAINING_ONLY}*)")
    blind_X = split_scored(*training_data(labeled, blind=True))[0][0] if blind else None
    return cross_validate(
        X, y, groups, folds=folds, group=group, seed=seed, grid=grid, blind_X=blind_X,
        hyper=hyper, jobs=jobs, progress=progress, extra=extra,
    )


def _summary(systems: dict) -> dict:
    return {
        name: {
            "macro_f1": round(s["macro_f1"], 4),
            "accuracy": round(s["accuracy"], 4),
            "ece": round(s["ece"], 4),
            "per_label_f1": {lab: round(v["f1"], 4) for lab, v in s["per_label"].items()},
        }
        for name, s in systems.items()
    }


def _cv_scores(labeled, seed, grid, jobs, hyper, progress) -> dict:
    result = cross_validate_labels(labeled, seed=seed, grid=grid, jobs=jobs, hyper=hyper, progress=progress)
    n_groups = len({f for fold in result.folds for f in (fold["test"] if isinstance(fold["test"], list) else [])})
    return {
        "scheme": "leave-one-report-out" if 0 < n_groups <= 10 else "grouped k-fold",
        "scored_on": f"{result.systems['fazhi']['n']} units (written material is never scored)",
        **_summary(result.systems),
        "folds": result.folds,
    }


def _without_training_material(labeled: LabeledSet) -> LabeledSet:
    return labeled.subset([i for i, u in enumerate(labeled.units) if not u.doc_id.startswith(TRAINING_ONLY)])


def train(
    paths: list[str], model_dir: str, *, seed: int = 0, search: bool = True, cv: bool = True, jobs: int = 1, hyper=None, progress=None
) -> dict:
    """Fit on the labels files, cross-validate, save to ``model_dir``; returns the card."""
    from fazhi.learning.evaluate import fit, search_pipeline
    from fazhi.learning.store import save_model, versions

    labeled = load_labels(paths)
    X, y, groups = training_data(labeled)
    grid = GRID if search else {}
    scores = scores_alone = None
    if cv:
        scores = _cv_scores(labeled, seed, grid, jobs, hyper, progress)
        if any(str(g).startswith(TRAINING_ONLY) for g in groups):
            alone = _without_training_material(labeled)
            scores_alone = _cv_scores(alone, seed, grid, jobs, hyper, progress)
    found = fit(search_pipeline(seed=seed, grid=grid, jobs=jobs, **(hyper or {})), X, y, groups)
    pipeline = getattr(found, "best_estimator_", found)
    chosen = {k.split("__")[-1]: v for k, v in getattr(found, "best_params_", {}).items()}
    counts = bucket_counts(y.tolist())
    pipeline.training_counts_ = counts
    combined = hashlib.sha256("".join(labeled.sha256[p] for p in paths).encode()).hexdigest()
    card = {
        "labels": list(LABELS),
        "counts": counts,
        "n_units": int(len(y)),
        "n_reports": int(len(set(groups))),
        "data": {
            "files": {os.path.relpath(p) if not os.path.isabs(p) else p: labeled.sha256[p] for p in paths},
            "sha256": combined,
        },
        "hyper_parameters": {**DEFAULTS, **(hyper or {}), **chosen},
        "search": {"grid": {k.split("__")[-1]: v for k, v in grid.items()}, "chosen": chosen},
        "seed": seed,
        "cv": scores,
        "cv_without_written": scores_alone,
        "versions": versions(),
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "retrain": "fazhi train " + " ".join(paths) + f" -o {model_dir} --seed {seed}",
    }
    return save_model(pipeline, card, model_dir)


def evaluate_model(model, paths: list[str], *, blind: bool = False) -> dict:
    """Scores of a fitted model on labeled data it did not train on, baselines beside:
    the Python twin of ``fazhi evaluate --model DIR --test FILE``."""
    from fazhi.learning.evaluate import score_model

    labeled = load_labels(paths)
    X, y, _ = training_data(labeled)
    result = score_model(model, X, y)
    if blind:
        result["blind"] = score_model(model, training_data(labeled, blind=True)[0], y)["fazhi"]
    return result
