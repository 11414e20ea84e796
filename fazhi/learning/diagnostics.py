"""Where a model fails, not only how much: scores per slice, the worst report, reliability.

All three read the same aligned arrays: true labels, probabilities in LABELS order,
each unit's report and, for slices, each unit's value of a column (such as ``kind``).
"""
import numpy as np

from fazhi.learning.scores import ECE_BINS, scores
from fazhi.vocab import LABELS


def _predicted(proba) -> np.ndarray:
    return np.asarray(LABELS)[np.asarray(proba).argmax(axis=1)]


def by_slice(y, proba, values) -> dict:
    """macro-F1, accuracy and size of each value of a column (kind, say)."""
    y, proba, values = np.asarray(y), np.asarray(proba, dtype=float), np.asarray(values)
    out = {}
    for value in sorted(set(values.tolist())):
        m = values == value
        s = scores(y[m], proba[m], LABELS)
        out[str(value)] = {"n": int(m.sum()), "macro_f1": round(s["macro_f1"], 4), "accuracy": round(s["accuracy"], 4)}
    return out


def worst_report(y, proba, groups) -> dict:
    """The report with the largest share of its units in one wrong bucket: a whole-report
    flip shows as a share near 1."""
    y, groups, pred = np.asarray(y), np.asarray(groups), _predicted(proba)
    worst = {"doc_id": None, "share": 0.0, "wrong_bucket": None, "units": 0}
    for doc in sorted(set(groups.tolist())):
        m = groups == doc
        wrong = pred[m][pred[m] != y[m]]
        for lab in LABELS:
            share = float((wrong == lab).sum() / m.sum())
            if share > worst["share"]:
                worst = {"doc_id": str(doc), "share": round(share, 4), "wrong_bucket": lab, "units": int(m.sum())}
    return worst


def reliability(y, proba, bins: int = ECE_BINS) -> list[dict]:
    """Confidence bins against accuracy: a calibrated model's rows agree."""
    proba = np.asarray(proba, dtype=float)
    conf = proba.max(axis=1)
    correct = _predicted(proba) == np.asarray(y)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(conf, edges[1:-1], right=True), 0, bins - 1)
    rows = []
    for b in range(bins):
        m = which == b
        if m.any():
            rows.append({
                "from": round(float(edges[b]), 2), "to": round(float(edges[b + 1]), 2), "n": int(m.sum()),
                "confidence": round(float(conf[m].mean()), 4), "accuracy": round(float(correct[m].mean()), 4),
            })  # fmt: skip
    return rows


def diagnose(y, proba, groups, slices: dict[str, list] | None = None) -> dict:
    """The three views together, as ``fazhi evaluate --json`` carries them."""
    out = {"worst_report": worst_report(y, proba, groups), "reliability": reliability(y, proba)}
    out["slices"] = {column: by_slice(y, proba, values) for column, values in (slices or {}).items()}
    return out


def contrast_scores(model, path: str) -> dict:
    """Share right of one-sentence cases (``text,label,contrary_section``), each read alone
    and again under a heading that points elsewhere; and the cases each way gets wrong."""
    from fazhi.errors import FazhiError
    from fazhi.labels.rows import read_csv
    from fazhi.learning.records import report_records
    from fazhi.units.segment import make_unit

    columns, rows, _ = read_csv(path)
    if "contrary_section" not in columns:
        raise FazhiError("a contrast file needs a contrary_section column", path)
    classes = [str(c) for c in model.classes_]
    out = {"n": len(rows)}
    for mode in ("alone", "contrary"):
        records = [
            report_records([make_unit(doc_id=f"contrast#{i}", sent_id=0, text=r["text"].strip(),
                                      section=r["contrary_section"].strip() if mode == "contrary" else "")])[0]
            for i, r in enumerate(rows)
        ]  # fmt: skip
        predicted = [classes[k] for k in np.asarray(model.predict_proba(records)).argmax(axis=1)]
        wrong = [r.get("case_id") or r["text"] for r, p in zip(rows, predicted) if p != r["label"].strip()]
        out[mode] = round(1 - len(wrong) / len(rows), 4)
        out[f"{mode}_wrong"] = wrong
    return out
