"""The written documents and their labels: every character of a document in exactly one
unit, in order; labels and kinds from the guide's sets; train and test sets apart."""
import csv
import re
from collections import Counter

import pytest

from conftest import ROOT

LABELS_DIR = ROOT / "labels"
VALID = {"achievement", "metric", "problem", "plan", "skip"}
KINDS = {"annual", "township", "department", "gov-work-report", "rectification", "work-plan", "news", "traditional"}
NOTES = {"title", "signature", "date", "furniture"}
WRITTEN = sorted(LABELS_DIR.glob("written-?.csv"))
WITH_DOCS = [*WRITTEN, LABELS_DIR / "shapes-test.csv"]


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def documents(rows):
    docs = {}
    for r in rows:
        docs.setdefault(r["doc_id"], []).append(r)
    return docs


@pytest.mark.parametrize("path", WITH_DOCS, ids=lambda p: p.name)
def test_units_cover_their_document_in_order(path):
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    for doc_id, rows in documents(read(path)).items():
        assert [int(r["sent_id"]) for r in rows] == list(range(len(rows))), doc_id
        text = (LABELS_DIR / "docs" / f"{doc_id}.txt").read_text(encoding="utf-8")
        assert squeeze("".join(r["text"] for r in rows)) == squeeze(text), doc_id
        assert len({r["kind"] for r in rows}) == 1, doc_id


@pytest.mark.parametrize("path", WITH_DOCS, ids=lambda p: p.name)
def test_labels_kinds_and_skip_notes(path):
    rows = read(path)
    assert list(rows[0]) == ["doc_id", "sent_id", "section", "text", "label", "note", "kind"]
    assert {r["label"] for r in rows} <= VALID
    assert {r["kind"] for r in rows} <= KINDS
    skips = [r for r in rows if r["label"] == "skip"]
    assert all(r["note"].split(";")[0].strip() in NOTES for r in skips), [r["text"] for r in skips if r["note"] not in NOTES]


def test_the_training_material_is_large_and_varied():
    rows = [r for p in WRITTEN for r in read(p)]
    docs = documents(rows)
    assert len(docs) >= 80 and sum(r["label"] != "skip" for r in rows) >= 2000
    kinds = Counter(rs[0]["kind"] for rs in docs.values())
    assert set(kinds) == KINDS
    assert all(doc_id.startswith("written-") for doc_id in docs)  # fitted on, never scored


def test_test_sets_are_apart_from_training():
    test = read(LABELS_DIR / "shapes-test.csv")
    docs = documents(test)
    assert len(docs) >= 25 and len(test) >= 700
    assert not any(d.startswith("written-") for d in docs)
    train_texts = {r["text"] for p in WRITTEN for r in read(p)}
    shared = [r["text"] for r in test if r["text"] in train_texts]
    # only formulaic lines recur (二、存在的问题, 现将有关情况报告如下, furniture), never content
    assert len(shared) < 0.1 * len(test) and all(len(t) <= 50 for t in shared), shared
    contrast = read(LABELS_DIR / "contrast.csv")
    assert len(contrast) >= 120 and {r["label"] for r in contrast} == VALID - {"skip"}
    assert not [r["text"] for r in contrast if r["text"] in train_texts]


def test_second_annotation_is_a_sample_of_the_test_set():
    first = {(r["doc_id"], r["sent_id"]): r for r in read(LABELS_DIR / "shapes-test.csv")}
    second = read(LABELS_DIR / "shapes-test-second-pass.csv")
    assert len(second) >= 300
    assert all((r["doc_id"], r["sent_id"]) in first and first[(r["doc_id"], r["sent_id"])]["text"] == r["text"] for r in second)
    assert {r["label"] for r in second} <= VALID
