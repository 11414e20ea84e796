"""Why the model says what it says: the linear weights behind a prediction.

The classifier is a logistic regression wrapped in probability calibration.
Calibration rescales scores but the words that push a unit one way or the other
are the logistic regression's: its coefficients, averaged over the calibrated
folds, aligned with the names of the features the pipeline builds.

Nothing here knows the feature set: names come from ``get_feature_names_out``
and are made readable from the part name before ``__`` and the transformer
that made them, so new parts of the FeatureUnion are explained as they come.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fazhi.errors import FazhiError


@dataclass
class LinearModel:
    """The averaged linear model: ``score[c] = coef[c] · x + intercept[c]``."""

    classes: list[str]
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray  # (classes,)


def _classifier(pipeline):
    return pipeline.steps[-1][1] if hasattr(pipeline, "steps") else pipeline


def _featurizer(pipeline):
    """The step whose output columns the classifier weighs (it names them)."""
    if hasattr(pipeline, "named_steps") and "features" in pipeline.named_steps:
        return pipeline.named_steps["features"]
    return pipeline.steps[-2][1]


def transform(pipeline, records: list[dict]):
    """The feature matrix the classifier sees: every step before it, in order."""
    X = records
    for _, step in pipeline.steps[:-1]:
        if step is not None and step != "passthrough":
            X = step.transform(X)
    return X


def _rows_by_class(estimator, classes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """An estimator's coef_ and intercept_ as one row per class of ``classes``."""
    coef = np.asarray(estimator.coef_.toarray() if hasattr(estimator.coef_, "toarray") else estimator.coef_, dtype=float)
    intercept = np.asarray(estimator.intercept_, dtype=float).reshape(-1)
    own = [str(c) for c in estimator.classes_]
    if coef.shape[0] == 1 and len(own) == 2:  # binary: one row scores the second class against the first
        coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
        intercept = np.array([0.0, intercept[0]])
    if set(own) != set(classes):
        raise FazhiError(f"a calibrated fold saw classes {own}, the model {classes}: cannot average its weights")
    order = [own.index(c) for c in classes]
    return coef[order], intercept[order]


def linear_model(pipeline) -> LinearModel:
    """The linear weights of the pipeline's classifier, averaged over its calibrated folds."""
    clf = _classifier(pipeline)
    classes = [str(c) for c in getattr(clf, "classes_", [])]
    fitted = getattr(clf, "calibrated_classifiers_", None)
    estimators = [cc.estimator for cc in fitted] if fitted else [clf]
    if not classes or not all(hasattr(e, "coef_") for e in estimators):
        raise FazhiError(f"the model's classifier ({type(clf).__name__}) has no linear weights to explain")
    pairs = [_rows_by_class(e, classes) for e in estimators]
    coef = np.mean([c for c, _ in pairs], axis=0)
    intercept = np.mean([b for _, b in pairs], axis=0)
    return LinearModel(classes, coef, intercept)


# --- feature names ----------------------------------------------------------------


def _part_transformers(featurizer) -> dict:
    parts = getattr(featurizer, "transformer_list", None)
    if parts is None and hasattr(featurizer, "steps"):  # a Pipeline ending in a FeatureUnion
        parts = getattr(featurizer.steps[-1][1], "transformer_list", None)
    return dict(parts or [])


def _describe_part(transformer) -> tuple[str | None, str | None]:
    """(analyzer, field) of a part: its vectorizer's analyzer and the record field it reads."""
    steps = [s for _, s in transformer.steps] if hasattr(transformer, "steps") else [transformer]
    analyzer = field = None
    for step in steps:
        if hasattr(step, "analyzer") and hasattr(step, "vocabulary_"):
            a = step.analyzer
            analyzer = a if isinstance(a, str) else "word"
        if isinstance(getattr(step, "key", None), str):
            field = step.key
    return analyzer, field


def _empty_token() -> str:
    from fazhi.learning.pipeline import NONE

    return NONE


def readable(part: str, name: str, analyzer: str | None, field: str | None) -> str:
    """``char n-gram 「不足」``, ``word 「下一步」``, ``section char n-gram 「问题」``, ``section empty``,
    ``stats has_figure``."""
    if analyzer:
        if field and name == _empty_token():  # the token standing in for an empty field
            return f"{field} empty"
        kind = "char n-gram" if analyzer.startswith("char") else ("words" if " " in name else "word")
        where = "" if field in (None, "text") else f"{field} "
        return f"{where}{kind} 「{name}」"
    if name.startswith(part + "__"):
        name = name[len(part) + 2 :]
    return f"{part} {name}".strip()


def feature_table(pipeline) -> list[dict]:
    """One entry per feature column: its raw name, its part, its name inside the part, a readable name."""
    featurizer = _featurizer(pipeline)
    try:
        raw = [str(n) for n in featurizer.get_feature_names_out()]
    except (AttributeError, ValueError) as e:
        raise FazhiError(f"the model's features have no names: {e}") from None
    parts = _part_transformers(featurizer)
    described = {name: _describe_part(t) for name, t in parts.items()}
    out = []
    for feature in raw:
        part, sep, name = feature.partition("__")
        if not sep:
            part, name = "", feature
        analyzer, field = described.get(part, (None, None))
        out.append({"feature": feature, "part": part, "name": name, "display": readable(part, name, analyzer, field)})
    return out


def _check(names: list[dict], linear: LinearModel) -> None:
    if len(names) != linear.coef.shape[1]:
        raise FazhiError(
            f"the model's {linear.coef.shape[1]} weights do not match the {len(names)} features this code "
            "builds: it was saved by older code; retrain it"
        )


# --- explaining one sentence ----------------------------------------------------------


def check_sentence(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise FazhiError("empty sentence: give the text to explain")
    return text


def sentence_record(text: str, section: str = "") -> dict:
    """The feature record of ``text`` as a report of one unit under ``section``."""
    from fazhi.learning.records import report_records
    from fazhi.units.segment import make_unit

    unit = make_unit(doc_id="-", sent_id=0, text=check_sentence(text), section=(section or "").strip())
    return report_records([unit])[0]


def unit_in_report(report, text: str) -> tuple[list, int, object]:
    """(records of the report, the index of the record of the unit holding ``text``, that
    unit): the unit whose text is ``text``, else the one unit containing it."""
    from fazhi.learning.records import records_by_report

    text = check_sentence(text)
    records, index = records_by_report(report.units)
    texts = [report.units[i].text.strip() for i in index]
    found = [k for k, t in enumerate(texts) if t == text] or [k for k, t in enumerate(texts) if text in t]
    if len(found) != 1:
        what = "no sentence" if not found else f"{len(found)} sentences"
        raise FazhiError(f"{what} of the report hold(s) this text: give one sentence as classify prints it", report.doc_id)
    return records, found[0], report.units[index[found[0]]]


def how_classify_reads(pipeline, records: list, i: int) -> dict:
    """Unit ``i`` of one report's ``records`` as classify labels it: its probabilities read
    with its context and alone, which reading was taken (a sentence clear alone overrides
    its context), and what block decoding over the report's units made of it."""
    classes = [str(c) for c in pipeline.classes_]
    probs = lambda row: {c: float(p) for c, p in zip(classes, row)}  # noqa: E731
    if not hasattr(pipeline, "stages"):
        p = probs(pipeline.predict_proba(records)[i])
        return {"context": p, "alone": None, "read": "context", "before_decoding": p, "final": p, "decoded": False, "units": len(records)}
    stages = pipeline.stages(records)
    alone = stages["alone"] is not None and bool(stages["clear"][i])
    return {
        "context": probs(stages["context"][i]),
        "alone": None if stages["alone"] is None else probs(stages["alone"][i]),
        "sentence_first": float(pipeline.sentence_first),
        "read": "alone" if alone else "context",
        "before_decoding": probs(stages["chosen"][i]),
        "final": probs(stages["final"][i]),
        "decoded": bool(pipeline.decode and len(records) > 1),
        "units": len(records),
    }


def contributions(pipeline, record: dict, label: str, runner_up: str, linear: LinearModel | None = None):
    """(feature columns, values, contributions) of the features present in ``record``:
    contribution = (coef[label] - coef[runner_up]) * value."""
    linear = linear or linear_model(pipeline)
    x = transform(pipeline, [record])
    x = x.tocsr() if hasattr(x, "tocsr") else np.asarray(x)
    if hasattr(x, "indices"):
        cols, values = x.indices.copy(), x.data.astype(float)
    else:
        row = np.asarray(x, dtype=float).reshape(-1)
        cols = np.flatnonzero(row)
        values = row[cols]
    a, b = linear.classes.index(label), linear.classes.index(runner_up)
    weight = linear.coef[a, cols] - linear.coef[b, cols]
    return cols, values, weight * values, weight


def explain_sentence(
    pipeline, text: str, *, section: str = "", top: int = 10, label: str | None = None, report=None, reading: str | None = None
) -> dict:  # fmt: skip
    """Which features pushed ``text`` toward the label classify gives it and away from the runner-up.

    The label and probabilities are classify's: the sentence as a report of one unit
    under ``section``, or with ``report`` (a Report) the unit of that report holding the
    text, block-decoded with its neighbours. The features explained are those of the
    reading classify took: the sentence alone when it is clear alone, else with its
    context (``reading`` "context" or "alone" picks one). ``how`` says each step;
    ``label`` explains another label (against the most probable other label).
    """
    if report is not None:
        records, i, unit = unit_in_report(report, text)
        section = unit.section
    else:
        records, i = [sentence_record(text, section)], 0
    linear = linear_model(pipeline)
    names = feature_table(pipeline)
    _check(names, linear)
    try:
        how = how_classify_reads(pipeline, records, i)
    except Exception as e:  # a model pickled by older code, say
        raise FazhiError(f"the model cannot score the sentence ({type(e).__name__}: {e}); retrain it") from None
    read = reading or how["read"]
    record = records[i].blind() if read == "alone" else records[i]
    ranked = sorted(how["final"].items(), key=lambda cp: -cp[1])
    if label is not None and label not in how["final"]:
        raise FazhiError(f"unknown label {label!r} (one of {', '.join(how['final'])})")
    predicted = ranked[0][0]
    label = label or predicted
    runner_up = next((c for c, _ in ranked if c != label), label)
    if runner_up == label:
        raise FazhiError(f"cannot explain {label} against itself")
    cols, values, contrib, weight = contributions(pipeline, record, label, runner_up, linear)
    scores = {c: float(linear.coef[k, cols] @ values + linear.intercept[k]) for k, c in enumerate(linear.classes)}
    entry = lambda k: {**names[cols[k]], "value": round(float(values[k]), 6), "weight": round(float(weight[k]), 6), "contribution": round(float(contrib[k]), 6)}  # noqa: E731
    order = np.argsort(-contrib, kind="stable")
    a, b = linear.classes.index(label), linear.classes.index(runner_up)
    return {
        "text": text.strip(),
        "section": (section or "").strip(),
        "label": label,
        "runner_up": runner_up,
        "predicted": predicted,
        "probabilities": {c: round(p, 4) for c, p in ranked},
        "how": {**how, "explained": read},
        "linear": {
            "scores": {c: round(s, 6) for c, s in scores.items()},
            "difference": round(scores[label] - scores[runner_up], 6),  # label minus runner-up
            "intercept_difference": round(float(linear.intercept[a] - linear.intercept[b]), 6),
            "features_sum": round(float(contrib.sum()), 6),
            "features": int(len(cols)),
        },
        "toward": [entry(k) for k in order if contrib[k] > 0][:top],
        "away": [entry(k) for k in order[::-1] if contrib[k] < 0][:top],
    }


def top_features(pipeline, *, n: int = 10) -> dict:
    """The ``n`` features with the largest averaged weight for each label."""
    linear = linear_model(pipeline)
    names = feature_table(pipeline)
    _check(names, linear)
    out = {}
    for i, label in enumerate(linear.classes):
        order = np.argsort(-linear.coef[i], kind="stable")[:n]
        out[label] = [{**names[k], "weight": round(float(linear.coef[i, k]), 6)} for k in order]
    return {"labels": linear.classes, "intercept": dict(zip(linear.classes, map(float, linear.intercept))), "top": out}
