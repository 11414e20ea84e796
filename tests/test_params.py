"""The model file: fitted parameters as plain arrays and JSON, the Pipeline rebuilt at load."""
import json

import joblib
import numpy as np
import pytest

from conftest import ROOT, SEEDS, assert_clean_error, run_cli
from fazhi.errors import FazhiError
from fazhi.labels.load import load_labels
from fazhi.learning.params import export, rebuild
from fazhi.learning.pipeline import build_pipeline, one_blas_thread
from fazhi.learning.records import records_by_report
from fazhi.learning.store import FORMAT_VERSION, MODEL_FILE, load_model, sha256_file
from fazhi.learning.train import train, training_data

SEEDS_CSV = str(ROOT / "labels" / "seeds.csv")


@pytest.fixture(scope="module")
def fitted():
    """A pipeline fitted here, with every context part on, so every kind of part is stored."""
    X, y, _ = training_data(load_labels([SEEDS_CSV]))
    pipeline = build_pipeline(seed=1, use_neighbours=True, use_position=True, use_year=True, C=2.0)
    with one_blas_thread():
        pipeline.fit(X[:300], y[:300])  # the first reports: every label, quick
    pipeline.training_counts_ = {"plan": 1}
    return pipeline


def seed_records(seed_reports):
    units = [u for r in seed_reports.values() for u in r.units]
    return records_by_report(units)[0]


def plain(value) -> bool:
    """Only JSON-like values and numeric numpy arrays: no object of any library."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fiub"
    return value is None or isinstance(value, (str, int, float, bool))


def test_rebuilt_pipeline_gives_identical_probabilities(fitted, seed_reports):
    records = seed_records(seed_reports)
    data = export(fitted, format_version=FORMAT_VERSION)
    assert plain(data)
    again = rebuild(data)
    assert type(again) is type(fitted) and again is not fitted
    assert np.allclose(again.predict_proba(records), fitted.predict_proba(records), atol=1e-9, rtol=0)
    assert list(again.classes_) == list(fitted.classes_)
    assert again.training_counts_ == {"plan": 1}
    assert options(again) == options(fitted)


def options(pipeline) -> dict:
    """Every option of every estimator in the pipeline (functions and types by name)."""
    out = {}
    for key, value in pipeline.get_params(deep=True).items():
        if callable(value) and not hasattr(value, "get_params"):
            out[key] = value.__name__
        elif value is None or isinstance(value, (str, int, float, bool, tuple, dict)):
            out[key] = value
    return out


def test_rebuilt_pipeline_explains_like_the_fitted_one(fitted):
    from fazhi.learning.explain import linear_model, top_features

    again = rebuild(export(fitted, format_version=FORMAT_VERSION))
    assert np.array_equal(linear_model(again).coef, linear_model(fitted).coef)
    assert top_features(again, n=5) == top_features(fitted, n=5)


def test_the_model_file_holds_plain_data_only(tmp_path):
    model_dir = tmp_path / "m"
    train([SEEDS_CSV], str(model_dir), seed=0, search=False, cv=False)
    data = joblib.load(model_dir / MODEL_FILE)
    assert plain(data) and data["format"] == FORMAT_VERSION
    spec = json.loads(data["spec"])
    assert spec["class"] == "BlockPipeline"
    assert {"decode/transitions", "decode/start", "decode/prior"} <= set(data["arrays"])
    assert any(key.endswith("/idf") for key in data["arrays"])


def test_a_model_of_the_previous_format_is_one_line_with_the_retrain_command(tmp_path, fitted):
    """Format 2 was the pickled Pipeline: fazhi does not unpickle it, it says how to retrain."""
    model_dir = tmp_path / "old"
    model_dir.mkdir()
    joblib.dump(fitted, model_dir / MODEL_FILE)
    card = {"format": 2, "model_sha256": sha256_file(str(model_dir / MODEL_FILE)), "retrain": f"fazhi train {SEEDS_CSV} -o {model_dir}"}
    (model_dir / "card.json").write_text(json.dumps(card), encoding="utf-8")
    proc = run_cli("classify", SEEDS[0], "--model", model_dir)
    assert_clean_error(proc, f"model of format 2, this fazhi reads format {FORMAT_VERSION}", f"retrain it: fazhi train {SEEDS_CSV} -o {model_dir} --force")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_pickled_pipeline_under_the_current_format_is_refused(tmp_path, fitted):
    model_dir = tmp_path / "m"
    train([SEEDS_CSV], str(model_dir), seed=0, search=False, cv=False)
    path = model_dir / MODEL_FILE
    joblib.dump(fitted, path)  # an object, not plain data
    card = json.loads((model_dir / "card.json").read_text(encoding="utf-8"))
    card["model_sha256"] = sha256_file(str(path))
    (model_dir / "card.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(FazhiError, match="cannot load the model"):
        load_model(str(model_dir))


def test_isotonic_calibration_cannot_be_stored():
    X, y, _ = training_data(load_labels([SEEDS_CSV]))
    with one_blas_thread():
        pipeline = build_pipeline(calibration="isotonic").fit(X[:300], y[:300])
    with pytest.raises(FazhiError, match="only sigmoid calibration"):
        export(pipeline, format_version=FORMAT_VERSION)
