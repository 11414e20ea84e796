"""fazhi corpus promises: plans of year N linked to the outcomes of year N+1."""
import csv
import io
import json
import sqlite3

import pytest

from conftest import assert_clean_error, run_cli
from fazhi.corpus.add import corpus_add
from fazhi.corpus.promises import KEPT, NO_TRACE, corpus_promises, kept_by_issuer
from fazhi.corpus.text import is_statement, issuer_key


def units(db):
    conn = sqlite3.connect(db)
    try:
        q = ("SELECT r.doc_id, r.issuer, r.year, u.sent_id, u.text, p.label FROM predictions p "
             "JOIN units u USING (report_id, sent_id) JOIN reports r USING (report_id)")
        return {(d, s): (i, y, t, lab) for d, i, y, s, t, lab in conn.execute(q)}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def rows(corpus_db):
    return corpus_promises(db=corpus_db)


def test_each_plan_is_linked_within_its_issuer_to_next_years_outcomes(corpus_db, rows):
    got = units(corpus_db)
    assert rows and {r["status"] for r in rows} == {KEPT, NO_TRACE}
    for r in rows:
        issuer, year, text, label = got[(r["plan_doc"], r["plan_sent"])]
        assert label == "plan" and text == r["plan"] and year == r["year"]
        assert issuer_key(issuer) == issuer_key(r["issuer"])
        assert (r["status"] == KEPT) == bool(r["links"])
        scores = [x["score"] for x in r["links"]]
        assert scores == sorted(scores, reverse=True) and all(s >= 0.3 for s in scores)
        for x in r["links"]:
            o_issuer, o_year, _, o_label = got[(x["doc"], x["sent"])]
            assert issuer_key(o_issuer) == issuer_key(issuer) and o_year == year + 1
            assert o_label in ("achievement", "metric")
        if r["links"]:
            assert (r["evidence_doc"], r["evidence_sent"]) == (r["links"][0]["doc"], r["links"][0]["sent"])
            assert r["evidence"] == got[(r["evidence_doc"], r["evidence_sent"])][2]
            assert r["score"] == r["links"][0]["score"]


def test_the_written_pairs_are_all_rows(rows):
    """Every plan paired by hand is one row; headings and lead-ins are not plans."""
    from conftest import ROOT

    with open(ROOT / "labels" / "corpus" / "promises.csv", encoding="utf-8", newline="") as f:
        gold = {(r["plan_doc"], int(r["plan_sent"])) for r in csv.DictReader(f)}
    assert {(r["plan_doc"], r["plan_sent"]) for r in rows} == gold
    assert all(is_statement(r["plan"]) for r in rows)


def test_the_latest_year_and_unknown_issuers_are_left_out(corpus_db, rows):
    years = {(issuer_key(r["issuer"]), r["year"]) for r in rows}
    assert ("岫川县", 2021) in years and ("岫川县", 2022) in years and ("岫川县", 2023) not in years
    assert ("汀兰区", 2021) in years  # 汀兰区 (2021) and 汀兰区人民政府 (2022) are one issuer


def test_issuer_filter_and_min_score(corpus_db, rows):
    one = corpus_promises(db=corpus_db, issuer="苇岙镇")
    assert one and {r["issuer"] for r in one} == {"苇岙镇人民政府"}
    assert one == [r for r in rows if r["issuer"] == "苇岙镇人民政府"]
    kept = [sum(r["status"] == KEPT for r in corpus_promises(db=corpus_db, min_score=s)) for s in (0.1, 0.3, 0.6, 1.0)]
    assert kept == sorted(kept, reverse=True) and kept[0] > kept[-1]
    rates = kept_by_issuer(rows)
    assert sum(x["plans"] for x in rates) == len(rows)
    assert all(x["kept"] + x["no_trace"] == x["plans"] for x in rates)


def _write(path, title, body):
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")


def test_a_plan_carried_out_is_kept_and_one_dropped_has_no_trace(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    _write(docs / "a.txt", "枫林县人民政府关于2021年度法治政府建设情况的报告",
           "一、2021年主要工作\n县政府全年组织学法6次。\n二、2022年工作打算\n"
           "一是建成县公共法律服务中心，提供一站式法律服务。\n二是开展行政执法案卷评查，评查案卷不少于200卷。\n"
           "三是在全县中小学配备法治副校长。")
    _write(docs / "b.txt", "枫林县人民政府关于2022年度法治政府建设情况的报告",
           "一、2022年主要工作\n县公共法律服务中心于5月建成运行，为群众提供一站式法律服务1.2万人次。\n"
           "组织评查行政执法案卷236卷，评出优秀案卷15卷。\n全县调解纠纷830件。\n二、2023年工作打算\n一是继续推进依法行政。")
    db = str(tmp_path / "c.db")
    corpus_add([str(docs)], db=db)
    got = {r["plan"][:4]: r for r in corpus_promises(db=db)}
    assert set(got) == {"一是建成", "二是开展", "三是在全"}
    assert got["一是建成"]["status"] == KEPT and got["一是建成"]["evidence"].startswith("县公共法律服务中心")
    assert got["二是开展"]["status"] == KEPT and got["二是开展"]["evidence"].startswith("组织评查行政执法案卷")
    assert got["三是在全"]["status"] == NO_TRACE and got["三是在全"]["evidence"] == ""


def test_cli_formats(corpus_db, tmp_path):
    proc = run_cli("corpus", "promises", "--db", corpus_db, "--issuer", "鹿岑县", "-f", "jsonl")
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(x) for x in proc.stdout.splitlines()] == corpus_promises(db=corpus_db, issuer="鹿岑县")
    proc = run_cli("corpus", "promises", "--db", corpus_db, "--issuer", "鹿岑县", "-f", "csv")
    back = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(back) == 20 and {r["status"] for r in back} <= {KEPT, NO_TRACE}
    assert all(r["links"].count("#") == (r["status"] == KEPT and r["links"].count(";") + 1) for r in back)
    proc = run_cli("corpus", "promises", "--db", corpus_db, "--issuer", "无此县")
    assert proc.returncode == 0 and proc.stdout.strip() == "" or "0 of 0" in proc.stdout
    assert "no issuer has reports of two consecutive years" in proc.stderr
    assert_clean_error(run_cli("corpus", "promises", "--db", tmp_path / "none.db"), "no corpus database")
