"""Classify reports: units to predictions with confidence, probabilities and figures."""
from dataclasses import asdict, dataclass, field

import numpy as np

from fazhi.context import records_by_report
from fazhi.figures import find_figures
from fazhi.model import LABELS
from fazhi.units import Report, Unit


@dataclass
class Prediction:
    doc_id: str
    sent_id: int
    section: str
    text: str
    label: str
    confidence: float
    p_achievement: float
    p_metric: float
    p_problem: float
    p_plan: float
    figures: list[str] = field(default_factory=list)
    uncertain: bool = False

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def probabilities(self) -> dict[str, float]:
        return {lab: getattr(self, f"p_{lab}") for lab in LABELS}


def predict_units(model, units: list[Unit], min_confidence: float = 0.0, blind: bool = False) -> list[Prediction]:
    """Predictions for the content units of one or more reports, in one batch."""
    records, index = records_by_report(units, blind=blind)
    if not records:
        return []
    from fazhi.model import one_blas_thread

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
                p_achievement=round(p[0], 4),
                p_metric=round(p[1], 4),
                p_problem=round(p[2], 4),
                p_plan=round(p[3], 4),
                figures=find_figures(u.text) if label == "metric" else [],
                uncertain=p[best] < min_confidence,
            )
        )
    return out


def classify(reports: list[Report], model=None, min_confidence: float = 0.0) -> list[Prediction]:
    """Predictions for every content unit of the reports (the shipped model by default)."""
    if model is None:
        from fazhi.store import load_model

        model, _ = load_model()
    units = [u for r in reports for u in r.units]
    return predict_units(model, units, min_confidence)


def summarize_predictions(predictions: list[Prediction]) -> dict[str, dict]:
    """Per report: units per bucket and how many are uncertain."""
    out: dict[str, dict] = {}
    for p in predictions:
        s = out.setdefault(p.doc_id, {"units": 0, **{lab: 0 for lab in LABELS}, "uncertain": 0})
        s["units"] += 1
        s[p.label] += 1
        s["uncertain"] += int(p.uncertain)
    return out
