"""Real report layouts: unnumbered headings, list lines, bullets and item markers, lines
broken inside a sentence, several reports in one file. Every document here is written
for its test."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_cli
from fazhi.errors import FazhiError
from fazhi.units.loading import load_reports
from fazhi.units.normalize import clean
from fazhi.units.report import load_report, segment_report, segment_reports


def texts(units):
    return [u.text for u in units]


def unit(report, text):
    (found,) = [u for u in report.units if u.text == text]
    return found


UNNUMBERED = """栎川县2022年法治政府建设情况报告
2022年，县政府坚持依法行政，各项工作有序推进。现将有关情况报告如下：
主要工作和成效
健全依法决策机制
县政府常务会议审议重大行政决策事项6件，均经合法性审查。
规范行政执法
全县推行执法全过程记录，执法记录仪配备率达到100%。
存在的主要问题
基层执法力量不足，乡镇执法人员平均不足4人。
2023年工作安排
加快推进乡镇综合执法规范化建设。
栎川县人民政府
2023年2月10日
"""


def test_unnumbered_headings_by_layout_and_wording():
    report = segment_report(UNNUMBERED)
    headings = [(u.text, u.level) for u in report.units if u.is_heading]
    assert headings == [
        ("主要工作和成效", 0), ("健全依法决策机制", 1), ("规范行政执法", 1), ("存在的主要问题", 0), ("2023年工作安排", 0),
    ]  # fmt: skip
    first = unit(report, "县政府常务会议审议重大行政决策事项6件，均经合法性审查。")
    assert (first.section, first.heading, first.level) == ("主要工作和成效", "健全依法决策机制", None)
    assert unit(report, "基层执法力量不足，乡镇执法人员平均不足4人。").section == "存在的主要问题"
    assert unit(report, "加快推进乡镇综合执法规范化建设。").section == "2023年工作安排"
    assert [u.kind for u in report.units[-2:]] == ["signature", "date"]
    assert report.units[0].kind == "title" and report.units[1].section == ""


def test_unnumbered_headings_of_one_level():
    report = segment_report(
        "岚桥镇2021年法治建设工作总结\n今年以来，岚桥镇扎实推进依法行政。\n领导重视，责任落实\n镇党委把法治建设列入重要议事日程。\n"
        "调解纠纷，维护稳定\n全年调处矛盾纠纷82件，调处成功80件。\n今年重点工作\n镇政府将完善合法性审查机制。"
    )
    assert [(u.text, u.level) for u in report.units if u.is_heading] == [
        ("领导重视，责任落实", 0), ("调解纠纷，维护稳定", 0), ("今年重点工作", 0),
    ]  # fmt: skip
    assert unit(report, "镇政府将完善合法性审查机制。").section == "今年重点工作"


def test_numbered_and_unnumbered_headings_keep_their_levels():
    report = segment_report(
        "一、主要做法\n■ 强化组织保障\n调整镇法治建设领导小组。\n（一）学法用法\n全年集中学法6次。\n二、存在的不足\n执法人员偏少。"
    )
    assert [(u.text, u.level) for u in report.units if u.is_heading] == [
        ("一、主要做法", 0), ("■ 强化组织保障", 1), ("（一）学法用法", 1), ("二、存在的不足", 0),
    ]  # fmt: skip
    assert unit(report, "全年集中学法6次。").heading == "（一）学法用法"
    assert unit(report, "执法人员偏少。").section == "二、存在的不足"


def test_an_excerpt_under_a_part_it_does_not_show():
    report = segment_report("（六）规范执法。全年办结案件20件。\n二、2024年重点任务\n（一）深化改革。完成清单调整。")
    assert report.units[0].section == "" and report.units[0].level == 1
    assert unit(report, "完成清单调整。").section == "二、2024年重点任务"


LIST_AFTER_A_COMMA = ["下一步，我们将围绕以下方向发力，推动工作提质增效"] + [
    "加强协同联动", "强化主干功能", "优化营商环境", "完善审查机制", "规范执法程序", "深化普法宣传",
    "健全复议体系", "提升队伍素质", "推进数字治理", "压实工作责任", "落实考核评价", "拓展公共服务",
]  # fmt: skip


def test_list_lines_stay_units():
    report = segment_report("一、2023年工作打算\n" + "\n".join(LIST_AFTER_A_COMMA))
    assert texts(report.units)[1:] == LIST_AFTER_A_COMMA
    assert not any(u.is_heading for u in report.units[1:])


def test_a_list_before_a_paragraph_has_no_headings():
    items = ["班子会议会前学法常态化", "新任干部任前考法", "法律明白人培养工程"]
    report = segment_report("一、主要工作\n全年开展学法5次。主要做法有：\n" + "\n".join(items) + "\n下一步，将把学法纳入考核。")
    assert [u.text for u in report.units if u.is_heading] == ["一、主要工作"]
    assert all(unit(report, item).heading == "一、主要工作" for item in items)


def test_bullets_and_item_markers_start_units():
    lines = [
        "■ 强化组织保障", "调整充实领导小组，由镇长任组长。", "● 排查矛盾纠纷143起", "● 办理法律援助案件12件",
        "◆ 建成法律服务站1个", "▲ 聘请法律顾问16名", "· 开展普法活动30场", "— 修订村规民约9份",
        "1 以机构改革为契机，理顺监管职责", "2 以信用监管为抓手，创新监管方式",
    ]  # fmt: skip
    report = segment_report("一、主要做法\n" + "\n".join(lines))
    assert texts(report.units)[1:] == lines
    assert unit(report, "■ 强化组织保障").is_heading
    inline = segment_report("一、主要做法\n全年工作有：■办理案件27起■拆除违建1460平方米")
    assert texts(inline.units)[1:] == ["全年工作有：", "■办理案件27起", "■拆除违建1460平方米"]


def test_a_numbered_sentence_is_an_item_and_a_short_lead_a_heading():
    report = segment_report(
        "三、2024年工作计划\n1. 将行政执法人员培训纳入年度计划。\n2. 完成规范性文件清理。\n"
        "（一）加强组织领导。\n镇政府每季度研究一次法治工作。\n（二）规范执法。全年办结案件20件。"
    )
    assert not unit(report, "1. 将行政执法人员培训纳入年度计划。").is_heading
    assert not unit(report, "2. 完成规范性文件清理。").is_heading
    assert unit(report, "1. 将行政执法人员培训纳入年度计划。").section == "三、2024年工作计划"
    assert unit(report, "（一）加强组织领导。").is_heading and unit(report, "（二）规范执法。").is_heading


PARAGRAPHS = [
    "2021年，澜川县政府深入贯彻法治政府建设实施纲要，对照年度任务清单逐项推进，全县依法行政水平稳步提升。",
    "一、主要工作",
    "（一）规范行政决策。县政府出台《重大行政决策程序规定》，明确公众参与、专家论证和合法性审查等程序。全年审查合同协议156件。",
    "（二）严格行政执法。全县1268名执法人员参加轮训，执法案卷评查合格率达到96.5%。",
    "二、存在的问题",
    "少数干部运用法治思维解决问题的能力还不强，执法数据共享不畅。",
]


@pytest.mark.parametrize("width", [18, 23, 31, 40])
def test_wrapped_lines_are_joined_where_the_sentence_goes_on(width):
    wrapped = "\n".join(p[k : k + width] for p in PARAGRAPHS for k in range(0, len(p), width))
    assert texts(segment_report(wrapped).units) == texts(segment_report("\n".join(PARAGRAPHS)).units)


def test_only_a_sentence_that_goes_on_is_joined():
    text = (
        "二、存在的问题\n少数群众遇事找关系、信访不信法的观念仍未\n根本转变。\n三、下一步打算\n"
        "（一）深化改革。全年办理不动产登记4.\n6万件，群众满意度提高。\n存在的短板\n执法力量不足。"
    )
    assert texts(segment_report(text).units) == [
        "二、存在的问题", "少数群众遇事找关系、信访不信法的观念仍未根本转变。", "三、下一步打算", "（一）深化改革。",
        "全年办理不动产登记4.6万件，群众满意度提高。", "存在的短板", "执法力量不足。",
    ]  # fmt: skip


def test_a_blank_line_parts_a_list_from_the_next_heading():
    text = "存在的问题和不足\n\n乡镇执法人员持证率偏低\n规范性文件清理不够及时\n\n2020年工作打算\n\n开展普法总结验收。"
    report = segment_report("某县2019年法治政府建设工作报告\n2019年，县政府推进依法行政。\n" + text)
    assert [u.text for u in report.units if u.is_heading] == ["存在的问题和不足", "2020年工作打算"]
    assert unit(report, "开展普法总结验收。").section == "2020年工作打算"


SECOND = """青屿市人民政府
关于2021年度法治政府建设情况的报告
2021年，市政府推进依法行政。
一、主要举措
全年审查规范性文件27件。
二、下一步打算
深化行政复议体制改革。
"""
THIRD = """渠岭镇2022年法治政府建设工作总结
2022年，渠岭镇扎实推进基层依法治理。
存在的问题
镇综合执法队人员偏少。
"""


def test_several_reports_in_one_file(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text(UNNUMBERED + SECOND + THIRD, encoding="utf-8")
    reports = [r for _, r in load_reports([str(path)])]
    assert [r.doc_id for r in reports] == ["list", "list#2", "list#3"]
    assert [r.units[0].text for r in reports] == [
        "栎川县2022年法治政府建设情况报告", "青屿市人民政府关于2021年度法治政府建设情况的报告", "渠岭镇2022年法治政府建设工作总结",
    ]  # fmt: skip
    second = reports[1]
    assert second.units[0].kind == "title" and second.units[1].section == ""  # no plan section carried over
    assert unit(second, "深化行政复议体制改革。").section == "二、下一步打算"
    assert unit(reports[2], "镇综合执法队人员偏少。").section == "存在的问题"
    assert texts(reports[0].units) == texts(segment_report(UNNUMBERED).units)
    with pytest.raises(FazhiError, match="holds 3 reports"):
        load_report(str(path))
    proc = run_cli("segment", path)
    assert proc.returncode == 0, proc.stderr
    assert {line.split(",")[0] for line in proc.stdout.splitlines()[1:]} == {"list", "list#2", "list#3"}


def test_several_reports_in_traditional_characters():
    from opencc import OpenCC

    reports = segment_reports(OpenCC("s2t").convert(UNNUMBERED + THIRD), doc_id="tw")
    assert [r.doc_id for r in reports] == ["tw", "tw#2"]
    assert reports[1].units[0].text == "渠嶺鎮2022年法治政府建設工作總結" and reports[1].units[0].kind == "title"
    assert [u.section for u in reports[1].units][-1] == "存在的問題"


def test_a_cover_letter_and_what_it_sends_are_one_report():
    text = (
        "珩州市人民政府办公室关于印发珩州市2024年法治政府建设工作要点的通知\n各县（市、区）人民政府：\n"
        "《珩州市2024年法治政府建设工作要点》已经市政府同意，现印发给你们。\n珩州市人民政府办公室\n2024年3月1日\n"
        "珩州市2024年法治政府建设工作要点\n一、健全依法决策机制\n编制年度重大行政决策事项目录。"
    )
    (report,) = segment_reports(text)
    assert unit(report, "珩州市2024年法治政府建设工作要点").kind == "title"
    assert unit(report, "编制年度重大行政决策事项目录。").section == "一、健全依法决策机制"


def test_a_title_repeated_before_the_text_is_one_report():
    (report,) = segment_reports("栎川县2022年法治政府建设情况报告\n栎川县2022年法治政府建设情况报告\n2022年，县政府推进依法行政。")
    assert [u.kind for u in report.units] == ["title", "title", "content"]


_ALPHABET = st.sampled_from(
    list("一二三是、（）1234。；，：■●◆·— \n\n#*") + ["栎川县2022年法治政府建设情况报告\n", "存在的问题\n", "加强协同联动\n"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_reports_of_a_text_lose_no_character_and_keep_order(text):
    try:
        reports = segment_reports(text)
    except FazhiError:
        return  # no sentence in it
    assert len({r.doc_id for r in reports}) == len(reports)
    cleaned = re.sub(r"\s", "", clean(text))
    assert re.sub(r"\s", "", "".join(u.text for r in reports for u in r.units)) == cleaned
    for r in reports:
        assert all(a.end <= b.start for a, b in zip(r.units, r.units[1:]))
        assert all(r.text[u.start : u.end] == u.text for u in r.units)
