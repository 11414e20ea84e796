"""Whatever bytes a file holds, reading it gives a Report or a FazhiError, nothing else."""
import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.errors import FazhiError
from fazhi.units.report import load_report, segment_report
from fazhi.vocab import Report

PIECES = [
    "一、", "（二）", "(三)", "1.", "2、", "（4）", "一是", "二是", "其三，", "。", "；", "！", "？", "，", "：",
    "”", "\n", "\n\n", " ", "\u3000", "\t", "|", "||||", "**", "__", "# ", "【关闭窗口】", "[bookmark: _GoBack]",
    "点击数：12", "发布时间：2022-03-02", "2021年12月30日", "二〇二一年十二月三十日", "- 3 -", "第3页",
    "法治政府建设", "行政复议案件15件", "85.6%", "存在的問題", "執法監督", "区人民政府", "A", "\ufeff",
    "<p>", "</div>", "&nbsp;", "\r\n", "\x0c",
]  # fmt: skip
EXTENSIONS = ["", ".txt", ".md", ".html", ".docx", ".pdf"]
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

report_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=60).map("".join)


def _zip(document: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document)
    return out.getvalue()


file_bytes = st.one_of(
    st.binary(max_size=3000),
    report_text.map(lambda t: t.encode("utf-8")),
    report_text.map(lambda t: t.encode("gb18030")),
    report_text.map(lambda t: t.encode("utf-16")),
    st.tuples(st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"<!DOCTYPE html><html><body>", b"\xd0\xcf\x11\xe0"]),
              st.binary(max_size=2000)).map(b"".join),  # fmt: skip
    report_text.map(lambda t: f"<html><body><div class='nav'>首页</div><p>{t}</p></body></html>".encode()),
    st.binary(max_size=1000).map(_zip),
)


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@FUZZ
@given(report_text)
def test_segment_report_never_crashes(text):
    try:
        report = segment_report(text)
    except FazhiError:
        return
    assert isinstance(report, Report) and any(u.is_content for u in report.units)


@FUZZ
@given(file_bytes, st.sampled_from(EXTENSIONS))
def test_reading_any_file_never_crashes(folder, data, ext):
    path = folder / f"fuzz{ext}"
    path.write_bytes(data)
    try:
        report = load_report(str(path))
    except FazhiError as e:
        assert "fuzz" in str(e) and "\n" not in str(e)
        return
    assert isinstance(report, Report)
