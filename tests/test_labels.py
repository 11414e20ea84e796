"""labels/seeds.csv: hand labels aligned with what the segmenter produces today."""
import csv
from collections import Counter

import pytest

from conftest import ROOT

VALID = {"achievement", "metric", "problem", "plan", "skip"}


def read(name):
    with open(ROOT / "labels" / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def seeds_rows():
    return read("seeds.csv")


def test_schema_and_label_set(seeds_rows):
    assert list(seeds_rows[0]) == ["doc_id", "sent_id", "section", "text", "label", "note"]
    bad = [(r["doc_id"], r["sent_id"], r["label"]) for r in seeds_rows if r["label"] not in VALID]
    assert not bad


def test_rows_equal_segmenter_output(seeds_rows, seed_reports):
    """A segmenter change that would misalign the labels fails here."""
    expected = [(u.doc_id, u.sent_id, u.text) for r in sorted(seed_reports) for u in seed_reports[r].units]
    got = sorted((r["doc_id"], int(r["sent_id"]), r["text"]) for r in seeds_rows)
    assert got == sorted(expected)
    sections = {(u.doc_id, u.sent_id): u.section for r in seed_reports.values() for u in r.units}
    assert all(sections[(r["doc_id"], int(r["sent_id"]))] == r["section"] for r in seeds_rows)


def test_no_duplicate_keys(seeds_rows):
    keys = Counter((r["doc_id"], r["sent_id"]) for r in seeds_rows)
    assert [k for k, n in keys.items() if n > 1] == []


def test_every_content_unit_labeled(seeds_rows, seed_reports):
    kinds = {(u.doc_id, u.sent_id): u.kind for r in seed_reports.values() for u in r.units}
    for r in seeds_rows:
        kind = kinds[(r["doc_id"], int(r["sent_id"]))]
        if kind == "content":
            assert r["label"] in VALID - {"skip"}, (r["doc_id"], r["sent_id"], r["label"])
        else:
            assert r["label"] == "skip", (r["doc_id"], r["sent_id"], kind)


def test_second_pass_is_a_stratified_sample(seeds_rows):
    second = read("second-pass.csv")
    assert list(second[0]) == ["doc_id", "sent_id", "section", "text", "label", "note"]
    assert len(second) >= 200
    assert {r["doc_id"] for r in second} == {r["doc_id"] for r in seeds_rows}
    texts = {(r["doc_id"], r["sent_id"]): r["text"] for r in seeds_rows}
    assert all(texts[(r["doc_id"], r["sent_id"])] == r["text"] for r in second)
    assert all(r["label"] in VALID for r in second)


def test_written_material_is_kept_apart():
    rows = read("written.csv")
    assert all(r["doc_id"].startswith("written-") for r in rows)
    assert all(r["label"] in VALID for r in rows)
    assert sum(r["label"] != "skip" for r in rows) >= 300
    keys = Counter((r["doc_id"], r["sent_id"]) for r in rows)
    assert max(keys.values()) == 1
