"""Bad input files: one clear line naming the file, exit code 2, never a traceback."""
import csv
import io
import random
import re
import zipfile

import pytest

from fazhi.errors import FazhiError
from fazhi.units.report import load_report

from conftest import SEEDS, assert_clean_error, run_cli
from test_formats import make_docx, make_pdf

TEXT = "一、总体情况\n全年办结行政复议案件十五件，纠正违法行政行为三件。\n二、存在问题\n执法监督不够有力。"


def noise(n, seed=7):
    return random.Random(seed).randbytes(n)


def docx_bytes(tmp_path):
    return make_docx(tmp_path / "ok.docx", TEXT.split("\n")).read_bytes()


def pdf_bytes(tmp_path, **kw):
    return make_pdf(tmp_path / "ok.pdf", TEXT * 20, **kw).read_bytes()


def encrypted(tmp_path, user, algorithm="AES-256"):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(tmp_path))))
    writer.encrypt(user_password=user, owner_password="owner", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_without_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/other.xml", "<x/>")
    return out.getvalue()


# name, content (bytes, or a function of tmp_path), words the message must hold
BAD = [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b" \r\n\t\n", "empty file"),
    ("empty.docx", b"", "empty file"),
    ("empty.pdf", b"", "empty file"),
    ("nothing.docx", lambda p: make_docx(p / "n.docx", []).read_bytes(), "no text"),
    ("nothing.html", b"<html><body><script>var a = 1;</script><div class='nav'></div></body></html>", "no text"),
    ("binary.txt", noise(4000), "binary file"),
    ("binary", bytes(range(256)) * 8, "binary file"),
    ("scanned.pdf", blank_pdf, "scanned image"),
    ("locked.pdf", lambda p: encrypted(p, "secret"), "encrypted PDF"),
    ("locked-rc4.pdf", lambda p: encrypted(p, "secret", "RC4-128"), "encrypted PDF"),
    ("corrupt.pdf", b"%PDF-1.4\n" + noise(3000), "corrupt PDF"),
    ("truncated.pdf", lambda p: pdf_bytes(p)[:1500], "corrupt PDF"),
    ("not-a-pdf.pdf", noise(3000), "corrupt PDF"),
    ("corrupt.docx", noise(3000), "corrupt .docx"),
    ("truncated.docx", lambda p: docx_bytes(p)[:3000], "corrupt .docx"),
    ("no-document.docx", zip_without_document(), "corrupt .docx"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + noise(2000), ".doc"),
    ("archive.zip", zip_without_document().replace(b"word/", b"data/"), "zip archive"),
    ("no-sentence.txt", "【关闭窗口】\n———————\n2021年12月30日\n".encode(), "no sentence"),
    ("no-sentence.html", "<html><body><p>||||</p><p>2021年12月30日</p></body></html>".encode(), "no sentence"),
]


def write_bad(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content(tmp_path) if callable(content) else content)
    return path


@pytest.mark.parametrize("name, content, needle", BAD, ids=[row[0] for row in BAD])
def test_bad_file_raises_fazhi_error(tmp_path, name, content, needle):
    path = write_bad(tmp_path, name, content)
    with pytest.raises(FazhiError) as caught:
        load_report(str(path))
    message = str(caught.value)
    assert name in message and needle in message
    assert "\n" not in message


@pytest.mark.parametrize("name, content, needle", BAD, ids=[row[0] for row in BAD])
def test_bad_file_on_the_command_line(tmp_path, name, content, needle):
    path = write_bad(tmp_path, name, content)
    proc = run_cli("segment", path)
    assert_clean_error(proc, name, needle)
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == ""


def test_missing_file(tmp_path):
    with pytest.raises(FazhiError, match="nope.pdf: no such file"):
        load_report(str(tmp_path / "nope.pdf"))
    assert_clean_error(run_cli("segment", tmp_path / "nope.pdf"), "nope.pdf", "no such file")


def test_folder_without_reports(tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "page1.jpg").write_bytes(b"\xff\xd8\xff" + noise(100))
    proc = run_cli("segment", folder)
    assert_clean_error(proc, "scans", "holds no report")
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("algorithm", ["AES-256", "RC4-128"])
def test_pdf_with_only_an_owner_password_is_read(tmp_path, algorithm):
    path = tmp_path / "open.pdf"
    path.write_bytes(encrypted(tmp_path, "", algorithm))
    assert any("纠正违法行政行为三件" in u.text for u in load_report(str(path)).units)


def test_folder_with_one_bad_and_one_good_file(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n" + noise(500))
    good = folder / SEEDS[1].name
    good.write_bytes(SEEDS[1].read_bytes())
    proc = run_cli("segment", folder)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert [line for line in proc.stderr.splitlines() if line.strip()] == [
        line for line in proc.stderr.splitlines() if line.startswith("fazhi: error:") and "broken.pdf" in line
    ]
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert {r["doc_id"] for r in rows} == {SEEDS[1].stem}
    assert len(rows) == len(load_report(str(SEEDS[1])).units)


def test_no_stray_output_from_pdf_library(tmp_path):
    """pypdf's own warnings about a damaged file stay quiet: the one error line is fazhi's."""
    damaged = re.sub(rb"startxref\s+\d+", b"startxref\n123", pdf_bytes(tmp_path))  # pypdf recovers, complaining
    path = tmp_path / "damaged.pdf"
    path.write_bytes(damaged)
    proc = run_cli("segment", path)
    assert proc.returncode == 0 and proc.stderr == ""
    assert "纠正违法行政行为三件" in proc.stdout
