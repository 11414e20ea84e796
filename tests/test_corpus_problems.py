"""fazhi corpus problems: problems of different reports grouped by what they say."""
import csv
import io
import json
import sqlite3

import pytest

from conftest import ROOT, assert_clean_error, run_cli
from fazhi.corpus.add import corpus_add
from fazhi.corpus.problems import corpus_problems, group_texts
from fazhi.corpus.text import is_statement


@pytest.fixture(scope="module")
def groups(corpus_db):
    return corpus_problems(db=corpus_db, min_reports=1)


def stored(db):
    conn = sqlite3.connect(db)
    try:
        q = ("SELECT r.doc_id, u.sent_id, u.text, p.label, r.year, r.level, r.report_id FROM predictions p "
             "JOIN units u USING (report_id, sent_id) JOIN reports r USING (report_id)")
        return {(d, s): rest for d, s, *rest in conn.execute(q)}
    finally:
        conn.close()


def test_every_problem_statement_is_in_one_group(corpus_db, groups):
    units = stored(corpus_db)
    members = [(m["doc"], m["sent"]) for g in groups for m in g["members"]]
    assert len(members) == len(set(members))
    problems = {k for k, (text, label, *_) in units.items() if label == "problem"}
    assert set(members) <= problems
    with open(ROOT / "labels" / "corpus" / "problems.csv", encoding="utf-8", newline="") as f:
        written = {(r["doc_id"], int(r["sent_id"])) for r in csv.DictReader(f)}
    assert written <= set(members)  # every problem statement written for the material is grouped
    assert all(is_statement(units[k][0]) for k in members)


def test_each_group_is_described_by_its_members(corpus_db, groups):
    units = stored(corpus_db)
    for g in groups:
        texts = [units[(m["doc"], m["sent"])][0] for m in g["members"]]
        assert g["units"] == len(g["members"])
        assert g["reports"] == len({units[(m["doc"], m["sent"])][4] for m in g["members"]})
        assert sum(g["years"].values()) == g["units"]  # every report of the material has its year
        assert g["years"] == {str(y): sum(m["year"] == y for m in g["members"]) for y in sorted({m["year"] for m in g["members"]})}
        assert g["sentence"] in texts
        assert g["terms"] and all(any(t in x for x in texts) for t in g["terms"])
    order = [(g["reports"], g["units"]) for g in groups]
    assert order == sorted(order, reverse=True)
    assert [g["group"] for g in groups] == list(range(1, len(groups) + 1))


def test_min_reports_top_and_level(corpus_db, groups):
    two = corpus_problems(db=corpus_db)  # default: admitted by 2 reports or more
    assert two and all(g["reports"] >= 2 for g in two)
    assert [g["members"] for g in two] == [g["members"] for g in groups if g["reports"] >= 2]
    assert len(corpus_problems(db=corpus_db, min_reports=4)) < len(two)
    assert corpus_problems(db=corpus_db, top=3) == two[:3]
    county = corpus_problems(db=corpus_db, min_reports=1, level="county")
    units = stored(corpus_db)
    assert county and all(units[(m["doc"], m["sent"])][3] == "county" for g in county for m in g["members"])


def _report(path, title, problems):
    items = "\n".join(f"{n}是{p}" for n, p in zip("一二三四五", problems))
    path.write_text(f"{title}\n\n一、主要工作\n全年组织学法6次。\n二、存在的问题\n{items}\n三、下一步打算\n一是加强学习。\n", encoding="utf-8")


def test_the_same_problem_in_other_words_recurs_and_others_stay_apart(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    _report(docs / "a-2021.txt", "甲县2021年法治政府建设情况报告", ["执法信息平台互不联通，执法数据无法共享。", "普法宣传形式单一，群众参与度不高。"])
    _report(docs / "b-2022.txt", "乙县2022年法治政府建设情况报告", ["部门执法信息平台不联通，执法数据难以共享。", "普法宣传方式单一，群众参与积极性不高。"])
    _report(docs / "c-2023.txt", "丙县2023年法治政府建设情况报告", ["执法数据共享不够，信息平台没有联通。", "农村违法占用耕地建房问题仍较突出。"])
    db = str(tmp_path / "c.db")
    corpus_add([str(docs)], db=db)
    found = {frozenset(m["doc"] for m in g["members"]): g for g in corpus_problems(db=db)}
    assert set(found) == {frozenset({"a-2021", "b-2022", "c-2023"}), frozenset({"a-2021", "b-2022"})}
    platforms = found[frozenset({"a-2021", "b-2022", "c-2023"})]
    assert platforms["years"] == {"2021": 1, "2022": 1, "2023": 1} and "平台" in "".join(platforms["terms"]) + platforms["sentence"]


def test_beyond_the_sample_units_join_the_nearest_group():
    a = [f"第{i}执法信息平台互不联通，部门执法数据无法共享。" for i in range(30)]
    b = [f"第{i}普法宣传形式单一，群众参与普法活动的热情不高。" for i in range(30)]
    c = ["农村违法占用耕地建房问题突出。"]
    labels, X, _ = group_texts(a + b + c, sample=10, seed=1)
    assert len(set(labels[:30])) == 1 and len(set(labels[30:60])) == 1
    assert labels[0] != labels[30] and labels[60] not in (labels[0], labels[30])
    same, _, _ = group_texts(a + b + c, sample=1000)
    assert (same[:30] == same[0]).all() and (same[30:60] == same[30]).all()


def test_cli_formats(corpus_db, tmp_path):
    proc = run_cli("corpus", "problems", "--db", corpus_db, "-f", "jsonl", "--top", "4")
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(x) for x in proc.stdout.splitlines()] == corpus_problems(db=corpus_db, top=4)
    proc = run_cli("corpus", "problems", "--db", corpus_db, "-f", "csv")
    back = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert back and list(back[0]) == ["group", "reports", "issuers", "units", "years", "levels", "terms", "sentence"]
    assert_clean_error(run_cli("corpus", "problems", "--db", corpus_db, "--level", "village"), "level must be one of")
