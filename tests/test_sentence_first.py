"""The sentence first: context is a prior that a clear cue overrides, and no guess about a
whole document flips all its units. Held-out figures of the shipped model are the
issue's targets, measured on material nothing was fitted on."""
import json

import numpy as np
import pytest

from conftest import ROOT, run_cli
from fazhi.learning.records import report_kind, report_records
from fazhi.units.report import segment_report
from fazhi.units.segment import make_unit
from fazhi.vocab import Record

CONTRAST = ROOT / "labels" / "contrast.csv"
SHAPES = ROOT / "labels" / "shapes-test.csv"


@pytest.fixture(scope="module")
def model():
    from fazhi.learning.store import load_model

    return load_model()[0]


def test_report_kind_comes_from_the_title_only():
    opening = "2023年，局党组对照年度工作要点和任务清单，逐项推进法治建设，取得新进展。\n一、主要工作\n全年办理案件120件。"
    assert report_kind(segment_report(opening).units) == ""
    titled = segment_report("青溪县司法局2024年法治政府建设工作要点\n一、加强组织领导\n健全工作机制。").units
    assert report_kind(titled) == "plan"


def test_a_keyword_in_the_opening_does_not_flip_the_report(model):
    from fazhi.learning.predict import classify

    text = (
        "2023年，县市场监管局对照年度工作要点和任务清单，扎实推进法治建设。\n"
        "一、主要工作和成效\n"
        "（一）规范行政执法。全年查处违法案件214件，罚没款326万元。\n"
        "修订行政处罚裁量基准，统一全局执法尺度。\n"
        "（二）推进政务公开。在门户网站公开行政许可和处罚信息1840条。\n"
        "建立执法案卷月评查制度，组织开展案卷评查4次。\n"
        "落实重大执法决定法制审核制度，审核重大执法决定37件。\n"
    )
    labels = [p.label for p in classify([segment_report(text, doc_id="dept")], model)]
    assert labels.count("plan") <= 1, labels
    assert sum(lab in ("achievement", "metric") for lab in labels) >= len(labels) - 1


def test_a_clear_sentence_overrides_a_contrary_heading(model):
    plan = "下一步，将进一步加强执法队伍建设。"
    under_work = report_records([make_unit(doc_id="x", sent_id=0, text=plan, section="一、2023年主要工作和成效")])
    proba = dict(zip(map(str, model.classes_), model.predict_proba(under_work)[0]))
    assert max(proba, key=proba.get) == "plan", proba


def test_sentence_first_takes_the_sentence_only_when_it_is_clear(model):
    clear = Record(text="下一步，将进一步加强执法队伍建设。", section="一、主要成效", doc="d", position=0.0)
    plain = Record(text="加强执法队伍建设。", section="三、2024年工作打算", doc="e", position=0.0)
    off = model.set_params(sentence_first=1.0).predict_proba([clear, plain])
    on = model.set_params(sentence_first=0.8).predict_proba([clear, plain])
    alone = model.predict_proba([clear.blind(), plain.blind()])
    assert alone[0].max() >= 0.8 and np.allclose(on[0], alone[0])  # the clear cue wins
    assert alone[1].max() < 0.8 and np.allclose(on[1], off[1])  # a plain item keeps its heading


def test_shipped_model_on_the_contrast_set(model):
    """The targets: at least 95% right alone, 90% under a contrary heading."""
    from fazhi.learning.diagnostics import contrast_scores

    s = contrast_scores(model, str(CONTRAST))
    assert s["alone"] >= 0.95, s["alone_wrong"]
    assert s["contrary"] >= 0.90, s["contrary_wrong"]


def test_shipped_model_flips_no_report_of_the_shapes_test(model):
    """No report of shapes-test with more than 30% of its units in one wrong bucket."""
    from fazhi.learning.train import evaluate_model

    result = evaluate_model(model, [str(SHAPES)])
    assert result["diagnostics"]["worst_report"]["share"] <= 0.30, result["diagnostics"]["worst_report"]


def test_evaluate_shows_slices_worst_report_and_reliability():
    proc = run_cli("evaluate", "--test", SHAPES, "--json")
    assert proc.returncode == 0, proc.stderr
    diag = json.loads(proc.stdout)["diagnostics"]
    kinds = diag["slices"]["kind"]
    assert {"annual", "work-plan", "news", "rectification"} <= set(kinds)
    assert sum(k["n"] for k in kinds.values()) == json.loads(proc.stdout)["fazhi"]["n"]
    assert {"doc_id", "share", "wrong_bucket", "units"} <= set(diag["worst_report"])
    bins = diag["reliability"]
    assert sum(b["n"] for b in bins) == sum(k["n"] for k in kinds.values())
    assert all(0 <= b["accuracy"] <= 1 and b["from"] <= b["confidence"] <= b["to"] for b in bins)
    table = run_cli("evaluate", "--test", SHAPES, "--by", "kind")
    assert "fazhi by kind" in table.stdout and "worst report" in table.stdout and "reliability" in table.stdout
    bad = run_cli("evaluate", "--test", SHAPES, "--by", "nope")
    assert bad.returncode == 2 and "--by nope: no such column" in bad.stderr
