"""fazhi corpus add / update / summary: the database, its transactions, metadata and counts."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from conftest import ROOT, SEEDS, assert_clean_error, run_cli
from fazhi.corpus.add import corpus_add, corpus_update
from fazhi.corpus.schema import connect
from fazhi.corpus.summary import corpus_summary
from fazhi.errors import FazhiError
from fazhi.learning.predict import classify
from fazhi.learning.store import load_model
from fazhi.units.report import load_report
from fazhi.vocab import LABELS

WRITTEN = sorted((ROOT / "labels" / "docs").glob("written-b-0*.txt"))


@pytest.fixture(scope="module")
def model():
    return load_model()[0]


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    for p in SEEDS:
        shutil.copy(p, folder / p.name)
    db = str(folder / "c.db")
    result = corpus_add([str(folder)], db=db)
    assert result.added == len(SEEDS) and not result.errors
    return folder, db


def rows(db, sql, *args):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_every_unit_and_prediction_is_stored(seeds_db, model):
    folder, db = seeds_db
    for path in sorted(folder.glob("*.txt")):
        report = load_report(str(path))
        (report_id, n_units, *counts), = rows(
            db, f"SELECT report_id, n_units, {', '.join(LABELS)} FROM reports WHERE path = ?", str(path))
        units = rows(db, "SELECT sent_id, text, kind, section FROM units WHERE report_id = ? ORDER BY sent_id", report_id)
        assert units == [(u.sent_id, u.text, u.kind, u.section) for u in report.units]
        preds = classify([report], model)
        stored = rows(db, "SELECT sent_id, label, confidence, p_problem FROM predictions WHERE report_id = ? ORDER BY sent_id", report_id)
        assert stored == [(p.sent_id, p.label, p.confidence, p.p_problem) for p in preds]
        assert n_units == len(preds) and counts == [sum(p.label == lab for p in preds) for lab in LABELS]


def test_adding_unchanged_files_does_nothing(seeds_db):
    folder, db = seeds_db
    before = rows(db, "SELECT report_id, added_at, classified_at FROM reports ORDER BY report_id")
    result = corpus_add([str(folder)], db=db)
    assert (result.added, result.replaced, result.unchanged) == (0, 0, len(SEEDS))
    assert rows(db, "SELECT report_id, added_at, classified_at FROM reports ORDER BY report_id") == before


def test_a_changed_file_replaces_its_report_and_a_copy_is_skipped(tmp_path):
    db = str(tmp_path / "c.db")
    path = tmp_path / "a-2021.txt"
    shutil.copy(SEEDS[0], path)
    corpus_add([str(path)], db=db)
    n_before = rows(db, "SELECT count(*) FROM units")[0][0]
    path.write_text(SEEDS[0].read_text(encoding="utf-8") + "\n二、存在的问题\n执法人员数量不足，专业素质有待提高。\n", encoding="utf-8")
    result = corpus_add([str(path)], db=db)
    assert (result.added, result.replaced) == (0, 1)
    assert rows(db, "SELECT count(*) FROM reports")[0][0] == 1
    assert rows(db, "SELECT count(*) FROM units")[0][0] == n_before + 2
    assert rows(db, "SELECT text FROM units ORDER BY sent_id DESC LIMIT 1") == [("执法人员数量不足，专业素质有待提高。",)]
    copy = tmp_path / "copy.txt"
    shutil.copy(path, copy)
    result = corpus_add([str(copy)], db=db)
    assert result.copies == 1 and result.added == 0 and "same file as" in result.notes[0]


def _whole(db):
    """Every stored report has all its units and one prediction per content unit."""
    for report_id, n_units in rows(db, "SELECT report_id, n_units FROM reports"):
        content = rows(db, "SELECT count(*) FROM units WHERE report_id = ? AND kind = 'content'", report_id)[0][0]
        preds = rows(db, "SELECT count(*) FROM predictions WHERE report_id = ?", report_id)[0][0]
        assert n_units == content == preds > 0
    assert rows(db, "SELECT count(*) FROM units WHERE report_id NOT IN (SELECT report_id FROM reports)") == [(0,)]


def test_an_error_inside_a_report_leaves_no_half_report(tmp_path, monkeypatch):
    from fazhi.corpus import store

    db = str(tmp_path / "c.db")
    corpus_add([str(SEEDS[0])], db=db)
    real = store._prediction_rows
    monkeypatch.setattr(store, "_prediction_rows", lambda *a: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        corpus_add([str(SEEDS[1])], db=db)
    monkeypatch.setattr(store, "_prediction_rows", real)
    assert rows(db, "SELECT doc_id FROM reports") == [(SEEDS[0].stem,)]
    _whole(db)


KILLER = """
import os, signal, sys
from fazhi.corpus import store
from fazhi.corpus.add import corpus_add
real = store._prediction_rows
calls = []
def die(*args):
    calls.append(1)
    if len(calls) == 3:  # units of the third report are inserted: killed inside its transaction
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args)
store._prediction_rows = die
corpus_add(sys.argv[2:], db=sys.argv[1])
"""


def test_a_killed_run_leaves_whole_reports_only(tmp_path):
    db = str(tmp_path / "c.db")
    proc = subprocess.run([sys.executable, "-c", KILLER, db, *map(str, SEEDS)], cwd=ROOT, capture_output=True)
    assert proc.returncode == -9, proc.stderr
    assert [r[0] for r in rows(db, "SELECT doc_id FROM reports ORDER BY report_id")] == [p.stem for p in SEEDS[:2]]
    _whole(db)
    result = corpus_add([str(p) for p in SEEDS], db=db)  # the next run finishes the job
    assert (result.added, result.unchanged) == (len(SEEDS) - 2, 2)
    _whole(db)


def test_metadata_found_and_unknown_stored_with_its_source(seeds_db):
    _, db = seeds_db
    got = {r[0]: r[1:] for r in rows(db, "SELECT doc_id, issuer, issuer_from, level, year, year_from, province, province_from FROM reports")}
    assert got["nanling-2021"] == ("南陵县", "title", "county", 2021, "title", "安徽省", "text")
    assert got["changxingdao-2021"][:5] == ("大连长兴岛经济技术开发区管理委员会", "signature", None, 2021, "file name")
    assert got["dawukou-2021"][:3] == (None, None, None)  # no title, no signature: unknown, not guessed


def test_metadata_set_by_options_and_csv(tmp_path):
    db = str(tmp_path / "c.db")
    meta = tmp_path / "meta.csv"
    meta.write_text(f"file,issuer,level,year\n{SEEDS[1].name},大武口区人民政府,,2021\n", encoding="utf-8")
    corpus_add([str(SEEDS[1]), str(SEEDS[2])], db=db, meta_csv=str(meta))
    got = dict((r[0], r[1:]) for r in rows(db, "SELECT doc_id, issuer, issuer_from, level, level_from, year_from FROM reports"))
    assert got["dawukou-2021"] == ("大武口区人民政府", "csv", "county", "issuer", "csv")
    assert got["nanling-2021"][:2] == ("南陵县", "title")
    # an unchanged file with new metadata: only the metadata changes
    result = corpus_add([str(SEEDS[2])], db=db, meta={"issuer": "南陵县人民政府", "province": "安徽省"})
    assert result.meta_set == 1 and result.stored == 0
    assert rows(db, "SELECT issuer, issuer_from, province_from FROM reports WHERE doc_id = 'nanling-2021'") == [("南陵县人民政府", "option", "option")]


@pytest.mark.parametrize("content, needle", [
    ("file,level\nx.txt,village\n", "level must be one of"),
    ("file,year\nx.txt,21\n", "year must be"),
    ("name,year\nx.txt,2021\n", "needs a 'file' column"),
])  # fmt: skip
def test_bad_metadata_csv_is_one_line(tmp_path, content, needle):
    meta = tmp_path / "meta.csv"
    meta.write_text(content, encoding="utf-8")
    proc = run_cli("corpus", "add", SEEDS[0], "--db", tmp_path / "c.db", "--meta", meta)
    assert_clean_error(proc, needle, "meta.csv")
    assert not (tmp_path / "c.db").exists() or rows(str(tmp_path / "c.db"), "SELECT count(*) FROM reports") == [(0,)]


def test_update_reclassifies_reports_of_another_model(seeds_db, tmp_path, model):
    folder, db = seeds_db
    db2 = str(tmp_path / "u.db")
    shutil.copy(db, db2)
    other = tmp_path / "model"
    shutil.copytree(ROOT / "model", other)
    card = json.loads((other / "card.json").read_text(encoding="utf-8"))
    (other / "card.json").write_text(json.dumps({**card, "note": "another card"}), encoding="utf-8")
    conn = sqlite3.connect(db2)
    conn.execute("DELETE FROM predictions WHERE report_id = 1 AND sent_id % 2 = 0")  # so that a change shows
    conn.commit()
    conn.close()
    result = corpus_update(db=db2, model_dir=str(other))
    assert result.reclassified == len(SEEDS)
    assert len({r[0] for r in rows(db2, "SELECT card_sha256 FROM reports")}) == 1
    assert rows(db2, "SELECT * FROM predictions ORDER BY report_id, sent_id") == rows(db, "SELECT * FROM predictions ORDER BY report_id, sent_id")
    assert corpus_update(db=db2, model_dir=str(other)).reclassified == 0
    assert corpus_update(db=db2, model_dir=str(other), force=True).reclassified == len(SEEDS)


def test_jobs_2_stores_the_same_database(seeds_db, tmp_path):
    folder, db = seeds_db
    db2 = str(tmp_path / "j.db")
    corpus_add([str(folder)], db=db2, jobs=2)
    query = "SELECT r.doc_id, p.sent_id, p.label, p.confidence FROM predictions p JOIN reports r USING (report_id) ORDER BY 1, 2"
    assert rows(db2, query) == rows(db, query)


def test_summary_counts_match_the_stored_predictions(seeds_db):
    _, db = seeds_db
    for by in ("year", "issuer", "province", "level", "kind"):
        out = corpus_summary(db=db, by=by)
        assert sum(r["reports"] for r in out) == len(SEEDS)
        for r in out:
            key = None if r[by] == "unknown" else r[by]
            where = f"r.{by} IS NULL" if key is None else f"r.{by} = ?"
            labels = rows(db, f"SELECT p.label FROM predictions p JOIN reports r USING (report_id) WHERE {where}", *([key] if key is not None else []))
            assert r["units"] == len(labels)
            assert {lab: r[lab] for lab in LABELS} == {lab: sum(x == lab for (x,) in labels) for lab in LABELS}
            assert r["problem_share"] == pytest.approx(r["problem"] / r["units"], abs=1e-4)
    assert corpus_summary(db=db, by="level")[-1]["level"] == "unknown"  # unknown last
    with pytest.raises(FazhiError, match="cannot summarize by"):
        corpus_summary(db=db, by="colour")


def test_summary_formats_from_the_cli(seeds_db, tmp_path):
    import pandas as pd

    _, db = seeds_db
    proc = run_cli("corpus", "summary", "--db", db, "--by", "issuer", "-f", "jsonl")
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert lines == corpus_summary(db=db, by="issuer")
    xlsx = tmp_path / "s.xlsx"
    proc = run_cli("corpus", "summary", "--db", db, "-o", xlsx)
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_excel(xlsx)
    assert list(frame["reports"]) == [r["reports"] for r in corpus_summary(db=db)]
    proc = run_cli("corpus", "summary", "--db", db, "-f", "csv")
    assert proc.stdout.splitlines()[0].startswith("year,reports,issuers,units,")
    assert_clean_error(run_cli("corpus", "summary", "--db", tmp_path / "none.db"), "no corpus database")
    assert_clean_error(run_cli("corpus", "summary", "--db", db, "-f", "xlsx"), "xlsx is written to a file")


def test_the_database_opens_in_pandas_and_refuses_what_it_cannot_read(seeds_db, tmp_path):
    import pandas as pd

    _, db = seeds_db
    conn = sqlite3.connect(db)
    frame = pd.read_sql("SELECT * FROM labeled_units", conn)
    conn.close()
    assert len(frame) == rows(db, "SELECT count(*) FROM predictions")[0][0]
    assert set(frame["label"]) <= set(LABELS)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(FazhiError, match="not a corpus database"):
        connect(str(junk))
    future = tmp_path / "future.db"
    conn = sqlite3.connect(future)
    conn.execute("CREATE TABLE x (a)")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(FazhiError, match="schema 99"):
        connect(str(future))


def test_the_schema_is_documented_in_the_readme(seeds_db):
    _, db = seeds_db
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = rows(db, "SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    assert {t for _, t in names} == {"table", "index", "view"}
    for name, _ in names:
        assert f"`{name}`" in readme, name
    for table in ("reports", "units", "predictions"):
        for (column,) in rows(db, f"SELECT name FROM pragma_table_info('{table}')"):
            assert f"`{column}`" in readme, (table, column)


def test_cli_add_reports_failures_and_partial_exit(tmp_path):
    db = tmp_path / "c.db"
    proc = run_cli("corpus", "add", SEEDS[0], tmp_path / "missing.txt", "--db", db)
    assert proc.returncode == 1, proc.stderr
    assert "missing.txt" in proc.stderr and "1 added" in proc.stderr and "1 failed" in proc.stderr
    proc = run_cli("corpus", "add", SEEDS[0], "--db", db)
    assert proc.returncode == 0 and "1 unchanged" in proc.stderr
    assert_clean_error(run_cli("corpus", "add", tmp_path / "missing.txt", "--db", db), "missing.txt")
    assert_clean_error(run_cli("corpus", "add", SEEDS[0], "--db", db, "--level", "village"), "level must be one of")


def test_the_word_cache_stays_bounded_while_reports_stream(monkeypatch, model):
    from fazhi.corpus import add
    from fazhi.learning import words

    monkeypatch.setattr(add, "WORD_CACHE", 50)
    words._cut.cache_clear()
    sizes = []
    for p in SEEDS:
        add.classify_file(str(p), p.stem, model)
        sizes.append(words._cut.cache_info().currsize)
    assert max(sizes) <= 50
    monkeypatch.setattr(add, "WORD_CACHE", 10_000)
    words._cut.cache_clear()
    for p in SEEDS:
        add.classify_file(str(p), p.stem, model)
    assert words._cut.cache_info().currsize > 50  # without the bound it grows: the check can fail
