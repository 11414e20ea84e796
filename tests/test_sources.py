"""The reports a command names: one distinct doc_id per input, never two merged."""
import json

from conftest import ROOT, run_cli
from fazhi.units.sources import doc_ids

SEED = ROOT / "seeds" / "nanling-2021.txt"


def test_doc_ids_are_stems_unless_they_collide():
    assert doc_ids(["a/x.txt", "b/y.html"]) == ["x", "y"]
    assert doc_ids(["/r/adir/news.html", "/r/bdir/news.html", "/r/c.txt"]) == ["adir/news", "bdir/news", "c"]
    assert doc_ids(["/r/a/x/index.html", "/r/b/x/index.html"]) == ["a/x/index", "b/x/index"]
    assert doc_ids(["/r/a.txt", "/r/a.txt"]) == ["a", "a~2"]
    assert doc_ids(["-"]) == ["-"]


def test_same_named_files_are_not_merged(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    for name, body in (("adir", text), ("bdir", text.replace("行政复议", "行政裁决"))):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.txt").write_text(body, encoding="utf-8")
    proc = run_cli("classify", tmp_path / "adir" / "index.txt", tmp_path / "bdir" / "index.txt", "-f", "jsonl")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    ids = [r["doc_id"] for r in rows]
    assert set(ids) == {"adir/index", "bdir/index"}
    alone = [json.loads(line) for line in run_cli("classify", SEED, "-f", "jsonl").stdout.splitlines()]
    first = [r for r in rows if r["doc_id"] == "adir/index"]
    assert [r["sent_id"] for r in first] == [r["sent_id"] for r in alone]  # not interleaved
    assert [r["p_plan"] for r in first] == [r["p_plan"] for r in alone]  # probabilities unchanged
