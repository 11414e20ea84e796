"""Scores and folds: macro-F1, per-label scores, confusion, calibration; folds by report."""
import numpy as np

from fazhi.errors import FazhiError
from fazhi.vocab import LABELS

ECE_BINS = 10


def expected_calibration_error(y_true, proba, classes, bins: int = ECE_BINS) -> float:
    """|accuracy - confidence| averaged over equal-width confidence bins, weighted by size."""
    proba = np.asarray(proba, dtype=float)
    conf = proba.max(axis=1)
    pred = np.asarray(classes)[proba.argmax(axis=1)]
    correct = pred == np.asarray(y_true)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(conf, edges[1:-1], right=True), 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            ece += mask.mean() * abs(correct[mask].mean() - conf[mask].mean())
    return float(ece)


def scores(y_true, proba, classes) -> dict:
    """macro-F1, accuracy, per-label precision/recall/F1/support, confusion matrix, ECE."""
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    classes = list(classes)
    proba = align(np.asarray(proba, dtype=float), classes)
    pred = np.asarray(LABELS)[proba.argmax(axis=1)]
    y_true = np.asarray(y_true)
    p, r, f, s = precision_recall_fscore_support(y_true, pred, labels=list(LABELS), zero_division=0)
    present = [i for i, lab in enumerate(LABELS) if s[i] > 0]
    return {
        "macro_f1": float(np.mean(f[present])),
        "accuracy": float(accuracy_score(y_true, pred)),
        "ece": expected_calibration_error(y_true, proba, LABELS),
        "per_label": {
            lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
            for i, lab in enumerate(LABELS)
        },
        "confusion": {"labels": list(LABELS), "matrix": confusion_matrix(y_true, pred, labels=list(LABELS)).tolist()},
        "n": int(len(y_true)),
    }


def align(proba: np.ndarray, classes: list[str]) -> np.ndarray:
    """Columns reordered to LABELS (a fold may lack a label: its column is 0)."""
    out = np.zeros((proba.shape[0], len(LABELS)))
    for j, c in enumerate(classes):
        out[:, LABELS.index(c)] = proba[:, j]
    return out


# --- folds -----------------------------------------------------------------------------


def make_folds(y, groups, *, folds: int | None = None, group: bool = True, seed: int = 0):
    """The outer folds as a list of (train_idx, test_idx); checks every label can be split."""
    from sklearn.model_selection import LeaveOneGroupOut, StratifiedGroupKFold, StratifiedKFold

    y, groups = np.asarray(y), np.asarray(groups)
    if group:
        n_groups = len(set(groups))
        if n_groups < 2:
            raise FazhiError("grouped folds need at least 2 reports (doc_id); use --group none")
        if folds is None and n_groups <= 10:
            splitter, k = LeaveOneGroupOut(), n_groups
        else:
            k = min(folds or 5, n_groups)
            splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    else:
        k = folds or 5
        splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    counts = {lab: int((y == lab).sum()) for lab in LABELS if (y == lab).any()}
    few = {lab: n for lab, n in counts.items() if n < k}
    if few:
        listed = ", ".join(f"{lab} has {n}" for lab, n in few.items())
        raise FazhiError(f"a label has fewer rows than folds ({k}): {listed}")
    return list(splitter.split(np.zeros(len(y)), y, groups))


