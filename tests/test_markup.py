"""Headings and list items that web pages and Word files mark up: HTML heading tags,
bold and centred lines; Word heading styles, outline levels and list numbering. Every
document here is built for its test."""
from fazhi.reading.docx import docx_text
from fazhi.units.normalize import clean
from fazhi.units.report import load_report


def headings(report):
    return [(u.text, u.level) for u in report.units if u.is_heading]


def unit(report, text):
    (found,) = [u for u in report.units if u.text == text]
    return found


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>报告</title></head><body>
<div class="content">
<p align="center">渠岭县2023年法治政府建设情况报告</p>
<p>2023年，县政府坚持依法行政，各项工作有序推进。</p>
<h2>工作开展情况</h2>
<p><strong>健全决策机制</strong></p>
<p>县政府常务会议审议重大行政决策事项6件，均经合法性审查。</p>
<p><b>规范行政执法</b></p>
<p>全县推行执法全过程记录，执法记录仪配备率达到100%，办结案件327件。</p>
<h3>执法监督</h3>
<p>开展案卷评查2次，抽查案卷164卷。</p>
<h2>存在的不足和下一步打算</h2>
<p style="text-align:center">加强执法队伍建设</p>
<p>全年组织执法人员轮训2次。</p>
<p>下一步，我县将<strong>重点</strong>推进乡镇综合执法规范化建设。</p>
</div></body></html>"""


def test_html_heading_tags_and_bold_or_centred_lines(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    report = load_report(str(path))
    assert report.units[0].kind == "title"
    assert headings(report) == [
        ("工作开展情况", 0), ("健全决策机制", 1), ("规范行政执法", 1), ("执法监督", 1),
        ("存在的不足和下一步打算", 0), ("加强执法队伍建设", 1),
    ]  # fmt: skip
    record = unit(report, "全县推行执法全过程记录，执法记录仪配备率达到100%，办结案件327件。")
    assert (record.section, record.heading) == ("工作开展情况", "规范行政执法")
    assert unit(report, "开展案卷评查2次，抽查案卷164卷。").heading == "执法监督"
    plan = unit(report, "下一步，我县将重点推进乡镇综合执法规范化建设。")  # bold inside a sentence is no heading
    assert (plan.is_heading, plan.section) == (False, "存在的不足和下一步打算")
    assert "#" not in report.text and "*" not in report.text


def test_markdown_heading_marks_are_read_and_removed():
    text = "# 总体情况\n## 执法\n全年办结案件。\n**存在问题**\n执法力量不足。"
    assert clean(text) == "总体情况\n执法\n全年办结案件。\n存在问题\n执法力量不足。"


def _numbering(document, abstract_id, fmt, text):
    """Add a one-level list of format ``fmt`` and label ``text`` (as Word writes it); its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'
    )
    numbering.insert(0, abstract)
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{abstract_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    numbering.append(num)
    return abstract_id


def _numbered(document, text, num_id):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return paragraph


def make_word(path):
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    d.add_paragraph("渠岭镇2023年法治政府建设工作总结", style="Title")
    d.add_paragraph("2023年，渠岭镇扎实推进依法行政。现将有关情况报告如下：")
    parts = _numbering(d, 90, "chineseCounting", "%1、")
    items = _numbering(d, 91, "decimal", "%1.")
    _numbered(d, "主要工作", parts).style = d.styles["Heading 1"]
    d.add_paragraph("规范合法性审查", style="Heading 2")
    d.add_paragraph("镇政府签订的合同全部经法律顾问审查。")
    outlined = d.add_paragraph("化解矛盾纠纷")
    outlined._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="1"/>'))
    d.add_paragraph("全年调处纠纷82件，调处成功80件。")
    for text in ("建成公共法律服务站1个", "聘请村法律顾问16名"):
        d.add_paragraph(text, style="List Bullet")
    _numbered(d, "存在的问题", parts).runs[0].bold = True
    d.add_paragraph("镇综合执法队人员偏少。")
    centred = _numbered(d, "下一步打算", parts)
    centred.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _numbered(d, "将合法性审查纳入年度考核。", items)
    _numbered(d, "完成村规民约修订。", items)
    d.save(str(path))
    return path


def test_docx_heading_styles_outline_levels_and_list_numbering(tmp_path):
    path = make_word(tmp_path / "word.docx")
    lines = docx_text(path.read_bytes(), str(path)).split("\n")
    assert lines[2:4] == ["# 一、主要工作", "## 规范合法性审查"]
    assert "● 建成公共法律服务站1个" in lines and "**二、存在的问题**" in lines and "1.将合法性审查纳入年度考核。" in lines
    report = load_report(str(path))
    assert report.units[0].kind == "title"
    assert headings(report) == [
        ("一、主要工作", 0), ("规范合法性审查", 1), ("化解矛盾纠纷", 1), ("二、存在的问题", 0), ("三、下一步打算", 0),
    ]  # fmt: skip
    assert unit(report, "全年调处纠纷82件，调处成功80件。").heading == "化解矛盾纠纷"
    assert unit(report, "● 聘请村法律顾问16名").section == "一、主要工作"
    item = unit(report, "2.完成村规民约修订。")
    assert (item.is_heading, item.section) == (False, "三、下一步打算")


def test_docx_list_items_in_a_table_are_not_marked(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("一、总体情况")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0].add_run("行政复议案件").bold = True
    table.cell(0, 1).text = "15件"
    d.add_paragraph("全年办结案件。")
    d.save(str(tmp_path / "t.docx"))
    assert docx_text((tmp_path / "t.docx").read_bytes(), "t.docx").split("\n") == ["一、总体情况", "行政复议案件 15件", "全年办结案件。"]


def test_docx_numbering_restarts_deeper_levels():
    import io

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    numbering = d.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{k}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for k, (fmt, text) in enumerate([("chineseCounting", "%1、"), ("chineseCounting", "（%2）")])
    )
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="80">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="80"><w:abstractNumId w:val="80"/></w:num>'))
    for text, level in [("甲", 0), ("乙", 1), ("丙", 1), ("丁", 0), ("戊", 1)]:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="80"/></w:numPr>')
        )
    data = io.BytesIO()
    d.save(data)
    assert docx_text(data.getvalue(), "-").split("\n") == ["一、甲", "（一）乙", "（二）丙", "二、丁", "（一）戊"]
