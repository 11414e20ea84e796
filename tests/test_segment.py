"""Reading, cleaning and segmenting the seed reports."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.units.normalize import clean, fold
from fazhi.units.report import segment_report
from fazhi.units.segment import segment

# unit counts a careful reader gets for each seed, with some slack either way
EXPECTED_COUNTS = {
    "changxingdao-2021": (50, 70),
    "dawukou-2021": (60, 85),
    "nanling-2021": (125, 165),
    "tianshan-2022": (140, 185),
    "wanghua-2021": (145, 190),
}


def texts(report):
    return [u.text for u in report.units]


def test_unit_counts_per_seed(seed_reports):
    assert set(seed_reports) == set(EXPECTED_COUNTS)
    for doc_id, report in seed_reports.items():
        low, high = EXPECTED_COUNTS[doc_id]
        assert low <= len(report.units) <= high, (doc_id, len(report.units))
    assert 500 <= sum(len(r.units) for r in seed_reports.values()) <= 650


def test_inline_heading_is_its_own_unit(seed_reports):
    units = seed_reports["tianshan-2022"].units
    heading = "(一)学习贯彻习近平法治思想,加强党对法治政府建设的领导"
    (unit,) = [u for u in units if u.text == heading]
    assert unit.is_heading and unit.kind == "content"
    assert unit.section == "一、2022年法治政府建设主要做法及成效"
    assert units[unit.sent_id + 1].text == "一是多措并举,学深悟透习近平法治思想。"
    assert "(十)健全法治政府建设科技保障体系,全面建设数字法治政府" in texts(seed_reports["tianshan-2022"])
    assert "(一)2023年工作思路" in texts(seed_reports["tianshan-2022"])


def test_broken_lines_are_joined(seed_reports):
    dawukou = texts(seed_reports["dawukou-2021"])
    assert any(t.endswith("进一步提高执法水平。") for t in dawukou)
    assert any("本年度共清理 9 件，保留15 件" in t for t in dawukou)
    assert not any(t in ("执", "法水平。") for t in dawukou)


def test_furniture_and_markup_dropped(seed_reports):
    all_text = "".join(r.text for r in seed_reports.values())
    for junk in ("|", "点击数", "发文单位", "关闭窗口", "**", "[bookmark", "_GoBack"):
        assert junk not in all_text, junk
    wanghua = texts(seed_reports["wanghua-2021"])
    assert any(t.startswith("二是健全依法化解纠纷机制。") for t in wanghua)


def test_item_markers_start_units(seed_reports):
    nanling = texts(seed_reports["nanling-2021"])
    assert "一是完善规范性文件制定工作机制。" in nanling
    assert "二是公众参与广。" in nanling
    # "统一是…" is not an item marker
    units = segment("全区实行统一是必要的。二是加强执法。")
    assert [u.text for u in units] == ["全区实行统一是必要的。", "二是加强执法。"]


def test_sections(seed_reports):
    nanling = seed_reports["nanling-2021"].units
    problems = [u for u in nanling if u.section == "二、存在问题"]
    assert problems[0].text == "二、存在问题" and problems[0].is_heading
    assert any(u.text.startswith("1.行政行为不够规范") for u in problems)
    plans = [u for u in nanling if u.section == "三、下一步打算"]
    assert len(plans) >= 7
    for report in seed_reports.values():
        first = next(i for i, u in enumerate(report.units) if u.is_heading and u.text.startswith("一、"))
        assert all(u.section == "" for u in report.units[:first])
        assert all(u.section for u in report.units[first:] if u.is_content)


def test_non_content_kinds(seed_reports):
    cxd = seed_reports["changxingdao-2021"].units
    assert (cxd[-2].kind, cxd[-2].text) == ("signature", "大连长兴岛经济技术开发区管理委员会")
    assert (cxd[-1].kind, cxd[-1].text) == ("date", "2022年1月18日")
    nanling = seed_reports["nanling-2021"].units
    assert nanling[0].kind == "title"
    assert nanling[0].text == "南陵县2021年法治政府建设工作总结和2022年法治政府建设重点工作安排"
    tianshan = seed_reports["tianshan-2022"].units
    assert [u.kind for u in tianshan[:3]] == ["title", "title", "content"]
    assert tianshan[-1].kind == "date" and tianshan[-1].text == "2023年3月2日"
    wanghua = seed_reports["wanghua-2021"].units
    assert wanghua[1].kind == "content" and wanghua[1].text.endswith("报告如下：")


def test_spans_and_norm(seed_reports):
    for report in seed_reports.values():
        last = 0
        for i, u in enumerate(report.units):
            assert u.sent_id == i
            assert report.text[u.start : u.end] == u.text
            assert u.start >= last
            last = u.end
            assert u.norm == fold(u.text)
            assert not re.search(r"\s", u.norm)
    unit = next(u for u in seed_reports["dawukou-2021"].units if "考试合格率为" in u.text)
    assert "85.6%" in unit.norm and "，" not in unit.norm


def test_closing_quotes_stay_with_their_unit():
    """A unit that ends inside quotes or brackets keeps its closers: 。” ！”） 。』」"""
    units = segment("他强调：“要依法行政。”随后部署了工作。会议要求“严格执法！”）下一步将加强培训。印发《意见》。』」完。")
    assert [u.text for u in units] == [
        "他强调：“要依法行政。”", "随后部署了工作。", "会议要求“严格执法！”）", "下一步将加强培训。", "印发《意见》。』」", "完。",
    ]  # fmt: skip


def test_a_numbered_sentence_is_content_a_numbered_phrase_a_heading():
    """A numbered unit ending in 。 is a sentence, content, whatever its length (work-plan
    items "1. 将…。"); a numbered line with no sentence end is a heading."""
    at_limit = "1.加强执" + "队伍" * 16 + "建设。"  # 40 characters
    over = "2.加强执法" + "队伍" * 16 + "建设。"  # 41
    text = f"一、主要成效\n{at_limit}\n全年办结案件120件。\n{over}\n3、推进政务公开\n二、存在问题\n"
    units = segment(text)
    assert [len(u.norm) for u in units[1:4:2]] == [40, 41]
    assert [(u.text, u.is_heading) for u in units] == [
        ("一、主要成效", True), (at_limit, False), ("全年办结案件120件。", False), (over, False),
        ("3、推进政务公开", True), ("二、存在问题", True),
    ]  # fmt: skip
    # the top-level headings make the sections; the numbered ones below them do not
    assert [u.section for u in units] == ["一、主要成效"] * 5 + ["二、存在问题"]


def test_fold_width():
    assert fold("２０２１ 年，合格率 ８５．６％\n达标") == "2021年,合格率85.6%达标"


def test_addressee_line_is_not_content():
    units = segment_report("国务院：\n2021年，我省全面推进法治政府建设。").units
    assert units[0].kind == "furniture" and units[1].is_content


_ALPHABET = st.sampled_from(
    list("一二三四五六七八九十是、（）()1234567890.．。！？；;!?：:，,”“ \n\t\u3000")
    + list("法治政府建设存在问题下步打算年月日件%区县")
)


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=200))
def test_segmenting_loses_no_character_and_keeps_order(text):
    units = segment(text)
    visible = re.sub(r"\s", "", text)
    assert re.sub(r"\s", "", "".join(u.text for u in units)) == visible
    for a, b in zip(units, units[1:]):
        assert a.end <= b.start
    for u in units:
        assert text[u.start : u.end] == u.text and u.text == u.text.strip()


@settings(max_examples=100, deadline=None)
@given(st.text(_ALPHABET, max_size=200))
def test_clean_then_segment_keeps_order(text):
    cleaned = clean(text)
    units = segment(cleaned)
    assert re.sub(r"\s", "", "".join(u.text for u in units)) == re.sub(r"\s", "", cleaned)
