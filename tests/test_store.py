"""The model folder: what is saved beside the model, and every reason a folder is refused.

A stand-in estimator keeps these fast; the shipped model's own checks are in
test_bad_model_and_labels.py."""
import hashlib
import json
import os
import re
import subprocess
import sys

import pytest
import sklearn
from sklearn.dummy import DummyClassifier

from conftest import ROOT
from fazhi.errors import FazhiError
from fazhi.learning import store
from fazhi.learning.store import CARD_FILE, FORMAT_VERSION, MODEL_FILE, default_model_dir, load_model, read_card, save_model, sha256_file
from fazhi.vocab import LABELS, Record


def estimator(prior=(0.4, 0.3, 0.2, 0.1)):
    """Predicts the same probabilities for every record."""
    y = [lab for lab, share in zip(LABELS, prior) for _ in range(round(share * 10))]
    return DummyClassifier(strategy="prior").fit([[0]] * len(y), y)


def model_classes():
    return sorted(LABELS)


@pytest.fixture
def saved(tmp_path):
    folder = tmp_path / "m"
    card = save_model(estimator(), {"labels": list(LABELS), "versions": store.versions(), "note": "kept"}, str(folder))
    return folder, card


def edit(folder, **changes):
    card = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    card.update(changes)
    (folder / CARD_FILE).write_text(json.dumps(card), encoding="utf-8")


def test_sha256_of_a_file_larger_than_a_block(tmp_path):
    data = os.urandom((1 << 20) + 12345)
    path = tmp_path / "big"
    path.write_bytes(data)
    assert sha256_file(str(path)) == hashlib.sha256(data).hexdigest()


def test_save_writes_model_and_card_and_load_checks_them(saved):
    folder, card = saved
    assert sorted(os.listdir(folder)) == [CARD_FILE, MODEL_FILE]
    on_disk = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    assert on_disk == card
    assert card["note"] == "kept" and card["labels"] == list(LABELS)  # the card given is kept
    assert card["format"] == FORMAT_VERSION and card["model_file"] == MODEL_FILE
    assert card["model_sha256"] == sha256_file(str(folder / MODEL_FILE))
    # the model's answers on the probe report, in its classes' order
    assert dict(zip(model_classes(), card["probe"][0])) == pytest.approx(dict(zip(LABELS, [0.4, 0.3, 0.2, 0.1])))
    assert (folder / CARD_FILE).read_text(encoding="utf-8").endswith("}\n")
    model, loaded = load_model(str(folder))
    assert loaded == card
    assert list(model.classes_) == model_classes()
    assert model.predict_proba([Record(text="加强执法。")])[0] == pytest.approx(card["probe"][0])


def test_the_card_is_written_readably(saved):
    text = (saved[0] / CARD_FILE).read_text(encoding="utf-8")
    assert '\n  "labels": [\n' in text  # indented
    edit(saved[0], note="法治")
    save_model(estimator(), {"note": "法治", "versions": store.versions()}, str(saved[0]))
    assert '"note": "法治"' in (saved[0] / CARD_FILE).read_text(encoding="utf-8")  # not \\u escapes


def test_a_card_may_name_its_model_file(saved):
    folder, card = saved
    os.rename(folder / MODEL_FILE, folder / "other.joblib")
    edit(folder, model_file="other.joblib")
    assert load_model(str(folder))[1]["model_file"] == "other.joblib"


def test_version_record():
    import jieba
    import joblib

    v = store.versions()
    assert v["scikit-learn"] == sklearn.__version__ and v["joblib"] == joblib.__version__ and v["jieba"] == jieba.__version__
    assert {"fazhi", "python", "numpy", "scipy"} <= set(v)


def test_default_model_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("FAZHI_MODEL", str(tmp_path / "mine"))
    assert default_model_dir() == str(tmp_path / "mine")
    monkeypatch.setenv("FAZHI_MODEL", "")
    assert default_model_dir() == str(ROOT / "model")  # beside the package
    monkeypatch.delenv("FAZHI_MODEL")
    assert default_model_dir() == str(ROOT / "model")


def test_default_model_folder_beside_or_inside_the_package(monkeypatch, tmp_path):
    """A checkout has model/ beside the package; an installed copy may have it inside."""
    monkeypatch.delenv("FAZHI_MODEL", raising=False)
    package = tmp_path / "site" / "fazhi"
    monkeypatch.setattr(store, "__file__", str(package / "learning" / "store.py"))
    assert default_model_dir() == str(tmp_path / "site" / "model")  # neither: where one would be trained
    (package / "model").mkdir(parents=True)
    (package / "model" / CARD_FILE).write_text("{}", encoding="utf-8")
    assert default_model_dir() == str(package / "model")
    (tmp_path / "site" / "model").mkdir()
    assert default_model_dir() == str(package / "model")  # a folder without a card is no model
    (tmp_path / "site" / "model" / CARD_FILE).write_text("{}", encoding="utf-8")
    assert default_model_dir() == str(tmp_path / "site" / "model")  # beside the package comes first


def test_a_card_in_any_locale(saved):
    """The card is UTF-8 whatever the locale's encoding (here ASCII)."""
    code = (
        "import sys; from sklearn.dummy import DummyClassifier; from fazhi.learning import store\n"
        "m = DummyClassifier().fit([[0]] * 4, ['achievement', 'metric', 'problem', 'plan'])\n"
        "store.save_model(m, {'note': '\\u6cd5\\u6cbb', 'versions': store.versions()}, sys.argv[1])\n"
        "print(store.load_model(sys.argv[1])[1]['note'] == '\\u6cd5\\u6cbb')\n"
    )
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run([sys.executable, "-c", code, str(saved[0])], capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout.strip() == "True", proc.stderr[-2000:]
    assert '"note": "法治"' in (saved[0] / CARD_FILE).read_text(encoding="utf-8")


def test_load_without_a_folder_uses_the_default(monkeypatch, saved):
    monkeypatch.setenv("FAZHI_MODEL", str(saved[0]))
    assert load_model()[1]["model_sha256"] == saved[1]["model_sha256"]


# --- refused -----------------------------------------------------------------------------


def refused(folder, *needles):
    """The FazhiError load_model raises, its message holding each of ``needles``."""
    with pytest.raises(FazhiError) as e:
        load_model(str(folder))
    for needle in needles:
        assert needle in e.value.message, (needle, e.value.message)
    return e.value


def test_no_folder(tmp_path):
    folder = tmp_path / "none"
    e = refused(folder, f"no model folder (train one: fazhi train labels/seeds.csv -o {folder})")
    assert (e.path, e.message) == (str(folder), f"no model folder (train one: fazhi train labels/seeds.csv -o {folder})")


def test_no_card(tmp_path):
    e = refused(tmp_path)
    assert (e.path, e.message) == (str(tmp_path), f"no card.json: not a fazhi model folder (train one: fazhi train labels/seeds.csv -o {tmp_path})")


@pytest.mark.parametrize("text", ["{not json", "\xff\xfe", "[1, 2]", '"text"', "{}", '{"model_sha256": ""}', '{"model_sha256": null}'])
def test_card_not_a_checked_card(tmp_path, text):
    (tmp_path / CARD_FILE).write_bytes(text.encode("latin-1"))
    with pytest.raises(FazhiError) as e:
        read_card(str(tmp_path))
    message = e.value.message
    assert e.value.path == str(tmp_path / CARD_FILE)
    if text.startswith(("{not", "\xff")):
        assert message.startswith("model card is not valid JSON: ") and len(message) > len("model card is not valid JSON: ")
    else:
        assert message == "model card has no model_sha256: refusing to load an unchecked model"


def test_model_file_missing(saved):
    folder, _ = saved
    os.remove(folder / MODEL_FILE)
    e = refused(folder)
    assert (e.path, e.message) == (str(folder / MODEL_FILE), f"model file missing (retrain: fazhi train labels/seeds.csv -o {folder})")
    edit(folder, retrain="fazhi train mine.csv -o m")
    assert refused(folder).message == "model file missing (retrain: fazhi train mine.csv -o m)"


def test_model_file_changed(saved):
    folder, _ = saved
    (folder / MODEL_FILE).write_bytes(b"\x80\x04N.")  # a pickle of None, not the one the card names
    e = refused(folder)
    assert (e.path, e.message) == (str(folder / MODEL_FILE), "model file does not match the sha256 in its card; refusing to load it")


def test_a_card_without_model_file_names_the_usual_one(saved):
    folder, card = saved
    card = {k: v for k, v in card.items() if k != "model_file"}
    (folder / CARD_FILE).write_text(json.dumps(card), encoding="utf-8")
    assert load_model(str(folder))[1]["model_sha256"] == card["model_sha256"]


def test_other_scikit_learn(saved):
    folder, card = saved
    edit(folder, versions={**card["versions"], "scikit-learn": "0.24.2"}, retrain="fazhi train x.csv -o m")
    e = refused(folder)
    assert (e.path, e.message) == (str(folder / MODEL_FILE), f"model saved with scikit-learn 0.24.2, this is {sklearn.__version__}; retrain it: fazhi train x.csv -o m")
    card = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    del card["versions"], card["retrain"]
    (folder / CARD_FILE).write_text(json.dumps(card), encoding="utf-8")
    e = refused(folder)
    assert e.message == f"model saved with scikit-learn None, this is {sklearn.__version__}; retrain it: fazhi train labels/seeds.csv -o {folder}"


def test_other_format(saved):
    folder, _ = saved
    edit(folder, format=FORMAT_VERSION + 1)
    e = refused(folder)
    assert (e.path, e.message) == (
        str(folder / MODEL_FILE), f"model of format {FORMAT_VERSION + 1}, this fazhi reads format {FORMAT_VERSION}; retrain it: fazhi train labels/seeds.csv -o {folder}"
    )  # fmt: skip
    card = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    del card["format"]  # models before formats were declared
    (folder / CARD_FILE).write_text(json.dumps(card), encoding="utf-8")
    refused(folder, f"model of format 1, this fazhi reads format {FORMAT_VERSION}")


def test_damaged_model_matching_its_card(saved):
    folder, _ = saved
    (folder / MODEL_FILE).write_bytes(b"\x80\x04 not a pickle")
    edit(folder, model_sha256=sha256_file(str(folder / MODEL_FILE)))
    e = refused(folder)
    assert e.path == str(folder / MODEL_FILE) and re.fullmatch(r"cannot load the model: \w+Error", e.message), e.message
