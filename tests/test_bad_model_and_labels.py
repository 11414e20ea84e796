"""Bad models and bad labels files: one line, exit 2, nothing loaded or written."""
import json
import shutil

import numpy as np
import pytest

from conftest import ROOT, assert_clean_error, run_cli
from fazhi.errors import FazhiError
from fazhi.labels.load import load_labels
from fazhi.learning.store import load_model, sha256_file

SEED = ROOT / "seeds" / "dawukou-2021.txt"


@pytest.fixture
def model_copy(tmp_path):
    target = tmp_path / "model"
    shutil.copytree(ROOT / "model", target)
    return target


def edit_card(model_dir, **changes):
    path = model_dir / "card.json"
    card = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key.startswith("versions."):
            card["versions"][key.split(".", 1)[1]] = value
        else:
            card[key] = value
    path.write_text(json.dumps(card), encoding="utf-8")


def test_missing_model(tmp_path):
    assert_clean_error(run_cli("classify", SEED, "--model", tmp_path / "nope"), "nope", "no model folder", "fazhi train")


def test_folder_without_card(tmp_path):
    (tmp_path / "m").mkdir()
    assert_clean_error(run_cli("classify", SEED, "--model", tmp_path / "m"), "no card.json")


def test_model_file_not_matching_card(model_copy):
    with open(model_copy / "fazhi.joblib", "ab") as f:
        f.write(b"tampered")
    assert_clean_error(run_cli("classify", SEED, "--model", model_copy), "fazhi.joblib", "does not match the sha256", "refusing")


def test_corrupt_model_matching_its_card(model_copy):
    (model_copy / "fazhi.joblib").write_bytes(b"\x80\x04 not a pickle at all")
    edit_card(model_copy, model_sha256=sha256_file(str(model_copy / "fazhi.joblib")))
    assert_clean_error(run_cli("classify", SEED, "--model", model_copy), "cannot load the model")


def test_corrupt_card(model_copy):
    (model_copy / "card.json").write_text("{not json", encoding="utf-8")
    assert_clean_error(run_cli("classify", SEED, "--model", model_copy), "card.json", "not valid JSON")


def test_a_model_saved_under_another_scikit_learn_release_loads(model_copy):
    """The file holds plain data, not pickled scikit-learn objects: the release it was saved
    under does not matter (.ci/run loads the shipped model under the oldest allowed one)."""
    from fazhi.learning.fingerprint import probe

    edit_card(model_copy, **{"versions.scikit-learn": "1.4.2"})
    model, card = load_model(str(model_copy))
    assert np.allclose(probe(model), card["probe"], atol=1e-6)


def test_other_model_format(model_copy):
    edit_card(model_copy, format=1)
    with pytest.raises(FazhiError, match=r"model of format 1, this fazhi reads format 3; retrain it: fazhi train .* --force$"):
        load_model(str(model_copy))


def test_card_without_sha256_is_refused(model_copy):
    edit_card(model_copy, model_sha256=None)
    with pytest.raises(FazhiError, match="no model_sha256"):
        load_model(str(model_copy))


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_labels_csv_in_gbk_is_read(tmp_path):
    path = write(tmp_path / "gbk.csv", "text,label\n存在执法力量不足的问题。,problem\n下一步将加强培训。,plan\n", "gbk")
    labeled = load_labels([path])
    assert labeled.labels == ["problem", "plan"] and labeled.units[0].text == "存在执法力量不足的问题。"


def test_same_text_two_labels_names_rows(tmp_path):
    path = write(tmp_path / "dup.csv", "text,label\n加强执法。,plan\n办结12件。,metric\n加强执法。,achievement\n")
    with pytest.raises(FazhiError, match=r"line 2 \(plan\) and line 4 \(achievement\)"):
        load_labels([path])
    assert_clean_error(run_cli("evaluate", path), "dup.csv", "two labels")


def test_empty_text(tmp_path):
    path = write(tmp_path / "empty.csv", "text,label\n加强执法。,plan\n,problem\n")
    assert_clean_error(run_cli("train", path, "-o", tmp_path / "m"), "empty.csv", "empty text on line(s) 3")
    assert not (tmp_path / "m").exists()


def test_missing_labels_file(tmp_path):
    assert_clean_error(run_cli("evaluate", tmp_path / "none.csv"), "none.csv", "no such file")


def test_two_labels_for_one_text_are_allowed_across_reports_only(tmp_path):
    header = "doc_id,sent_id,section,text,label,note\n"
    across = write(tmp_path / "across.csv", header + "plan-a,0,,一、依法全面履行政府职能,plan,\nreport-b,0,,一、依法全面履行政府职能,achievement,\n")
    labeled = load_labels([across])
    assert labeled.labels == ["plan", "achievement"] and labeled.cross_report_conflicts == 1
    inside = write(tmp_path / "inside.csv", header + "r,0,,加强执法。,plan,\nr,1,,办结12件。,metric,\nr,2,,加强执法。,achievement,\n")
    with pytest.raises(FazhiError, match=r"in report r: inside.csv line 2 \(plan\) and line 4 \(achievement\)"):
        load_labels([inside])


def test_duplicate_keys_across_two_files_name_both(tmp_path):
    header = "doc_id,sent_id,section,text,label,note\n"
    a = write(tmp_path / "a.csv", header + "r,0,,加强执法。,plan,\n")
    b = write(tmp_path / "b.csv", header + "r,0,,办结12件。,metric,\n")
    with pytest.raises(FazhiError, match=r"duplicate \(doc_id, sent_id\) \(r, 0\) on line 2, first at a.csv line 2"):
        load_labels([a, b])


def test_unknown_label_in_a_second_file_is_refused(tmp_path):
    a = write(tmp_path / "a.csv", "text,label\n加强执法。,plan\n")
    b = write(tmp_path / "b.csv", "text,label\n办结12件。,metrics\n")
    with pytest.raises(FazhiError, match="unknown label metrics on line"):
        load_labels([a, b])
