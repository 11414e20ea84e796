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
MIN_ROWS = 20  # a label with fewer training rows than this gets a warning


def training_data(labeled: LabeledSet, *, blind: bool = False):
    """(records, labels, groups) of the trainable units, context from their reports."""
    records, index = records_by_report(labeled.units, blind=blind)
    keep = [(r, i) for r, i in zip(records, index) if labeled.labels[i] in LABELS]
    X = [r for r, _ in keep]
    y = np.asarray([labeled.labels[i] for _, i in keep])
    groups = np.asarray([labeled.units[i].doc_id for _, i in keep])
    return X, y, groups


def trainable_index(labeled: LabeledSet) -> list[int]:
    """The unit index of each row of ``training_data``, in its order."""
    _, index = records_by_report(labeled.units)
    return [i for i in index if labeled.labels[i] in LABELS]


def is_training_only(labeled: LabeledSet, i: int) -> bool:
    """Fitted on, never scored: written material (doc_id ``written-…``) and base labels."""
    return labeled.is_fit_only(i) or labeled.units[i].doc_id.startswith(TRAINING_ONLY)


def training_only_mask(labeled: LabeledSet) -> np.ndarray:
    """Per row of ``training_data``: True where the row is fitted on and never scored."""
    return np.asarray([is_training_only(labeled, i) for i in trainable_index(labeled)], dtype=bool)


def slice_values(labeled: LabeledSet, by: list[str], *, scored_only: bool = False) -> dict[str, list[str]]:
    """Each column of ``by``, its value per row of ``training_data`` (only scored rows)."""
    index = trainable_index(labeled)
    if scored_only:
        index = [i for i in index if not is_training_only(labeled, i)]
    return {column: [labeled.extra[i].get(column, "") for i in index] for column in by}


def split_scored(X, y, groups, only=None):
    """(scored part, training-only part): rows of written material (or those ``only``
    marks) are never scored."""
    if only is None:
        only = np.asarray([str(g).startswith(TRAINING_ONLY) for g in groups], dtype=bool)
    pick = lambda mask: ([x for x, m in zip(X, mask) if m], y[mask], groups[mask])
    return pick(~only), pick(only)


def default_slices(labeled: LabeledSet, by: list[str] | None) -> list[str]:
    """The columns to score slices by: those asked for (each must exist), else ``kind`` if present."""
    from fazhi.errors import FazhiError

    have = labeled.subset([i for i in range(len(labeled.units)) if not is_training_only(labeled, i)]).columns()
    if by is None:
        return [c for c in ("kind",) if c in have]
    missing = [c for c in by if c not in have]
    if missing:
        raise FazhiError(f"--by {', '.join(missing)}: no such column in every row (columns: {', '.join(have) or 'none'})")
    return by


def cross_validate_labels(
    labeled: LabeledSet, *, folds=None, group=True, seed=0, grid=None, blind=True, jobs=1, hyper=None, progress=None,
    by: list[str] | None = None,
):  # fmt: skip
    """Cross-validation on the scored units, written material added to every training fold;
    with slices by ``by`` (default: kind), the worst report and a reliability table."""
    from fazhi.errors import FazhiError
    from fazhi.learning.diagnostics import diagnose
    from fazhi.learning.evaluate import cross_validate

    by = default_slices(labeled, by)
    only = training_only_mask(labeled)
    (X, y, groups), extra = split_scored(*training_data(labeled), only)
    if not len(y):
        raise FazhiError(f"nothing to score: every labeled row is training material ({TRAINING_ONLY}* or base labels)")
    blind_X = split_scored(*training_data(labeled, blind=True), only)[0][0] if blind else None
    result = cross_validate(
        X, y, groups, folds=folds, group=group, seed=seed, grid=grid, blind_X=blind_X,
        hyper=hyper, jobs=jobs, progress=progress, extra=extra,
    )  # fmt: skip
    result.diagnostics = diagnose(y, result.oof["fazhi"], groups, slice_values(labeled, by, scored_only=True))
    result.diagnostics["cross_report_conflicts"] = labeled.cross_report_conflicts
    return result


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
    return labeled.subset([i for i in range(len(labeled.units)) if not is_training_only(labeled, i)])


def _data_card(labeled: LabeledSet, paths: list[str], merged) -> dict:
    """The training data in the card: each file with its sha256, the user's and the base's apart."""
    def files(names):
        return {os.path.relpath(p) if not os.path.isabs(p) else p: labeled.sha256[p] for p in names}

    def combined(names):
        return hashlib.sha256("".join(labeled.sha256[p] for p in names).encode()).hexdigest()

    data = {"files": files(paths), "sha256": combined(paths)}
    if merged is not None:
        names = merged.base.files
        data["base"] = {
            "files": {os.path.basename(p): merged.base.sha256[p] for p in names},
            "sha256": hashlib.sha256("".join(merged.base.sha256[p] for p in names).encode()).hexdigest(),
            "overridden": merged.overridden,
            "overridden_with_another_label": merged.changed,
            "replaced_reports": merged.replaced_reports,
        }
    return data


def label_warnings(counts: dict[str, int]) -> list[str]:
    """A label with no rows (the model never predicts it) or fewer than ``MIN_ROWS``."""
    out = []
    missing = [lab for lab in LABELS if not counts.get(lab)]
    if missing:
        out.append(f"no rows labeled {', '.join(missing)}: the model will never predict {'it' if len(missing) == 1 else 'them'}")
    few = [f"{lab} has {n}" for lab, n in counts.items() if 0 < n < MIN_ROWS]
    if few:
        out.append(f"fewer than {MIN_ROWS} rows of a label ({', '.join(few)}): its predictions will be unreliable")
    return out


def score_warnings(scores: dict | None) -> list[str]:
    """The cross-validated score below the keyword rule's: the model learned less than a rule."""
    if not scores:
        return []
    own, rule = scores["fazhi"]["macro_f1"], scores["keyword_rule"]["macro_f1"]
    if own >= rule:
        return []
    return [f"cross-validated macro-F1 {own:.3f} is below the keyword rule's {rule:.3f}: label more reports before relying on this model"]


def _check_rows(y, groups, hyper, search: bool, seed: int) -> None:
    """Each label present has a row for every fold of the calibration: in all the rows,
    and (when searching) in each training part of the search's folds."""
    from fazhi.errors import FazhiError
    from fazhi.learning.evaluate import INNER_FOLDS, InnerFolds

    k = {**DEFAULTS, **(hyper or {})}["calibration_cv"]
    parts = [np.arange(len(y))]
    if search:
        parts += [train for train, _ in InnerFolds(INNER_FOLDS, seed).split(np.zeros(len(y)), y, groups)]
    for n, part in enumerate(parts):
        few = {lab: c for lab, c in bucket_counts(y[part].tolist()).items() if 0 < c < k}
        if few:
            listed = ", ".join(f"{lab} has {c}" for lab, c in few.items())
            where = "" if n == 0 else " in a fold of the hyper-parameter search"
            hint = "" if n == 0 else ", or train with --no-search"
            raise FazhiError(f"a label has fewer rows than the calibration's {k} folds ({listed}){where}: label more of it{hint}")


def _check_reports(groups, training_only) -> None:
    scored = {str(g) for g, only in zip(groups, training_only) if not only}
    if len(scored) < 2:
        from fazhi.errors import FazhiError

        raise FazhiError(
            f"cross-validation by report needs at least 2 reports, the labels hold {len(scored)}"
            f"{' (besides written material)' if len(scored) < len(set(map(str, groups))) else ''}: train with --no-cv"
        )


def _stage(progress, what: str):
    """``progress(what, done, total)`` as the ``(done, total)`` callback cross-validation calls."""
    return (lambda done, total: progress(what, done, total)) if progress else None


def train(
    paths: list[str], model_dir: str, *, seed: int = 0, search: bool = True, cv: bool = True, jobs: int = 1, hyper=None,
    progress=None, force: bool = False, base: bool | list[str] = False,
) -> dict:  # fmt: skip
    """Fit on the labels files, cross-validate, save to ``model_dir``; returns the card,
    whose ``warnings`` say what to doubt. ``model_dir`` must be new or empty, or (with
    ``force``) a model folder; ``progress(what, done, total)`` hears of each fold. With
    ``base`` (True: the base labels shipped in ``fazhi/base``; or a list of labels files)
    they are fitted on too, never scored; the user's label wins where both label the same
    text under the same section."""
    from fazhi.atomic import check_output_folder
    from fazhi.labels.base import load_with_base
    from fazhi.learning.evaluate import fit, search_pipeline
    from fazhi.learning.store import CARD_FILE, save_model, versions

    check_output_folder(model_dir, paths, marker=CARD_FILE, force=force)
    merged = load_with_base(paths, None if base is True else list(base)) if base else None
    labeled = merged.labeled if base else load_labels(paths)
    X, y, groups = training_data(labeled)
    if cv:
        _check_reports(groups, training_only_mask(labeled))
    _check_rows(y, groups, hyper, search, seed)
    grid = GRID if search else {}
    scores = scores_alone = None
    if cv:
        scores = _cv_scores(labeled, seed, grid, jobs, hyper, _stage(progress, "cross-validation, fold"))
        if training_only_mask(labeled).any():
            alone = _without_training_material(labeled)
            try:
                scores_alone = _cv_scores(alone, seed, grid, jobs, hyper, _stage(progress, "without written material, fold"))
            except ValueError as e:  # too few of a label without the training material
                scores_alone = {"not_scored": str(e)}
    if progress:
        progress("fitting the model", 0, 1)
    found = fit(search_pipeline(seed=seed, grid=grid, jobs=jobs, **(hyper or {})), X, y, groups)
    pipeline = getattr(found, "best_estimator_", found)
    chosen = {k.split("__")[-1]: v for k, v in getattr(found, "best_params_", {}).items()}
    counts = bucket_counts(y.tolist())
    pipeline.training_counts_ = counts
    card = {
        "labels": list(LABELS),
        "counts": counts,
        "n_units": int(len(y)),
        "n_reports": int(len(set(groups))),
        "data": _data_card(labeled, paths, merged),
        "hyper_parameters": {**DEFAULTS, **(hyper or {}), **chosen},
        "search": {"grid": {k.split("__")[-1]: v for k, v in grid.items()}, "chosen": chosen},
        "seed": seed,
        "cv": scores,
        "cv_without_written": scores_alone,
        "versions": versions(),
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "retrain": "fazhi train " + " ".join(paths) + f" -o {model_dir} --seed {seed} --force" + (" --base" if base else ""),
        "warnings": label_warnings(counts) + score_warnings(scores),
    }
    card = save_model(pipeline, card, model_dir)
    if progress:
        progress("fitting the model", 1, 1)
    return card


def evaluate_model(model, paths: list[str], *, blind: bool = False, by: list[str] | None = None) -> dict:
    """Scores of a fitted model on labeled data it did not train on, baselines beside, with
    slices by ``by`` (default: kind), the worst report and a reliability table: the Python
    twin of ``fazhi evaluate --model DIR --test FILE``."""
    from fazhi.learning.diagnostics import diagnose
    from fazhi.learning.evaluate import score_model
    from fazhi.learning.scores import align

    labeled = load_labels(paths)
    by = default_slices(labeled, by)
    X, y, groups = training_data(labeled)
    result = score_model(model, X, y)
    if blind:
        result["blind"] = score_model(model, training_data(labeled, blind=True)[0], y)["fazhi"]
    proba = align(model.predict_proba(X), [str(c) for c in model.classes_])
    result["diagnostics"] = diagnose(y, proba, groups, slice_values(labeled, by))
    result["diagnostics"]["cross_report_conflicts"] = labeled.cross_report_conflicts
    return result
