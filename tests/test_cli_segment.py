"""`fazhi segment`: units as a labels CSV."""
import csv
import io

from conftest import ROOT, SEEDS, assert_clean_error, run_cli


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_segment_all_seeds_to_file(tmp_path, seed_reports):
    out = tmp_path / "units.csv"
    proc = run_cli("segment", *SEEDS, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads it as UTF-8
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["doc_id", "sent_id", "section", "text", "label", "note"]
    assert len(rows) == sum(len(r.units) for r in seed_reports.values())
    assert {r["doc_id"] for r in rows} == {p.stem for p in SEEDS}
    assert all(r["label"] == "" for r in rows)
    content = [r for r in rows if not r["note"]]
    assert sum(1 for r in content if r["section"]) >= 0.95 * len(content)


def test_segment_stdout_and_stdin():
    proc = run_cli("segment", "-", input="二、存在问题\n1.行政行为不够规范。执法记录不够规范。\n")
    assert proc.returncode == 0, proc.stderr
    rows = rows_of(proc.stdout)
    assert [r["text"] for r in rows] == ["二、存在问题", "1.行政行为不够规范。", "执法记录不够规范。"]
    assert {r["doc_id"] for r in rows} == {"-"}
    assert rows[2]["section"] == "二、存在问题"


def test_segment_missing_file(tmp_path):
    proc = run_cli("segment", tmp_path / "nope.txt")
    assert_clean_error(proc, "nope.txt", "no such file")


def test_segment_one_bad_file_among_good(tmp_path):
    proc = run_cli("segment", tmp_path / "nope.txt", SEEDS[0])
    assert proc.returncode == 1
    assert "nope.txt" in proc.stderr and "Traceback" not in proc.stderr
    assert len(rows_of(proc.stdout)) > 10


def test_segment_folder(tmp_path):
    proc = run_cli("segment", ROOT / "seeds")
    assert proc.returncode == 0
    assert {r["doc_id"] for r in rows_of(proc.stdout)} == {p.stem for p in SEEDS}
