"""The model folder: what is saved beside the model, and every reason a folder is refused,
each refusal compared whole, path included.

A small pipeline fitted here keeps these quick; the shipped model's own checks are in
test_bad_model_and_labels.py."""
import hashlib
import json
import os
import subprocess
import sys

import joblib
import pytest
import sklearn

from conftest import ROOT
from fazhi.errors import FazhiError
from fazhi.labels.load import load_labels
from fazhi.learning import store
from fazhi.learning.fingerprint import probe
from fazhi.learning.pipeline import build_pipeline, one_blas_thread
from fazhi.learning.store import (
    CARD_FILE,
    FORMAT_VERSION,
    MODEL_FILE,
    default_model_dir,
    load_model,
    retrain_command,
    save_model,
    sha256_file,
    shipped_model_dir,
)
from fazhi.learning.train import training_data
from fazhi.vocab import LABELS, Record


@pytest.fixture(scope="module")
def pipeline():
    X, y, _ = training_data(load_labels([str(ROOT / "labels" / "seeds.csv")]))
    fitted = build_pipeline(seed=0, C=2.0)
    with one_blas_thread():
        fitted.fit(X[:250], y[:250])
    return fitted


@pytest.fixture
def saved(tmp_path, pipeline):
    folder = tmp_path / "m"
    card = save_model(pipeline, {"labels": list(LABELS), "note": "法治", "retrain": "fazhi train a.csv -o m"}, str(folder))
    return folder, card


def edit(folder, **changes):
    path = folder / CARD_FILE
    card = json.loads(path.read_text(encoding="utf-8"))
    card.update(changes)
    path.write_text(json.dumps(card), encoding="utf-8")


def refusal(folder) -> str:
    with pytest.raises(FazhiError) as e:
        load_model(str(folder))
    return str(e.value)


# --- saved and loaded ---------------------------------------------------------------------


def test_sha256_of_a_file_larger_than_a_block(tmp_path):
    data = os.urandom((1 << 20) + 12345)
    path = tmp_path / "big"
    path.write_bytes(data)
    assert sha256_file(str(path)) == hashlib.sha256(data).hexdigest()


def test_save_writes_model_and_card_and_load_checks_them(saved, pipeline):
    folder, card = saved
    assert sorted(os.listdir(folder)) == [CARD_FILE, MODEL_FILE]
    assert json.loads((folder / CARD_FILE).read_text(encoding="utf-8")) == card
    assert card["note"] == "法治" and card["labels"] == list(LABELS)  # the card given is kept
    assert card["format"] == FORMAT_VERSION and card["model_file"] == MODEL_FILE
    assert card["model_sha256"] == sha256_file(str(folder / MODEL_FILE))
    assert card["probe"] == probe(pipeline)
    model, loaded = load_model(str(folder))
    assert loaded == card
    assert probe(model) == card["probe"]  # the rebuilt model answers as the fitted one
    record = Record(text="下一步，将加强执法队伍建设。")
    assert model.predict_proba([record]).tolist() == pipeline.predict_proba([record]).tolist()


def test_the_card_is_written_readably(saved):
    text = (saved[0] / CARD_FILE).read_text(encoding="utf-8")
    assert '\n  "labels": [\n' in text and text.endswith("}\n")  # indented, one line at the end
    assert '"note": "法治"' in text  # not \\u escapes


def test_the_model_file_is_compressed(saved):
    """zlib-compressed: the shipped model is kept in git."""
    assert (saved[0] / MODEL_FILE).read_bytes()[:1] == b"\x78"  # a zlib stream, not a bare pickle (\x80)


def test_saving_again_replaces_the_folder_whole(saved, pipeline):
    folder, _ = saved
    (folder / "stray.txt").write_text("x", encoding="utf-8")
    card = save_model(pipeline, {"note": "again"}, str(folder))
    assert sorted(os.listdir(folder)) == [CARD_FILE, MODEL_FILE]
    assert load_model(str(folder))[1] == card and "labels" not in card


def test_a_card_may_name_its_model_file(saved):
    folder, _ = saved
    os.rename(folder / MODEL_FILE, folder / "other.joblib")
    edit(folder, model_file="other.joblib")
    assert load_model(str(folder))[1]["model_file"] == "other.joblib"


ASCII_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": "ascii"}


def test_a_card_written_and_read_under_any_locale(saved, pipeline, tmp_path):
    """The card is UTF-8 whatever the locale's encoding (here ASCII), both ways."""
    joblib.dump(pipeline, tmp_path / "fitted.joblib")
    code = (
        "import sys, joblib; from fazhi.learning import store\n"
        "store.save_model(joblib.load(sys.argv[1]), {'note': '\\u6cd5\\u6cbb'}, sys.argv[2])\n"
        "print(store.load_model(sys.argv[3])[1]['note'] == '\\u6cd5\\u6cbb')\n"
    )
    env = {**os.environ, **ASCII_LOCALE}
    args = [str(tmp_path / "fitted.joblib"), str(tmp_path / "written"), str(saved[0])]
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout.strip() == "True", proc.stderr[-2000:]
    assert '"note": "法治"' in (tmp_path / "written" / CARD_FILE).read_text(encoding="utf-8")
    assert load_model(str(tmp_path / "written"))[1]["note"] == "法治"  # and here, in the test's own process


def test_a_card_without_model_file_or_retrain_command(saved):
    """Cards of older models name neither: the default file, the template command."""
    folder, card = saved
    del card["model_file"], card["retrain"]
    (folder / CARD_FILE).write_text(json.dumps(card), encoding="utf-8")
    assert load_model(str(folder))[1] == card
    os.remove(folder / MODEL_FILE)
    assert refusal(folder) == f"{folder / MODEL_FILE}: model file missing (retrain: fazhi train LABELS.csv -o {folder} --force)"


def test_version_record():
    import jieba

    v = store.versions()
    assert v["scikit-learn"] == sklearn.__version__ and v["joblib"] == joblib.__version__ and v["jieba"] == jieba.__version__
    assert {"fazhi", "python", "numpy", "scipy"} <= set(v)


# --- which folder ---------------------------------------------------------------------------


def test_the_default_folder_is_fazhi_model_else_the_shipped_one(monkeypatch, tmp_path):
    monkeypatch.setenv("FAZHI_MODEL", str(tmp_path / "mine"))
    assert default_model_dir() == str(tmp_path / "mine")
    monkeypatch.setenv("FAZHI_MODEL", "")
    assert default_model_dir() == shipped_model_dir() == str(ROOT / "model")  # a clone: beside the package
    monkeypatch.delenv("FAZHI_MODEL")
    assert default_model_dir() == str(ROOT / "model")


def test_the_installed_model_comes_before_a_folder_beside_it(monkeypatch, tmp_path):
    """A wheel carries the model inside the package; a model/ beside an installed package
    (site-packages of a clone's venv) is someone else's."""
    monkeypatch.delenv("FAZHI_MODEL", raising=False)
    package = tmp_path / "site" / "fazhi"
    monkeypatch.setattr(store, "__file__", str(package / "learning" / "store.py"))
    assert shipped_model_dir() is None
    with pytest.raises(FazhiError) as e:
        default_model_dir()
    assert str(e.value) == "the shipped model is missing from this installation: reinstall fazhi, or give --model DIR"
    (tmp_path / "site" / "model").mkdir(parents=True)
    assert shipped_model_dir() is None  # a folder without a card is no model
    (tmp_path / "site" / "model" / CARD_FILE).write_text("{}", encoding="utf-8")
    assert shipped_model_dir() == str(tmp_path / "site" / "model")
    (package / "model").mkdir(parents=True)
    (package / "model" / CARD_FILE).write_text("{}", encoding="utf-8")
    assert shipped_model_dir() == default_model_dir() == str(package / "model")


def test_load_without_a_folder_uses_the_default(monkeypatch, saved):
    monkeypatch.setenv("FAZHI_MODEL", str(saved[0]))
    assert load_model()[1]["model_sha256"] == saved[1]["model_sha256"]


# --- refused ----------------------------------------------------------------------------


def test_no_folder(tmp_path):
    folder = tmp_path / "none"
    assert refusal(folder) == f"{folder}: no model folder (train one: fazhi train LABELS.csv -o {folder})"


def test_a_folder_without_a_card(tmp_path):
    assert refusal(tmp_path) == f"{tmp_path}: no card.json: not a fazhi model folder (train one: fazhi train LABELS.csv -o {tmp_path})"


def test_a_card_that_is_not_json(saved):
    (saved[0] / CARD_FILE).write_text("{not json", encoding="utf-8")
    message = refusal(saved[0])
    assert message.startswith(f"{saved[0] / CARD_FILE}: model card is not valid JSON: ") and "line 1" in message


@pytest.mark.parametrize("value", [None, "", "missing"])
def test_a_card_without_a_sha256(saved, value):
    if value == "missing":
        card = json.loads((saved[0] / CARD_FILE).read_text(encoding="utf-8"))
        del card["model_sha256"]
        (saved[0] / CARD_FILE).write_text(json.dumps(card), encoding="utf-8")
    else:
        edit(saved[0], model_sha256=value)
    assert refusal(saved[0]) == f"{saved[0] / CARD_FILE}: model card has no model_sha256: refusing to load an unchecked model"


def test_a_card_that_is_a_list(saved):
    (saved[0] / CARD_FILE).write_text("[1, 2]", encoding="utf-8")
    assert refusal(saved[0]).endswith("model card has no model_sha256: refusing to load an unchecked model")


def test_a_missing_model_file(saved):
    os.remove(saved[0] / MODEL_FILE)
    assert refusal(saved[0]) == f"{saved[0] / MODEL_FILE}: model file missing (retrain: fazhi train a.csv -o m --force)"


def test_a_model_file_that_does_not_match_its_card(saved):
    with open(saved[0] / MODEL_FILE, "ab") as f:
        f.write(b"\0")
    assert refusal(saved[0]) == f"{saved[0] / MODEL_FILE}: model file does not match the sha256 in its card; refusing to load it"


@pytest.mark.parametrize("fmt, shown", [(FORMAT_VERSION - 1, FORMAT_VERSION - 1), (None, None), ("missing", 1)])
def test_a_model_of_another_format(saved, fmt, shown):
    card = json.loads((saved[0] / CARD_FILE).read_text(encoding="utf-8"))
    if fmt == "missing":
        del card["format"]
    else:
        card["format"] = fmt
    (saved[0] / CARD_FILE).write_text(json.dumps(card), encoding="utf-8")
    assert refusal(saved[0]) == (
        f"{saved[0] / MODEL_FILE}: model of format {shown}, this fazhi reads format {FORMAT_VERSION}; "
        "retrain it: fazhi train a.csv -o m --force"
    )


@pytest.mark.parametrize("data", [b"not a joblib file", "pickled list"])
def test_a_damaged_model_file_that_matches_its_card(saved, data):
    path = saved[0] / MODEL_FILE
    if data == "pickled list":
        joblib.dump([1, 2], path)
    else:
        path.write_bytes(data)
    edit(saved[0], model_sha256=sha256_file(str(path)))
    message = refusal(saved[0])
    assert message.startswith(f"{path}: cannot load the model: ")
    assert "Traceback" not in message and "\n" not in message


def test_a_file_of_another_format_inside_is_refused(saved):
    """The card says this format, the file holds another: refused, not half-read."""
    path = saved[0] / MODEL_FILE
    data = joblib.load(path)
    joblib.dump({**data, "format": FORMAT_VERSION - 1}, path, compress=3)
    edit(saved[0], model_sha256=sha256_file(str(path)))
    assert refusal(saved[0]) == f"{path}: cannot load the model: ValueError"


# --- the retrain command --------------------------------------------------------------------


def test_the_retrain_command_replaces_its_folder():
    assert retrain_command({"retrain": "fazhi train a.csv -o m"}, "m") == "fazhi train a.csv -o m --force"
    assert retrain_command({"retrain": "fazhi train a.csv -o m --force"}, "m") == "fazhi train a.csv -o m --force"
    assert retrain_command({}, "dir") == "fazhi train LABELS.csv -o dir --force"
