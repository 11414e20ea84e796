"""Train: labeled units to a fitted, cross-validated, persisted model."""
import datetime as dt
import hashlib
import os

import numpy as np

from fazhi.context import records_by_report
from fazhi.labels import LABELS, LabeledSet, load_labels
from fazhi.model import DEFAULTS, GRID


def training_data(labeled: LabeledSet, blind: bool = False):
    """(records, labels, groups) of the trainable units, context from their reports."""
    records, index = records_by_report(labeled.units, blind=blind)
    keep = [(r, i) for r, i in zip(records, index) if labeled.labels[i] in LABELS]
    X = [r for r, _ in keep]
    y = np.asarray([labeled.labels[i] for _, i in keep])
    groups = np.asarray([labeled.units[i].doc_id for _, i in keep])
    return X, y, groups


def cross_validate_labels(labeled: LabeledSet, folds=None, group=True, seed=0, grid=None, blind=True, jobs=1, hyper=None, progress=None):
    from fazhi.evaluate import cross_validate

    X, y, groups = training_data(labeled)
    blind_X = training_data(labeled, blind=True)[0] if blind else None
    return cross_validate(
        X, y, groups, folds=folds, group=group, seed=seed, grid=grid, blind_X=blind_X, hyper=hyper, jobs=jobs, progress=progress
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


def train(paths: list[str], model_dir: str, seed: int = 0, search: bool = True, cv: bool = True, jobs: int = 1, hyper=None, progress=None) -> dict:
    """Fit on the labels files, cross-validate, save to ``model_dir``; returns the card."""
    from fazhi.evaluate import fit, search_pipeline
    from fazhi.store import save_model, versions

    labeled = load_labels(paths)
    X, y, groups = training_data(labeled)
    grid = GRID if search else {}
    scores = None
    if cv:
        result = cross_validate_labels(labeled, seed=seed, grid=grid, jobs=jobs, hyper=hyper, progress=progress)
        scores = {"scheme": "leave-one-report-out" if len(set(groups)) <= 10 else "grouped k-fold",
                  **_summary(result.systems), "folds": result.folds}
    found = fit(search_pipeline(seed=seed, grid=grid, jobs=jobs, **(hyper or {})), X, y, groups)
    pipeline = getattr(found, "best_estimator_", found)
    chosen = {k.split("__")[-1]: v for k, v in getattr(found, "best_params_", {}).items()}
    counts = {lab: int((y == lab).sum()) for lab in LABELS}
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
        "versions": versions(),
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "retrain": "fazhi train " + " ".join(paths) + f" -o {model_dir} --seed {seed}",
    }
    return save_model(pipeline, card, model_dir)
