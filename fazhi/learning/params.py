"""A fitted model as plain data, and the model rebuilt from it.

``export(pipeline)`` turns a fitted ``BlockPipeline`` into a dict of plain data: ``spec``,
JSON text with the pipeline's shape, each estimator's options (the hyper-parameters:
the union's weights, C, the n-gram ranges, the decoding's power ...), each
vectorizer's vocabulary, the classes and the training counts; and ``arrays``, plain
numpy arrays: each vectorizer's idf, each calibration fold's coefficients, intercepts
and classes' sigmoid calibrators (a and b), and the block decoding's transitions,
start and prior.

``rebuild(data)`` makes an equivalent fitted pipeline from them. The model file holds
no scikit-learn object, so it loads the same under every scikit-learn release fazhi
allows; options a release does not know are left out (they only matter when fitting).
"""
import inspect
import json

import numpy as np

from fazhi.errors import FazhiError

FUNCTIONS = {"fazhi.learning.words.jieba_words"}  # the functions a stored option may name


def _classes() -> dict:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    from fazhi.learning.decode import BlockPipeline
    from fazhi.learning.features import ContextDropout, Cues, Field, Stats

    return {
        c.__name__: c
        for c in (BlockPipeline, Pipeline, FeatureUnion, CalibratedClassifierCV, LogisticRegression, TfidfVectorizer,
                  ContextDropout, Cues, Field, Stats)
    }  # fmt: skip


# --- options --------------------------------------------------------------------------


def _plain(value, where: str):
    """An option value as JSON: functions by name, types by dtype name, tuples tagged."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, tuple):
        return {"tuple": [_plain(v, where) for v in value]}
    if isinstance(value, dict):
        return {"dict": {str(k): _plain(v, where) for k, v in value.items()}}
    if isinstance(value, type) and issubclass(value, np.generic):
        return {"dtype": np.dtype(value).name}
    if callable(value):
        name = f"{value.__module__}.{value.__qualname__}"
        if name in FUNCTIONS:
            return {"function": name}
    raise FazhiError(f"cannot store the option {where}={value!r} as plain data")


def _unplain(value):
    if not isinstance(value, dict):
        return value
    if "tuple" in value:
        return tuple(_unplain(v) for v in value["tuple"])
    if "dict" in value:
        return {k: _unplain(v) for k, v in value["dict"].items()}
    if "dtype" in value:
        return np.dtype(value["dtype"]).type
    module, _, name = value["function"].rpartition(".")
    if value["function"] not in FUNCTIONS:
        raise FazhiError(f"the model names an unknown function {value['function']}")
    from importlib import import_module

    return getattr(import_module(module), name)


def _accepted(cls) -> set[str]:
    return {p for p in inspect.signature(cls.__init__).parameters if p != "self"}


def _options(est, skip=()) -> dict:
    """The estimator's own options as JSON: every one of fazhi's estimators (their defaults
    follow ``hyper.DEFAULTS``, which may change); of scikit-learn's, those that differ from
    the class's defaults (a default may be a release's placeholder, such as "deprecated")."""
    cls = type(est)
    every = cls.__module__.startswith("fazhi.")
    defaults = {k: p.default for k, p in inspect.signature(cls.__init__).parameters.items()}
    out = {}
    for key, value in est.get_params(deep=False).items():
        if key in skip:
            continue
        default = defaults.get(key, inspect.Parameter.empty)
        if not every and default is not inspect.Parameter.empty and _same(value, default):
            continue
        out[key] = _plain(value, f"{cls.__name__}.{key}")
    return out


def _same(a, b) -> bool:
    try:
        return bool(a == b) and type(a) is type(b)
    except (TypeError, ValueError):
        return False


def _make(name: str, options: dict, **given):
    cls = _classes()[name]
    accepted = _accepted(cls)
    kwargs = {k: _unplain(v) for k, v in options.items() if k in accepted}
    return cls(**given, **kwargs)


# --- export ---------------------------------------------------------------------------


def export(pipeline, *, format_version: int) -> dict:
    """The fitted ``pipeline`` as ``{"format", "spec" (JSON text), "arrays"}``."""
    arrays: dict[str, np.ndarray] = {}
    spec = _spec(pipeline, "model", arrays)
    counts = getattr(pipeline, "training_counts_", None)
    spec["training_counts"] = {str(k): int(v) for k, v in counts.items()} if counts else None
    for key, value in (("transitions", pipeline.transitions_), ("start", pipeline.start_), ("prior", pipeline.prior_)):
        arrays[f"decode/{key}"] = np.asarray(value, dtype=float)
    return {"format": format_version, "spec": json.dumps(spec, ensure_ascii=False, sort_keys=True), "arrays": arrays}


def _spec(est, path: str, arrays: dict) -> dict:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline

    name = type(est).__name__
    if name not in _classes():
        raise FazhiError(f"cannot store a {name} as plain data")
    if isinstance(est, FeatureUnion):
        parts = [[n, _spec(t, f"{path}/{n}", arrays)] for n, t in est.transformer_list]
        return {"class": name, "options": _options(est, skip={"transformer_list"}), "parts": parts}
    if isinstance(est, Pipeline):
        steps = [[n, _spec(s, f"{path}/{n}", arrays)] for n, s in est.steps]
        return {"class": name, "options": _options(est, skip={"steps"}), "steps": steps}
    if isinstance(est, CalibratedClassifierCV):
        return _calibrated_spec(est, path, arrays)
    spec = {"class": name, "options": _options(est)}
    if isinstance(est, TfidfVectorizer):
        spec["vocabulary"] = sorted(est.vocabulary_, key=est.vocabulary_.get)
        arrays[f"{path}/idf"] = np.asarray(est.idf_, dtype=float)
    return spec


def _calibrated_spec(clf, path: str, arrays: dict) -> dict:
    folds = []
    for k, cc in enumerate(clf.calibrated_classifiers_):
        if cc.method != "sigmoid":
            raise FazhiError(f"only sigmoid calibration can be stored, not {cc.method}")
        est = cc.estimator
        arrays[f"{path}/{k}/coef"] = np.asarray(est.coef_, dtype=float)
        arrays[f"{path}/{k}/intercept"] = np.asarray(est.intercept_, dtype=float)
        arrays[f"{path}/{k}/a"] = np.asarray([c.a_ for c in cc.calibrators], dtype=float)
        arrays[f"{path}/{k}/b"] = np.asarray([c.b_ for c in cc.calibrators], dtype=float)
        folds.append({"classes": [str(c) for c in est.classes_]})
    return {
        "class": type(clf).__name__,
        "options": _options(clf, skip={"estimator", "base_estimator"}),
        "estimator": {"class": type(clf.estimator).__name__, "options": _options(clf.estimator)},
        "classes": [str(c) for c in clf.classes_],
        "folds": folds,
    }


# --- rebuild --------------------------------------------------------------------------


def rebuild(data: dict):
    """An equivalent fitted pipeline from ``export``'s data."""
    spec, arrays = json.loads(data["spec"]), data["arrays"]
    pipeline = _build(spec, "model", arrays)
    pipeline.transitions_ = np.asarray(arrays["decode/transitions"])
    pipeline.start_ = np.asarray(arrays["decode/start"])
    pipeline.prior_ = np.asarray(arrays["decode/prior"])
    if spec.get("training_counts"):
        pipeline.training_counts_ = spec["training_counts"]
    return pipeline


def _build(spec: dict, path: str, arrays: dict):
    name = spec["class"]
    if name == "FeatureUnion":
        parts = [(n, _build(s, f"{path}/{n}", arrays)) for n, s in spec["parts"]]
        return _make(name, spec["options"], transformer_list=parts)
    if "steps" in spec:
        steps = [(n, _build(s, f"{path}/{n}", arrays)) for n, s in spec["steps"]]
        return _make(name, spec["options"], steps=steps)
    if name == "CalibratedClassifierCV":
        return _build_calibrated(spec, path, arrays)
    est = _make(name, spec["options"])
    if name == "TfidfVectorizer":
        est.vocabulary_ = {term: i for i, term in enumerate(spec["vocabulary"])}
        est.idf_ = np.asarray(arrays[f"{path}/idf"])  # the setter also checks the vocabulary's size
    return est


def _build_calibrated(spec: dict, path: str, arrays: dict):
    from sklearn.calibration import _CalibratedClassifier, _SigmoidCalibration

    lr = spec["estimator"]
    clf = _make(spec["class"], spec["options"], estimator=_make(lr["class"], lr["options"]))
    clf.classes_ = np.asarray(spec["classes"])
    fitted = []
    for k, fold in enumerate(spec["folds"]):
        est = _make(lr["class"], lr["options"])
        est.coef_ = np.asarray(arrays[f"{path}/{k}/coef"])
        est.intercept_ = np.asarray(arrays[f"{path}/{k}/intercept"])
        est.classes_ = np.asarray(fold["classes"])
        est.n_features_in_ = est.coef_.shape[1]
        calibrators = []
        for a, b in zip(arrays[f"{path}/{k}/a"], arrays[f"{path}/{k}/b"]):
            calibrator = _SigmoidCalibration()
            calibrator.a_, calibrator.b_ = a, b
            calibrators.append(calibrator)
        fitted.append(_CalibratedClassifier(est, calibrators, classes=clf.classes_, method="sigmoid"))
    clf.calibrated_classifiers_ = fitted
    clf.n_features_in_ = fitted[0].estimator.n_features_in_ if fitted else 0
    return clf
