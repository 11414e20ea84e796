"""fazhi summarize: one row per report, and its Python twin."""
import csv
import io
import json

import pytest

from conftest import ROOT, SEEDS, assert_clean_error, run_cli
from fazhi.errors import FazhiError
from fazhi.vocab import LABELS
from fazhi.learning.predict import classify
from fazhi.learning.store import load_model
from fazhi.output.summary import COLUMNS, flat_row, format_for, summarize, write_csv, write_jsonl, write_table


@pytest.fixture(scope="module")
def model():
    return load_model()[0]


@pytest.fixture(scope="module")
def rows(seed_reports, model):
    return summarize(list(seed_reports.values()), model)


def test_one_row_per_report_in_order(seed_reports, rows):
    assert [r["doc_id"] for r in rows] == list(seed_reports)
    assert all(list(r) == COLUMNS for r in rows)


def test_counts_add_up_to_the_units_classified(seed_reports, rows):
    for report, row in zip(seed_reports.values(), rows):
        assert row["units"] == len(report.content) == sum(row[lab] for lab in LABELS)
        assert row["problem_share"] == pytest.approx(row["problem"] / row["units"], abs=1e-4)
        assert row["n_figures"] == len(row["figures"]) and row["n_plan_items"] == len(row["plan_items"])


def test_figures_and_plan_items_are_what_classify_predicts(seed_reports, rows, model):
    everything = classify(list(seed_reports.values()), model)  # as `fazhi classify` runs them, in one batch
    for report, row in zip(seed_reports.values(), rows):
        preds = [p for p in everything if p.doc_id == report.doc_id]
        assert preds == classify([report], model)
        assert {lab: row[lab] for lab in LABELS} == {lab: sum(p.label == lab for p in preds) for lab in LABELS}
        assert row["figures"] == [f for p in preds if p.label == "metric" for f in p.figures]
        assert row["plan_items"] == [p.text for p in preds if p.label == "plan"]
    assert any(r["figures"] for r in rows) and any(r["plan_items"] for r in rows)


def test_csv_and_jsonl_round_trip(rows):
    f = io.StringIO()
    write_csv(rows, f)
    back = list(csv.DictReader(io.StringIO(f.getvalue())))
    assert [b["doc_id"] for b in back] == [r["doc_id"] for r in rows]
    for b, r in zip(back, rows):
        assert int(b["units"]) == r["units"] and float(b["problem_share"]) == r["problem_share"]
        assert (b["figures"].split(";") if b["figures"] else []) == r["figures"]
        assert (b["plan_items"].split(" | ") if b["plan_items"] else []) == r["plan_items"]
        assert b == {k: str(v) for k, v in flat_row(r).items()}
    f = io.StringIO()
    write_jsonl(rows, f)
    assert [json.loads(line) for line in f.getvalue().splitlines()] == rows


def test_table_lists_every_report(rows):
    f = io.StringIO()
    write_table(rows, f, width=160)
    out = f.getvalue()
    for r in rows:
        assert r["doc_id"] in out
    assert "problem %" in out


def test_format_choice():
    assert format_for(None, True, None) == "table"
    assert format_for(None, False, None) == "csv"
    assert format_for("t.csv", True, None) == "csv"
    assert format_for("t.jsonl", False, None) == "jsonl"
    assert format_for("-", False, "jsonl") == "jsonl"
    with pytest.raises(FazhiError, match="unknown format"):
        format_for(None, False, "html")


def test_cli_csv_to_stdout_bad_file_among_good_exits_1(rows):
    proc = run_cli("summarize", "seeds", "missing.txt")
    assert_clean_error(proc, "missing.txt", code=1)
    assert len([line for line in proc.stderr.splitlines() if line.strip()]) == 1
    back = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert [b["doc_id"] for b in back] == [p.stem for p in SEEDS]
    assert back == [{k: str(v) for k, v in flat_row(r).items()} for r in rows]


def test_cli_jsonl_to_file(tmp_path, rows):
    out = tmp_path / "table.jsonl"
    proc = run_cli("summarize", ROOT / "seeds" / "tianshan-2022.txt", "nope.pdf", "-o", out, "--format", "jsonl")
    assert proc.returncode == 1, proc.stderr
    assert "nope.pdf" in proc.stderr and "1 reports summarized to" in proc.stderr
    (line,) = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(line) == next(r for r in rows if r["doc_id"] == "tianshan-2022")
    assert [p.name for p in tmp_path.iterdir()] == ["table.jsonl"]  # no temp file left behind


def test_cli_all_bad_exits_2(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    proc = run_cli("summarize", "missing.txt", empty, "-o", tmp_path / "t.csv")
    assert_clean_error(proc, "missing.txt", str(empty), code=2)
    assert proc.stdout == "" and not (tmp_path / "t.csv").exists()
