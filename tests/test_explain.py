"""`fazhi explain`: the linear weights behind a prediction."""
import json
import re

import numpy as np
import pytest

from conftest import ROOT, assert_clean_error, run_cli
from fazhi.errors import FazhiError
from fazhi.learning.explain import contributions, explain_sentence, feature_table, linear_model, sentence_record, top_features

PLAN = "下一步，将进一步加强执法队伍建设。"
SENTENCES = [
    (PLAN, ""),
    (PLAN, "三、2022年工作思路"),
    ("执法人员只有184人，数量严重不足。", "二、存在的问题"),
    ("全年办理行政复议案件120件，纠错15件。", "一、主要成效"),
]


@pytest.fixture(scope="module")
def model():
    from fazhi.learning.store import load_model

    return load_model()[0]


def averaged(model):
    """The linear model computed here, straight from the fitted estimators."""
    clf = model.named_steps["clf"]
    estimators = [cc.estimator for cc in clf.calibrated_classifiers_]
    classes = [str(c) for c in estimators[0].classes_]
    assert all([str(c) for c in e.classes_] == classes for e in estimators)
    return classes, np.mean([e.coef_ for e in estimators], axis=0), np.mean([e.intercept_ for e in estimators], axis=0)


def one_unit_record(text, section):
    from fazhi.learning.records import report_records
    from fazhi.units.segment import make_unit

    return report_records([make_unit(doc_id="x", sent_id=0, section=section, text=text)])[0]


@pytest.mark.parametrize("text,section", SENTENCES)
def test_contributions_add_up_to_the_decision_difference(model, text, section):
    classes, coef, intercept = averaged(model)
    data = explain_sentence(model, text, section=section)
    in_context = one_unit_record(text, section)
    # the features explained are those of the reading classify took: alone, or in context
    record = in_context.blind() if data["how"]["explained"] == "alone" else in_context
    x = [record]
    for _, step in model.steps[:-1]:  # every step before the classifier
        x = step.transform(x)
    x = x.toarray()[0]
    decision = coef @ x + intercept

    label, runner = data["label"], data["runner_up"]
    proba = dict(zip(map(str, model.classes_), model.predict_proba([in_context])[0]))
    assert label == max(proba, key=proba.get) == data["predicted"]
    assert runner == sorted(proba, key=proba.get)[-2]

    a, b = classes.index(label), classes.index(runner)
    _, _, contrib, _ = contributions(model, record, label, runner)
    assert contrib.sum() + intercept[a] - intercept[b] == pytest.approx(decision[a] - decision[b], abs=1e-9)
    assert data["linear"]["difference"] == pytest.approx(decision[a] - decision[b], abs=1e-5)
    assert data["linear"]["intercept_difference"] == pytest.approx(intercept[a] - intercept[b], abs=1e-5)

    # the lists are the extremes of (coef[label] - coef[runner]) * value over all features, in order
    every = (coef[a] - coef[b]) * x
    names = [f["feature"] for f in feature_table(model)]
    toward, away = data["toward"], data["away"]
    assert 0 < len(toward) <= 10 and 0 < len(away) <= 10  # every sentence here has features on both sides
    top = names.index(toward[0]["feature"])
    assert toward[0]["contribution"] == pytest.approx(every.max(), abs=1e-5)
    assert every[top] == pytest.approx(every.max())
    assert toward[0]["value"] == pytest.approx(x[top], abs=1e-5)
    assert away[0]["contribution"] == pytest.approx(every.min(), abs=1e-5)
    got = [f["contribution"] for f in toward]
    assert got == sorted(got, reverse=True) and all(c > 0 for c in got)
    got = [f["contribution"] for f in away]
    assert got == sorted(got) and all(c < 0 for c in got)


def test_top_feature_of_a_plan_sentence_pushes_toward_plan(model):
    # against whichever label the model ranks next, without section
    data = explain_sentence(model, PLAN, label="plan", top=10)
    assert data["label"] == "plan" and data["runner_up"] != "plan"
    assert data["toward"][0]["weight"] > 0 and data["toward"][0]["contribution"] > 0
    # the strongest feature of the sentence's own words (its n-grams and cue words) is a future cue
    top = next(f for f in data["toward"] if f["part"] in ("char", "word", "cues"))
    assert "future" in top["name"] or set(top["name"]) & set("将下一步进"), top
    # and under a plan section the prediction is explained toward plan by a feature favouring it
    data = explain_sentence(model, PLAN, section="三、2022年工作思路")
    classes, coef, _ = averaged(model)
    assert data["label"] == "plan"
    k = [f["feature"] for f in feature_table(model)].index(data["toward"][0]["feature"])
    assert coef[classes.index("plan"), k] > coef[classes.index(data["runner_up"]), k]


def test_section_changes_the_section_features_only(model):
    plain = explain_sentence(model, PLAN, top=1000, reading="context")
    placed = explain_sentence(model, PLAN, section="二、存在的问题", top=1000, reading="context")
    parts = lambda d: {f["feature"] for f in d["toward"] + d["away"] if f["part"] != "section"}  # noqa: E731
    assert placed["section"] == "二、存在的问题"
    assert any(f["part"] == "section" and "存" in f["name"] for f in placed["toward"] + placed["away"])
    # under one label pair, the sentence's own features contribute the same whatever the section
    names = feature_table(model)

    def by_part(section):
        cols, _, contrib, _ = contributions(model, sentence_record(PLAN, section), "plan", "problem")
        split = {"section": {}, "other": {}}
        for c, v in zip(cols, contrib):
            split["section" if names[c]["part"] == "section" else "other"][names[c]["feature"]] = v
        return split

    plain, problems = by_part(""), by_part("二、存在的问题")
    assert plain["other"] and plain["other"].keys() == problems["other"].keys()
    assert all(plain["other"][f] == pytest.approx(problems["other"][f], abs=1e-9) for f in plain["other"])
    assert plain["section"].keys() != problems["section"].keys()
    assert any("存" in f for f in problems["section"]) and not any("存" in f for f in plain["section"])


def test_top_features_per_label(model):
    classes, coef, _ = averaged(model)
    data = top_features(model, n=4)
    assert data["labels"] == classes
    names = [f["feature"] for f in feature_table(model)]
    for i, label in enumerate(classes):
        rows = data["top"][label]
        assert len(rows) == 4
        weights = [r["weight"] for r in rows]
        assert weights == sorted(weights, reverse=True)
        assert weights[0] == pytest.approx(coef[i].max(), abs=1e-5)
        assert weights[-1] == pytest.approx(np.sort(coef[i])[-4], abs=1e-5)
        for r in rows:
            assert r["weight"] == pytest.approx(coef[i, names.index(r["feature"])], abs=1e-5)


def test_readable_names_from_the_parts(model):
    table = feature_table(model)
    assert len(table) == linear_model(model).coef.shape[1]
    shown = {f["feature"]: f["display"] for f in table}
    assert any(d.startswith("char n-gram 「") for d in shown.values())
    assert any(d.startswith("word 「") for d in shown.values())
    assert shown.get("stats__stats__has_figure", "stats has_figure") == "stats has_figure"
    for f in table:
        assert f["feature"] == f"{f['part']}__{f['name']}"
        assert "__" not in f["display"]


def test_a_new_feature_part_is_explained_without_code_changes():
    """The feature set will grow: a FeatureUnion part added later gets readable names too."""
    from sklearn.pipeline import FeatureUnion

    from fazhi.learning.records import report_records
    from fazhi.learning.pipeline import _tfidf, build_pipeline
    from fazhi.units.segment import make_unit

    report = [
        ("一、主要成效", "achievement", ["一、主要成效", "建立会前学法制度。", "办理复议案件120件。", "完善执法程序。", "审查文件35件。", "开展普法宣传。"]),
        ("二、存在的问题", "problem", ["二、存在的问题", "执法力量不足。", "队伍素质有待提高。", "宣传不够深入。", "制度尚未健全。", "基层薄弱。"]),
        ("三、下一步打算", "plan", ["三、下一步打算", "将加强队伍建设。", "力争全面完成任务。", "要深化改革。", "将推进普法。", "计划开展培训。"]),
    ]
    units, y = [], []
    for section, label, texts in report:
        for text in texts:
            units.append(make_unit(doc_id="r", sent_id=len(units), section=section, text=text))
            y.append("metric" if "0件" in text or "5件" in text else label)
    pipeline = build_pipeline(calibration_cv=2)
    union = pipeline.named_steps["features"]
    pipeline.set_params(features=FeatureUnion(union.transformer_list + [("prev", _tfidf("prev", analyzer="char", ngram_range=(1, 1)))]))
    pipeline.fit(report_records(units) * 2, np.array(y * 2))
    table = feature_table(pipeline)
    prev = [f for f in table if f["part"] == "prev"]
    assert prev and all(f["display"].startswith("prev char n-gram 「") for f in prev)
    data = explain_sentence(pipeline, PLAN, section="三、下一步打算", top=3)
    assert len(data["toward"]) <= 3
    assert data["linear"]["features_sum"] + data["linear"]["intercept_difference"] == pytest.approx(data["linear"]["difference"], abs=1e-4)


def test_errors(model):
    with pytest.raises(FazhiError, match="empty sentence"):
        explain_sentence(model, "  ")
    with pytest.raises(FazhiError, match="unknown label"):
        explain_sentence(model, PLAN, label="todo")


# --- the command ---------------------------------------------------------------------------


def test_command_json_and_table():
    proc = run_cli("explain", PLAN, "--section", "三、2022年工作思路", "--top", "3", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["text"] == PLAN and data["section"] == "三、2022年工作思路"
    assert len(data["toward"]) <= 3 and len(data["away"]) <= 3
    assert {"feature", "display", "value", "contribution"} <= set(data["toward"][0])
    proc = run_cli("explain", PLAN, "-n", "2")
    assert proc.returncode == 0, proc.stderr
    predicted = re.search(r"predicted (\w+) [0-9.]+, runner-up (\w+)", proc.stdout)
    assert predicted, proc.stdout
    assert f"toward {predicted[1]}" in proc.stdout and f"toward {predicted[2]} (away from {predicted[1]})" in proc.stdout
    assert "intercepts" in proc.stdout


def test_command_top_lists_each_label(model):
    proc = run_cli("explain", "--top", "2")
    assert proc.returncode == 0, proc.stderr
    data = top_features(model, n=2)
    for label in data["labels"]:
        assert f"strongest features of {label}" in proc.stdout
        assert data["top"][label][0]["display"] in proc.stdout


def test_command_errors(tmp_path):
    assert_clean_error(run_cli("explain", "  "), "empty sentence")
    assert_clean_error(run_cli("explain", PLAN, "--model", tmp_path / "none"), "none", "no model folder")
    assert_clean_error(run_cli("explain", "--section", "二、存在的问题"), "need a sentence")
    proc = run_cli("explain", "--top", "0")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


# --- the label classify prints ------------------------------------------------------------


def test_explain_gives_the_label_and_probabilities_classify_prints(model, seed_reports):
    """In a report: sentence first and block decoding over its units included."""
    from fazhi.learning.predict import classify

    report = seed_reports["nanling-2021"]
    predictions = classify([report], model)
    for p in predictions[::7]:
        data = explain_sentence(model, p.text, report=report, top=1)
        assert data["predicted"] == p.label, p.text
        assert data["probabilities"][p.label] == pytest.approx(p.confidence, abs=1e-4)
        assert data["section"] == p.section
        assert data["how"]["decoded"] and data["how"]["units"] == len(predictions)


def test_a_lone_sentence_is_explained_as_classify_labels_it_from_stdin(model):
    proc = run_cli("classify", "-", "-f", "jsonl", input=PLAN)
    (printed,) = [json.loads(line) for line in proc.stdout.splitlines()]
    data = explain_sentence(model, PLAN)
    assert data["predicted"] == printed["label"]
    assert data["probabilities"][printed["label"]] == pytest.approx(printed["confidence"], abs=1e-4)
    assert not data["how"]["decoded"]


def test_the_reading_explained_is_the_one_classify_took(model):
    how = explain_sentence(model, PLAN, section="二、存在的问题")["how"]
    alone, context = how["alone"], how["context"]
    clear = max(alone.values()) >= how["sentence_first"]
    assert how["read"] == how["explained"] == ("alone" if clear else "context")
    assert how["before_decoding"] == (alone if clear else context)


def test_how_lines_say_what_decoding_and_sentence_first_did():
    from fazhi.output.explain import how_lines

    flat = {"achievement": 0.6, "metric": 0.1, "problem": 0.1, "plan": 0.2}
    planned = {"achievement": 0.3, "metric": 0.1, "problem": 0.1, "plan": 0.5}
    how = {"alone": flat, "context": planned, "sentence_first": 0.8, "read": "context", "explained": "context",
           "before_decoding": flat, "final": planned, "decoded": True, "units": 12}  # fmt: skip
    lines = how_lines(how)
    assert "read with its context: alone the sentence reaches only achievement 0.60 < 0.80" in lines
    assert any("block decoding over the report's 12 units moved it from achievement 0.60 to plan 0.50" in line for line in lines)
    alone = how_lines({**how, "alone": {**flat, "achievement": 0.9}, "read": "alone", "explained": "alone", "decoded": False})
    assert alone[0].startswith("read alone: the sentence alone reaches achievement 0.90 ≥ 0.80")
    assert any("--report FILE" in line for line in alone)


def test_command_report_option(tmp_path):
    seed = ROOT / "seeds" / "dawukou-2021.txt"
    printed = [json.loads(line) for line in run_cli("classify", seed, "-f", "jsonl").stdout.splitlines()]
    unit = printed[20]
    proc = run_cli("explain", unit["text"], "--report", seed, "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["predicted"] == unit["label"] and data["section"] == unit["section"]
    table = run_cli("explain", unit["text"], "--report", seed, "-n", "1")
    assert f"predicted {unit['label']}" in table.stdout and "block decoding over the report's" in table.stdout
    assert_clean_error(run_cli("explain", "这句话不在报告里。", "--report", seed), "no sentence of the report")
    assert_clean_error(run_cli("explain", unit["text"], "--report", seed, "--section", "一、"), "--section comes from the report")
