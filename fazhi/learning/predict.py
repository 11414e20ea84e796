"""Classify reports: units to predictions with confidence, probabilities and figures."""
import numpy as np

from fazhi.learning.records import records_by_report
from fazhi.vocab import LABELS, Prediction, Report, Unit


def predict_units(model, units: list[Unit], *, min_confidence: float = 0.0, blind: bool = False) -> list[Prediction]:
    """Predictions for the content units of one or more reports, in one batch."""
    records, index = records_by_report(units, blind=blind)
    if not records:
        return []
    from fazhi.learning.pipeline import one_blas_thread

    with one_blas_thread():
        proba = model.predict_proba(records)
    classes = [str(c) for c in model.classes_]
    cols = [classes.index(lab) if lab in classes else None for lab in LABELS]
    out = []
    for row, i in zip(proba, index):
        u = units[i]
        p = [float(row[c]) if c is not None else 0.0 for c in cols]
        best = int(np.argmax(p))
        label = LABELS[best]
        out.append(
            Prediction(
                doc_id=u.doc_id,
                sent_id=u.sent_id,
                section=u.section,
                text=u.text,
                label=label,
                confidence=round(p[best], 4),
                **{f"p_{lab}": round(p[k], 4) for k, lab in enumerate(LABELS)},
                figures=list(u.figures) if label == "metric" else [],
                uncertain=round(p[best], 4) < min_confidence,  # the confidence shown decides
            )
        )
    return out


def classify(reports: list[Report], model=None, *, min_confidence: float = 0.0) -> list[Prediction]:
    """Predictions for every content unit of the reports (the shipped model by default)."""
    if model is None:
        from fazhi.learning.store import load_model

        model, _ = load_model()
    units = [u for r in reports for u in r.units]
    return predict_units(model, units, min_confidence=min_confidence)
