"""The written corpus material: plan→outcome pairs and problem groups point at real units."""
import csv
import re
from collections import Counter

import pytest

from conftest import ROOT
from fazhi.units.report import load_report

CORPUS = ROOT / "labels" / "corpus"


def read(name):
    with open(CORPUS / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def docs():
    return {p.stem: load_report(str(p)) for p in sorted((CORPUS / "docs").glob("*.txt"))}


def issuer_and_year(doc_id):
    name, year = re.fullmatch(r"(.+)-(\d{4})", doc_id).groups()
    return name, int(year)


def test_pairs_point_at_the_segmented_units_of_next_year(docs):
    rows = read("promises.csv")
    for r in rows:
        plan = docs[r["plan_doc"]].units[int(r["plan_sent"])]
        assert plan.text == r["plan_text"] and plan.is_content, r
        (a, ya), (b, yb) = issuer_and_year(r["plan_doc"]), issuer_and_year(r["outcome_doc"])
        assert a == b and yb == ya + 1, r
        sents = [int(s) for s in r["outcome_sents"].split(";")] if r["outcome_sents"] else []
        texts = [docs[r["outcome_doc"]].units[s].text for s in sents]
        assert " | ".join(texts) == r["outcome_text"], r
    keys = [(r["plan_doc"], r["plan_sent"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_enough_pairs_and_issuers():
    rows = read("promises.csv")
    pairs = sum(len(r["outcome_sents"].split(";")) for r in rows if r["outcome_sents"])
    kept = sum(bool(r["outcome_sents"]) for r in rows)
    issuers = {issuer_and_year(r["plan_doc"])[0] for r in rows}
    assert pairs >= 150 and kept >= 150 and len(rows) - kept >= 20
    assert len(issuers) >= 6
    # some issuers have three consecutive years
    years = Counter(issuer_and_year(d)[0] for d in {r["plan_doc"] for r in rows} | {r["outcome_doc"] for r in rows})
    assert max(years.values()) >= 3


def test_problem_groups_point_at_units_and_recur_across_reports(docs):
    rows = read("problems.csv")
    for r in rows:
        assert docs[r["doc_id"]].units[int(r["sent_id"])].text == r["text"], r
    reports = {}
    for r in rows:
        reports.setdefault(r["group"], set()).add(r["doc_id"])
    assert len(reports) >= 8
    assert sum(len(d) >= 3 for d in reports.values()) >= 6  # most groups recur in several reports


def test_the_material_is_not_training_data(docs):
    """No content sentence of the corpus documents is in a labels file the model is fitted on."""
    trained = set()
    for path in (ROOT / "labels").glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as f:
            trained |= {row["text"] for row in csv.DictReader(f)}
    overlap = [u.text for r in docs.values() for u in r.content if len(u.text) > 20 and u.text in trained]
    assert overlap == []
