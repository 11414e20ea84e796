"""Report context, context dropout, block decoding, blind scores, written material."""
import numpy as np
import pytest

from conftest import ROOT
from fazhi.learning.records import report_kind, report_records, report_year, years_in
from fazhi.vocab import Record
from fazhi.learning.decode import block_statistics, forward_backward
from fazhi.learning.features import ContextDropout
from fazhi.labels.load import load_labels
from fazhi.units.report import segment_report
from fazhi.learning.train import split_scored, training_data


def units_of(text, doc_id="-"):
    return segment_report(text, doc_id=doc_id).units


def test_report_year_and_kind():
    plan = units_of("青溪县2024年法治政府建设工作要点\n一、加强组织领导\n1.健全工作机制。", "x")
    assert report_kind(plan) == "plan" and report_year("x", plan) == 2024
    mixed = units_of("南陵县2021年法治政府建设工作总结和2022年法治政府建设重点工作安排\n一年来，我县推进法治建设。")
    assert report_kind(mixed) == "report" and report_year("-", mixed) == 2021
    rectify = units_of("柏山区关于法治政府建设督察反馈问题整改情况的报告\n一、存在的问题\n执法力量不足。")
    assert report_kind(rectify) == "rectification"
    assert report_year("wanghua-2021", units_of("今年以来，我区推进法治建设。")) == 2021
    assert years_in("印发《2021-2025年规划》，2022年将完成") == [2022]


def test_blind_record_removes_context():
    units = units_of("天山区2022年工作报告\n二、存在的问题\n执法力量不足。2023年将加强。", "tianshan-2022")
    records = report_records(units)
    assert records[1].section == "二、存在的问题" and records[1].doc == "tianshan-2022"
    assert records[2].year_future is True
    blind = report_records(units, blind=True)
    for r in blind:
        assert r.section == r.prev == r.next == r.doc == r.doc_kind == ""
        assert r.position == -1.0 and not r.year_future
    assert [r.text for r in blind] == [r.text for r in records]


def test_context_dropout_only_while_fitting():
    X = [Record(text=f"t{i}", section="二、存在的问题", doc="d", doc_kind="report", position=0.5, year_known=True) for i in range(200)]
    drop = ContextDropout(rate=0.7, seed=1)
    fitted = drop.fit_transform(X)
    dropped = sum(r.section == "" for r in fitted)
    assert 110 < dropped < 170
    assert drop.transform(X) == X
    assert ContextDropout(rate=0.7, seed=1).fit_transform(X) == fitted  # same seed, same rows


def test_forward_backward_smooths_within_a_report():
    classes = ["achievement", "metric", "plan", "problem"]
    records = [Record(text="", doc="d", position=i / 4) for i in range(5)]
    y = np.array(["achievement", "achievement", "plan", "plan", "plan"])
    trans, start, prior = block_statistics(records, y, classes)
    assert trans[2, 2] > trans[2, 0]  # plans follow plans
    proba = np.array([[0.1, 0.0, 0.9, 0.0], [0.1, 0.0, 0.9, 0.0], [0.6, 0.0, 0.4, 0.0], [0.1, 0.0, 0.9, 0.0], [0.1, 0.0, 0.9, 0.0]])
    post = forward_backward(proba, records, trans, start, prior)
    assert np.allclose(post.sum(axis=1), 1)
    assert post[2, 2] > proba[2, 2]  # a doubtful unit between plans leans plan
    alone = [Record(text="")] * 5
    assert np.array_equal(forward_backward(proba, alone, trans, start, prior), proba)


def test_written_material_is_never_scored():
    both = load_labels([str(ROOT / "labels/seeds.csv"), str(ROOT / "labels/written.csv")])
    (X, y, groups), (Xe, ye, ge) = split_scored(*training_data(both))
    seeds_only = training_data(load_labels([str(ROOT / "labels/seeds.csv")]))[1]
    assert len(y) == len(seeds_only)
    assert all(not g.startswith("written-") for g in groups)
    assert len(ye) >= 300 and all(g.startswith("written-") for g in ge)


def test_traditional_labels_read_simplified():
    both = load_labels([str(ROOT / "labels/written.csv")])
    trad = [u for u in both.units if u.doc_id.startswith("written-trad")]
    assert trad and any(u.text != u.norm for u in trad)
    assert not any("區" in u.norm or "設" in u.norm for u in trad)
