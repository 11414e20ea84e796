"""Reports published as web pages, Word documents and PDFs read like their plain text."""
import html
import re
import subprocess
import sys

import pytest

from fazhi.reading.read import read_text
from fazhi.units.report import load_report, segment_report
from fazhi.units.script import is_traditional

from conftest import ROOT, SEEDS

SEED_NAMES = ["dawukou-2021", "wanghua-2021"]
SEED = {p.stem: p for p in SEEDS}


def seed_text(name):
    return SEED[name].read_text(encoding="utf-8")


def texts(report):
    return [u.text for u in report.units]


def squeezed(report):
    return [re.sub(r"\s+", "", u.text) for u in report.units]


# --- builders -------------------------------------------------------------


def make_docx(path, lines, table=None):
    import docx

    document = docx.Document()
    for i, line in enumerate(lines):
        document.add_paragraph(line)
        if table and i == 0:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    grid.cell(r, c).text = cell
    document.save(str(path))
    return path


_NO_LINE_START = set("，。、；：！？）》」』”’,.;:!?)")


def make_pdf(path, text, header="大武口区人民政府文件", page_no="- {} -", chars=35, per_page=30, size=12):
    """A PDF set like a printed report: paragraphs indented two characters, lines ``chars`` wide."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    lines = []
    for par in text.split("\n"):
        par = par.strip()
        if not par:
            continue
        indent, cur, used = 2 * size, "", 0.0
        for ch in par:
            w = pdfmetrics.stringWidth(ch, font, size)
            if used + w > chars * size - indent + 0.01 and ch not in _NO_LINE_START and cur:
                lines.append((indent, cur))
                indent, cur, used = 0, "", 0.0
            cur += ch
            used += w
        lines.append((indent, cur))
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    for n, start in enumerate(range(0, len(lines), per_page), 1):
        pdf.setFont(font, 9)
        if header:
            pdf.drawCentredString(297, 810, header)
        if page_no:
            pdf.drawCentredString(297, 40, page_no.format(n))
        pdf.setFont(font, size)
        for i, (indent, line) in enumerate(lines[start : start + per_page]):
            pdf.drawString(72 + indent, 780 - i * size * 1.6, line)
        pdf.showPage()
    pdf.save()
    return path


def make_html(text, title, charset="utf-8"):
    """A government web page: menus, scripts, a side column and a footer around the report."""
    lines = [line for line in text.split("\n") if line.strip()]
    paras = "\n".join(f'<p style="text-indent:2em">{html.escape(line)}</p>' for line in lines)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_区人民政府</title><style>.nav {{ color: red }}</style>
<script>var _hmt = _hmt || []; document.write("统计代码。");</script></head>
<body>
<div class="top-bar"><a href="/">网站首页</a> | <a href="#">无障碍浏览</a> | 今天是2022年3月2日</div>
<div id="header"><h1 class="logo">区人民政府门户网站</h1></div>
<ul class="nav-menu"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/hdjl">互动交流</a></li></ul>
<div class="main">
  <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a></div>
  <div class="left">
    <div class="art-title"><h2>{html.escape(title)}</h2></div>
    <div class="info">发布时间：2022-03-02 来源：司法局 浏览次数：1024</div>
    <div class="TRS_Editor" id="zoom">
{paras}
    </div>
    <div class="share">分享到：微信 微博</div>
  </div>
  <div class="right"><h3>相关链接</h3><ul><li><a href="#">国务院</a></li><li><a href="#">省人民政府</a></li></ul></div>
</div>
<div class="footer">主办：区人民政府办公室 版权所有 ICP备12345678号<br>地址：某某路1号 电话：024-12345678</div>
<script>$(function () {{ console.log("页面加载完成。"); }});</script>
</body></html>"""


# --- same units as the plain text -------------------------------------------


@pytest.mark.parametrize("name", SEED_NAMES)
def test_docx_gives_same_units(tmp_path, name, seed_reports):
    path = make_docx(tmp_path / f"{name}.docx", seed_text(name).split("\n"))
    report = load_report(str(path))
    assert report.doc_id == name
    assert texts(report) == texts(seed_reports[name])


def test_docx_tables_in_document_order(tmp_path):
    table = [["项目", "数量"], ["行政复议案件", "15件"]]
    path = make_docx(tmp_path / "t.docx", ["一、总体情况", "全年办结案件。"], table=table)
    assert read_text(str(path)).split("\n") == ["一、总体情况", "项目 数量", "行政复议案件 15件", "全年办结案件。"]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_pdf_gives_same_units(tmp_path, name, seed_reports):
    path = make_pdf(tmp_path / f"{name}.pdf", seed_text(name))
    from pypdf import PdfReader

    layer = PdfReader(str(path)).pages[0].extract_text()
    assert "法治政府建设" in layer and "大武口区人民政府文件" in layer  # the text layer holds the Chinese text
    report = load_report(str(path))
    assert len(PdfReader(str(path)).pages) >= 3
    assert squeezed(report) == squeezed(seed_reports[name])
    assert "人民政府文件" not in report.text and "- 2 -" not in report.text


@pytest.mark.parametrize("page_no", ["第{}页", "{}", "第{}页 共9页", "{}/9"])
def test_pdf_page_numbers_dropped(tmp_path, page_no, seed_reports):
    path = make_pdf(tmp_path / "d.pdf", seed_text("dawukou-2021"), header=None, page_no=page_no, chars=38)
    report = load_report(str(path))
    assert squeezed(report) == squeezed(seed_reports["dawukou-2021"])  # its first line "2021" is kept


def test_pdf_lines_joined_by_layout(tmp_path):
    text = "一、总体情况\n" + "全年共办理行政复议案件十五件，依法纠正违法或者不当行政行为三件，" * 3 + "\n二、存在问题"
    path = make_pdf(tmp_path / "j.pdf", text, header=None, page_no=None)
    lines = read_text(str(path)).split("\n")
    assert lines == [line.strip() for line in text.split("\n")]


def test_pdf_from_libreoffice(seed_reports):
    """Justified lines, a running header and a page-number field, as a word processor sets them."""
    path = ROOT / "tests" / "fixtures" / "wanghua-opening-libreoffice.pdf"  # the first 9 lines of the seed
    opening = "\n".join([line for line in seed_text("wanghua-2021").split("\n") if line.strip()][:9])
    report = load_report(str(path))
    assert squeezed(report) == squeezed(segment_report(opening))
    assert "某某区人民政府办公室" not in report.text and "- 2 -" not in report.text


def test_pdf_characters_placed_one_by_one(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    lines = ["一、总体情况", "全年办结行政复议案件十五件，纠正违法行政行为三件。"]
    pdf = canvas.Canvas(str(tmp_path / "c.pdf"))
    pdf.setFont("STSong-Light", 12)
    for row, line in enumerate(lines):
        for i, ch in enumerate(line):
            pdf.drawString(72 + i * 12.5, 700 - row * 20, ch)
    pdf.save()
    assert read_text(str(tmp_path / "c.pdf")).split("\n") == lines


@pytest.mark.parametrize("name", SEED_NAMES)
def test_gbk_text_gives_same_units(tmp_path, name, seed_reports):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(seed_text(name).encode("gbk"))
    assert texts(load_report(str(path))) == texts(seed_reports[name])


@pytest.mark.parametrize("charset", ["utf-8", "gb2312"])
def test_html_gives_the_report_only(tmp_path, charset, seed_reports):
    name = "wanghua-2021"
    title = seed_reports[name].units[0].text
    page = make_html(seed_text(name), title, charset)
    path = tmp_path / f"{name}.html"
    path.write_bytes(page.encode("gb18030" if charset == "gb2312" else charset))
    report = load_report(str(path))
    assert texts(report) == texts(seed_reports[name])
    for junk in ("首页", "无障碍", "统计代码", "页面加载", "版权所有", "相关链接", "当前位置", "分享到", "区人民政府门户网站"):
        assert junk not in report.text, junk


def test_html_title_outside_the_text_block(tmp_path):
    page = make_html("一、总体情况\n全年办结案件十五件。", "某区2021年法治政府建设情况报告")
    path = tmp_path / "p.htm"
    path.write_text(page, encoding="utf-8")
    report = load_report(str(path))
    assert texts(report) == ["某区2021年法治政府建设情况报告", "一、总体情况", "全年办结案件十五件。"]
    assert report.units[0].kind == "title"


TABLE_LAYOUT = """<html><head><meta charset=gb2312></head><body><table width=1000>
<tr><td class=daohang><a href=/>首页</a> <a href=/x>政务公开</a> <a href=/y>政务服务</a></td></tr>
<tr><td><table><tr><td class="time">发布日期：2022-01-20 作者：司法局</td></tr>
<tr><td class="bt_content"><font size=3>&nbsp;&nbsp;一、主要举措和成效<br>&nbsp;&nbsp;县政府常务会议专题研究法治政府建设工作4次，
部署年度重点任务。<br>&nbsp;&nbsp;二、存在的不足<br>&nbsp;&nbsp;一是执法人员素质有待提高。二是执法监督不够有力。</font></td></tr>
</table></td></tr><tr><td class=foot>版权所有：某县人民政府 技术支持：某某公司</td></tr></table></body></html>"""
ARTICLE = """<!doctype html><html><body><header><a href=/>logo</a><nav><a>首页</a></nav></header>
<main><article><div class="article-header"><h1>某区法治政府建设年度报告</h1><span>2022-03-01</span></div>
<div class="article-body"><p>一、主要举措和成效</p><p>县政府常务会议专题研究法治政府建设工作4次，部署年度重点任务。</p>
<p>二、存在的不足</p><p>一是执法人员素质有待提高。二是执法监督不够有力。</p></div></article></main>
<aside><h3>热点</h3><a>某某新闻标题</a></aside><footer>版权所有</footer></body></html>"""
FRAGMENT = "<p>一、主要举措和成效</p><p>县政府常务会议专题研究法治政府建设工作4次，部署年度重点任务。</p>" \
    "<p>二、存在的不足</p><p>一是执法人员素质有待提高。二是执法监督不够有力。</p>"
BODY = ["一、主要举措和成效", "县政府常务会议专题研究法治政府建设工作4次，部署年度重点任务。",
        "二、存在的不足", "一是执法人员素质有待提高。", "二是执法监督不够有力。"]  # fmt: skip


@pytest.mark.parametrize(
    "page, encoding, title",
    [(TABLE_LAYOUT, "gb18030", []), (ARTICLE, "utf-8", ["某区法治政府建设年度报告"]), (FRAGMENT, "utf-8", [])],
    ids=["table-layout", "article", "fragment"],
)
def test_html_layouts(tmp_path, page, encoding, title):
    path = tmp_path / "page.html"
    path.write_bytes(page.encode(encoding))
    assert texts(load_report(str(path))) == title + BODY


def test_wrong_or_missing_extension(tmp_path, seed_reports):
    name = "dawukou-2021"
    lines = seed_text(name).split("\n")
    docx_as_pdf = make_docx(tmp_path / "a.pdf", lines)
    pdf_as_txt = make_pdf(tmp_path / "b.txt", seed_text(name))
    bare_docx = make_docx(tmp_path / "c", lines)
    html_as_txt = tmp_path / "d.txt"
    html_as_txt.write_text(make_html(seed_text(name), "2021"), encoding="utf-8")
    text_as_docx = tmp_path / "e.docx"
    text_as_docx.write_text(seed_text(name), encoding="utf-8")
    expected = squeezed(seed_reports[name])
    for path in (docx_as_pdf, pdf_as_txt, bare_docx, html_as_txt, text_as_docx):
        assert squeezed(load_report(str(path))) == expected, path.name


# --- traditional script ---------------------------------------------------


def test_traditional_text_keeps_text_and_folds_norm():
    report = segment_report("二、存在的問題\n一是法治政府建設工作發展還不平衡。二是執法監督機制不夠健全。")
    assert [u.text for u in report.units] == ["二、存在的問題", "一是法治政府建設工作發展還不平衡。", "二是執法監督機制不夠健全。"]
    assert [u.norm for u in report.units] == ["二、存在的问题", "一是法治政府建设工作发展还不平衡。", "二是执法监督机制不够健全。"]
    assert report.units[2].section == "二、存在的問題"


@pytest.mark.parametrize("name", SEED_NAMES)
def test_traditional_seed_same_norms(tmp_path, name, seed_reports):
    from opencc import OpenCC

    path = tmp_path / f"{name}.txt"
    path.write_text(OpenCC("s2t").convert(seed_text(name)), encoding="utf-8")
    report, seed = load_report(str(path)), seed_reports[name]
    assert [u.norm for u in report.units] == [u.norm for u in seed.units]
    changed = sum(a.text != b.text for a, b in zip(report.units, seed.units))
    assert changed > 0.9 * len(seed.units)


def test_simplified_reports_are_not_converted(monkeypatch, seed_reports):
    import fazhi.units.script

    def refuse(text):
        raise AssertionError("converted a simplified report")

    monkeypatch.setattr(fazhi.units.script, "to_simplified", refuse)
    for path in SEEDS:
        assert not is_traditional(path.read_text(encoding="utf-8"))
        assert texts(load_report(str(path))) == texts(seed_reports[path.stem])


def test_plain_text_does_not_import_parsers():
    code = (
        "import sys; from fazhi.units.report import load_report; load_report(sys.argv[1]);"
        "print([m for m in sys.modules"
        " if m == 'fazhi.formats' or m.split('.')[0] in ('bs4', 'docx', 'pypdf', 'lxml', 'opencc')])"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(SEEDS[0])], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
