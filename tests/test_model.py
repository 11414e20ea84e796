"""train → save → load → classify; evaluate with baselines; the shipped model's card."""
import csv
import io
import json

import numpy as np
import pytest

from conftest import ROOT, assert_clean_error, run_cli
from fazhi.learning.evaluate import cross_validate
from fazhi.learning.scores import expected_calibration_error, make_folds, scores
from fazhi.labels.load import load_labels
from fazhi.vocab import LABELS
from fazhi.learning.predict import classify
from fazhi.units.report import load_report
from fazhi.learning.store import load_model, sha256_file
from fazhi.learning.train import train, training_data

SEEDS_CSV = str(ROOT / "labels" / "seeds.csv")




def test_save_load_classify_identical(small_model):
    model_dir, card = small_model
    pipeline, loaded_card = load_model(model_dir)
    assert loaded_card["model_sha256"] == card["model_sha256"] == sha256_file(f"{model_dir}/fazhi.joblib")
    labeled = load_labels([SEEDS_CSV])
    X, y, _ = training_data(labeled)
    again = train([SEEDS_CSV], model_dir + "-again", seed=0, search=False, cv=False)
    other, _ = load_model(model_dir + "-again")
    assert np.array_equal(pipeline.predict_proba(X[:50]), other.predict_proba(X[:50]))
    assert again["model_sha256"] == card["model_sha256"]
    report = load_report(str(ROOT / "seeds" / "wanghua-2021.txt"))
    preds = classify([report], pipeline)
    assert len(preds) == len(report.content)
    for p in preds:
        probs = p.probabilities
        assert abs(sum(probs.values()) - 1) < 1e-3
        assert p.label == max(probs, key=probs.get) and p.confidence == probs[p.label]


def test_card_contents(small_model):
    _, card = small_model
    assert card["labels"] == list(LABELS)
    assert sum(card["counts"].values()) == card["n_units"]
    assert card["data"]["files"]
    assert {"scikit-learn", "jieba", "python"} <= set(card["versions"])
    assert "C" in card["hyper_parameters"] and card["created"]


def test_fixed_seed_same_cv_scores(three_reports):
    labeled = load_labels([three_reports])
    X, y, groups = training_data(labeled)
    a = cross_validate(X, y, groups, seed=3, grid={})
    b = cross_validate(X, y, groups, seed=3, grid={})
    assert json.dumps(a.systems, sort_keys=True) == json.dumps(b.systems, sort_keys=True)
    assert [f["test"] for f in a.folds] == [["changxingdao-2021"], ["dawukou-2021"], ["nanling-2021"]]
    assert set(a.systems) == {"fazhi", "majority", "keyword_rule"}


def test_folds_are_whole_reports():
    y = np.array(["plan", "problem"] * 30)
    groups = np.array([f"r{i % 6}" for i in range(60)])
    for train_idx, test_idx in make_folds(y, groups):
        assert not set(groups[train_idx]) & set(groups[test_idx])
    assert len(make_folds(y, groups)) == 6  # leave-one-report-out up to 10 reports


def test_nested_search_records_its_choice(three_reports, monkeypatch):
    """Each fold records the C its inner search scored best, and the model it scores is
    the one refitted with that C."""
    from fazhi.learning import evaluate

    labeled = load_labels([three_reports])
    X, y, groups = training_data(labeled)
    searches, real_fit = [], evaluate.fit
    monkeypatch.setattr(evaluate, "fit", lambda *a: searches.append(real_fit(*a)) or searches[-1])
    grid = [0.5, 8.0]
    result = cross_validate(X, y, groups, grid={"clf__estimator__C": grid})
    assert len(searches) == len(result.folds) == 3
    for fold, search in zip(result.folds, searches):
        inner = search.cv_results_["mean_test_score"]
        assert inner[0] != inner[1]  # a real choice, not a tie
        best = grid[int(np.argmax(inner))]
        assert fold["params"] == {"C": best}
        assert search.best_estimator_.named_steps["clf"].estimator.C == best


def test_scores_and_ece():
    y = ["plan", "plan", "metric", "problem"]
    proba = np.array([[0, 0, 0, 1.0], [0, 0, 0, 1.0], [0, 1.0, 0, 0], [0, 0, 0.4, 0.6]])
    s = scores(y, proba, LABELS)
    assert s["accuracy"] == 0.75
    assert s["per_label"]["problem"]["recall"] == 0.0
    # three sure and right (gap 0), one at 0.6 and wrong (gap 0.6): weighted 0.6/4
    assert expected_calibration_error(y, proba, LABELS) == pytest.approx(0.15)


def test_classify_formats(small_model):
    model_dir, _ = small_model
    seed = ROOT / "seeds" / "dawukou-2021.txt"
    jsonl = run_cli("classify", seed, "-m", model_dir, "-f", "jsonl")
    assert jsonl.returncode == 0, jsonl.stderr
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert set(records[0]) == {
        "doc_id", "sent_id", "section", "text", "label", "confidence",
        "p_achievement", "p_metric", "p_problem", "p_plan", "figures", "uncertain",
    }
    assert "dawukou-2021:" in jsonl.stderr  # the per-report summary
    csv_out = run_cli("classify", seed, "-m", model_dir, "-f", "csv", "--min-confidence", "0.99")
    rows = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert [r["text"] for r in rows] == [r["text"] for r in records]
    assert any(r["uncertain"] == "1" for r in rows)
    assert all((r["uncertain"] == "1") == (float(r["confidence"]) < 0.99) for r in rows)
    table = run_cli("classify", seed, "-m", model_dir, "-f", "table")
    assert table.returncode == 0 and "achievement" in table.stdout and "units per bucket" in table.stdout


def test_metric_units_carry_figures(small_model):
    model_dir, _ = small_model
    out = run_cli("classify", "-", "-m", model_dir, "-f", "jsonl", input="2021年，全区共调处各类纠纷1826件，调解成功1782件。")
    (record,) = [json.loads(line) for line in out.stdout.splitlines()]
    assert record["doc_id"] == "-"
    if record["label"] == "metric":
        assert record["figures"] == ["1826件", "1782件"]
    else:
        assert record["figures"] == []


def test_output_file_written(small_model, tmp_path):
    model_dir, _ = small_model
    out = tmp_path / "preds.csv"
    proc = run_cli("classify", ROOT / "seeds" / "dawukou-2021.txt", "-m", model_dir, "-o", out)
    assert proc.returncode == 0
    assert list(csv.DictReader(open(out, encoding="utf-8-sig")))


def test_evaluate_saved_model_on_test_file(small_model, three_reports):
    model_dir, _ = small_model
    proc = run_cli("evaluate", "--model", model_dir, "--test", three_reports, "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert {"fazhi", "majority", "keyword_rule"} <= set(result)
    for name in ("fazhi", "majority", "keyword_rule"):
        assert {"macro_f1", "accuracy", "per_label", "ece"} <= set(result[name])


def test_shipped_model_matches_current_labels():
    """Fails when labels changed and model/ was not retrained (a stale model)."""
    pipeline, card = load_model(str(ROOT / "model"))
    for name, digest in card["data"]["files"].items():
        assert sha256_file(str(ROOT / name)) == digest, f"model/ is stale for {name}: {card['retrain']}"
    assert card["cv"]["fazhi"]["macro_f1"] > card["cv"]["keyword_rule"]["macro_f1"]
    labeled = load_labels([str(ROOT / n) for n in card["data"]["files"]])
    assert card["counts"] == labeled.counts()


# --- bad input ------------------------------------------------------------------------


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_without_text_or_label(tmp_path):
    bad = write(tmp_path / "bad.csv", "sentence,bucket\n加强执法。,plan\n")
    for cmd in (("train", bad, "-o", tmp_path / "m"), ("evaluate", bad)):
        proc = run_cli(*cmd)
        assert_clean_error(proc, "bad.csv", "missing column(s) text, label")
    assert not (tmp_path / "m").exists()


def test_unknown_label_names_rows(tmp_path):
    bad = write(tmp_path / "bad.csv", "text,label\n加强执法。,plan\n存在不足。,problme\n")
    assert_clean_error(run_cli("evaluate", bad), "bad.csv", "unknown label problme", "line(s) 3")


def test_label_with_fewer_rows_than_folds(tmp_path):
    rows = "".join(f"第{i}句加强执法。,plan\n第{i}句存在不足。,problem\n" for i in range(6)) + "全年办结12件。,metric\n"
    bad = write(tmp_path / "few.csv", "text,label\n" + rows)
    proc = run_cli("evaluate", bad, "--group", "none", "--folds", "3", "--no-search")
    assert_clean_error(proc, "fewer rows than folds", "metric has 1")


def test_failed_train_keeps_previous_model(tmp_path, small_model):
    import shutil

    model_dir = tmp_path / "m"
    shutil.copytree(small_model[0], model_dir)
    before = sha256_file(str(model_dir / "fazhi.joblib"))
    bad = write(tmp_path / "bad.csv", "text,label\n加强执法。,plann\n")
    assert_clean_error(run_cli("train", bad, "-o", model_dir, "--force"), "unknown label plann")
    assert sha256_file(str(model_dir / "fazhi.joblib")) == before
    assert sorted(p.name for p in model_dir.iterdir()) == ["card.json", "fazhi.joblib"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".fazhi")]


def test_text_label_only_csv_is_accepted(tmp_path):
    rows = "".join(f"第{i}项工作将加强。,plan\n第{i}项存在不足。,problem\n第{i}批办结{i + 3}件。,metric\n第{i}项建立制度。,achievement\n" for i in range(5))
    ok = write(tmp_path / "plain.csv", "text,label\n" + rows)
    proc = run_cli("evaluate", ok, "--group", "none", "--folds", "3", "--no-search", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["fazhi"]["per_label"]["plan"]["support"] == 5


def test_evaluate_blind_section_json(three_reports):
    proc = run_cli("evaluate", three_reports, "--blind-section", "--no-search", "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert {"fazhi", "blind", "majority", "keyword_rule", "folds"} <= set(result)
    assert result["blind"]["n"] == result["fazhi"]["n"]
    for key in ("macro_f1", "accuracy", "per_label", "ece"):
        assert key in result["blind"]


def test_shipped_card_reports_normal_and_blind():
    _, card = load_model(str(ROOT / "model"))
    for key in ("cv", "cv_without_written"):
        scores = card[key]
        assert scores["scheme"] == "leave-one-report-out"
        assert {"fazhi", "blind", "majority", "keyword_rule"} <= set(scores)
        assert len(scores["folds"]) == 5


def test_failed_classify_writes_nothing(tmp_path, small_model):
    out = tmp_path / "out.csv"
    proc = run_cli("classify", tmp_path / "missing.txt", "-m", small_model[0], "-o", out)
    assert_clean_error(proc, "missing.txt")
    assert not out.exists()
    out.write_text("previous\n", encoding="utf-8")
    run_cli("classify", tmp_path / "missing.txt", "-m", small_model[0], "-o", out)
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
