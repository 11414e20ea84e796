"""Where output goes: paths checked before anything runs, the user's umask, Excel, CSV with a
BOM, TSV, and extensions fazhi cannot write."""
import csv
import io
import json
import os
import stat

import pytest

from conftest import ROOT, SEEDS, assert_clean_error, run_cli
from fazhi.output.formats import choose_format, encoding_for
from fazhi.output.predictions import FIELDS
from fazhi.errors import FazhiError

SEED = ROOT / "seeds" / "dawukou-2021.txt"
TWO = [ROOT / "seeds" / "dawukou-2021.txt", ROOT / "seeds" / "wanghua-2021.txt"]


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask():
    """Run the block under a given umask (children inherit it)."""
    old = os.umask(0o022)
    os.umask(old)

    def set_mask(mask):
        os.umask(mask)

    yield set_mask
    os.umask(old)


def unwritable_folder(tmp_path):
    """A folder no file can be made in: /sys for root (who may write anywhere else), else a
    folder without write permission."""
    if os.geteuid() == 0:
        return "/sys"
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    return str(folder)


# --- output paths ---------------------------------------------------------------------


@pytest.mark.parametrize("command", ["classify", "summarize", "segment"])
def test_output_naming_an_input_is_refused_and_the_input_kept(tmp_path, command):
    report = tmp_path / "p2.csv"  # a plain-text report, whatever its name
    report.write_bytes(SEED.read_bytes())
    before = report.read_bytes()
    assert_clean_error(run_cli(command, report, "-o", report), "p2.csv", "is also an input")
    assert_clean_error(run_cli(command, tmp_path / "p*.csv", "-o", report), "is also an input")  # named by a glob
    assert report.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p2.csv"]


def test_classify_with_a_format_onto_its_input_is_refused(tmp_path):
    report = tmp_path / "p2.txt"
    report.write_bytes(SEED.read_bytes())
    assert_clean_error(run_cli("classify", report, "-f", "jsonl", "-o", report), "p2.txt", "is also an input")
    assert report.read_bytes() == SEED.read_bytes()


@pytest.mark.parametrize("command", ["classify", "summarize", "segment"])
def test_bad_output_paths_are_one_line(tmp_path, command):
    (tmp_path / "somefolder").mkdir()
    locked = unwritable_folder(tmp_path)
    cases = [
        (tmp_path / "somefolder", "is a folder"),
        (tmp_path / "missing" / "out.csv", "no such folder"),
        (os.path.join(locked, "out.csv"), "cannot write here"),
    ]
    for output, message in cases:
        proc = run_cli(command, SEED, "-o", output)
        assert_clean_error(proc, message)
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o077, 0o600)])
def test_files_follow_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    out = tmp_path / "out.csv"
    assert run_cli("classify", SEED, "-o", out).returncode == 0
    assert mode(out) == expected
    html = tmp_path / "out.html"
    assert run_cli("classify", SEED, "-o", html).returncode == 0
    assert mode(html) == expected
    units = tmp_path / "units.csv"
    assert run_cli("segment", SEED, "-o", units).returncode == 0
    assert mode(units) == expected
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".fazhi")]


def test_a_replaced_file_keeps_its_permissions(tmp_path, umask):
    umask(0o022)
    out = tmp_path / "out.csv"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    assert run_cli("classify", SEED, "-o", out).returncode == 0
    assert mode(out) == 0o640 and out.read_text(encoding="utf-8-sig").startswith("doc_id,")


# --- formats --------------------------------------------------------------------------


def test_csv_files_have_a_bom_and_read_cleanly(tmp_path):
    out = tmp_path / "units.csv"
    assert run_cli("classify", SEED, "-o", out).returncode == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    data.decode("utf-8")  # UTF-8 after the BOM: what Excel reads it as
    import pandas as pd

    assert list(pd.read_csv(out).columns) == FIELDS  # no "\ufeffdoc_id"
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == FIELDS and rows[0]["doc_id"] == "dawukou-2021"
    # on stdout, for programs: no BOM
    piped = run_cli("classify", SEED, "-f", "csv")
    assert piped.stdout.startswith("doc_id,")
    assert piped.stdout.splitlines()[1:] == out.read_text(encoding="utf-8-sig").splitlines()[1:]


def test_summarize_and_segment_csv_files_have_a_bom(tmp_path):
    table, units = tmp_path / "table.csv", tmp_path / "units.csv"
    assert run_cli("summarize", *TWO, "-o", table).returncode == 0
    assert run_cli("segment", SEED, "-o", units).returncode == 0
    for path, first in ((table, "doc_id"), (units, "doc_id")):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf" + first.encode())
    from fazhi.labels.rows import read_csv  # the segment output is ready to label

    columns, rows, _ = read_csv(str(units))
    assert columns[0] == "doc_id" and rows


def test_tsv_is_tab_separated(tmp_path):
    out = tmp_path / "units.tsv"
    assert run_cli("classify", SEED, "-o", out).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert text.split("\n", 1)[0] == "\t".join(FIELDS)
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t"))
    as_csv = list(csv.DictReader(io.StringIO(run_cli("classify", SEED, "-f", "csv").stdout)))
    assert rows == as_csv
    summary = tmp_path / "table.tsv"
    assert run_cli("summarize", SEED, "-o", summary).returncode == 0
    assert summary.read_text(encoding="utf-8").startswith("doc_id\tunits\t")


def test_unknown_extensions_are_one_line(tmp_path):
    for command, name in (("classify", "out.txt"), ("classify", "out.xls"), ("summarize", "t.html"), ("segment", "u.xlsx")):
        proc = run_cli(command, SEED, "-o", tmp_path / name)
        assert_clean_error(proc, f"cannot write a .{name.split('.')[-1]} file", "--format")
        assert not (tmp_path / name).exists()
    # with --format the user has said what to write
    assert run_cli("classify", SEED, "-o", tmp_path / "out.txt", "-f", "jsonl").returncode == 0
    assert json.loads((tmp_path / "out.txt").read_text(encoding="utf-8").splitlines()[0])["doc_id"] == "dawukou-2021"


def test_choose_format():
    formats = ("table", "csv", "tsv", "jsonl", "html", "xlsx")
    pick = lambda output, tty=False, requested=None: choose_format(output, tty, requested, formats=formats, piped="jsonl")  # noqa: E731
    assert pick("a.XLSX") == "xlsx" and pick("a.tsv") == "tsv" and pick("a.htm") == "html"
    assert pick("noext") == "jsonl" and pick(None, tty=True) == "table" and pick("-") == "jsonl"
    with pytest.raises(FazhiError, match=r"cannot write a \.docx file"):
        pick("a.docx")
    with pytest.raises(FazhiError, match="written to a file"):
        pick(None, requested="xlsx")
    assert encoding_for("csv", "a.csv") == "utf-8-sig" and encoding_for("csv", None) == "utf-8"
    assert encoding_for("tsv", "a.tsv") == "utf-8"


# --- Excel ----------------------------------------------------------------------------


def test_classify_writes_a_real_workbook(tmp_path):
    import openpyxl
    import pandas as pd

    out = tmp_path / "reports.xlsx"
    proc = run_cli("classify", *TWO, "-o", out)
    assert proc.returncode == 0, proc.stderr
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["units", "reports"]
    units = sheets["units"]
    printed = [json.loads(line) for line in run_cli("classify", *TWO, "-f", "jsonl").stdout.splitlines()]
    assert list(units.columns) == FIELDS and len(units) == len(printed)
    assert units["text"].tolist() == [p["text"] for p in printed]
    assert units["label"].tolist() == [p["label"] for p in printed]
    reports = sheets["reports"]
    assert reports["report"].tolist() == ["dawukou-2021", "wanghua-2021"]
    assert reports["units"].sum() == len(printed)
    for label in ("achievement", "metric", "problem", "plan"):
        assert reports[label].sum() == sum(p["label"] == label for p in printed)
    book = openpyxl.load_workbook(out)
    sheet = book["units"]
    assert sheet.freeze_panes == "A2" and book["reports"].freeze_panes == "A2"
    text_column = FIELDS.index("text") + 1
    assert sheet.cell(row=2, column=text_column).alignment.wrap_text
    assert sheet.column_dimensions["D"].width >= 60


def test_summarize_writes_a_workbook(tmp_path):
    import openpyxl
    import pandas as pd

    out = tmp_path / "table.xlsx"
    assert run_cli("summarize", *TWO, "-o", out).returncode == 0
    frame = pd.read_excel(out, sheet_name="reports")
    as_csv = pd.read_csv(io.StringIO(run_cli("summarize", *TWO, "-f", "csv").stdout))
    assert frame["doc_id"].tolist() == as_csv["doc_id"].tolist()
    assert frame["n_plan_items"].tolist() == as_csv["n_plan_items"].tolist()
    assert openpyxl.load_workbook(out)["reports"].freeze_panes == "A2"


def test_xlsx_on_stdout_is_refused():
    assert_clean_error(run_cli("classify", SEED, "-f", "xlsx"), "written to a file")
