"""The segmenter's rules, one small text each: where units end, which units are
headings, titles, signatures, dates and furniture, and which section each is in."""
import pytest

from fazhi.units.segment import make_unit, segment

INTRO = "现将情况报告如下。\n"  # content first: the title rules are over


def texts(text):
    return [u.text for u in segment(text)]


def kinds(text):
    return [(u.text, u.kind, u.is_heading) for u in segment(text)]


# --- where a unit ends ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, units",
    [
        # a heading running into its text ends at the first space between two Chinese characters
        ("（一）规范行政执法 全年办理案件126件。", ["（一）规范行政执法", "全年办理案件126件。"]),
        ("（一）完成5项 年度任务 全年办结。", ["（一）完成5项", "年度任务 全年办结。"]),
        # not at a space after a Latin letter, a digit or a per cent sign, nor before a number set off by spaces
        ("（一）推进5G 网络建设 全年新建基站120个。", ["（一）推进5G 网络建设", "全年新建基站120个。"]),
        ("（一）推进一网通办A 级建设 全年办结。", ["（一）推进一网通办A 级建设", "全年办结。"]),
        ("（一）复议纠错率95% 以上 全年办结。", ["（一）复议纠错率95% 以上", "全年办结。"]),
        ("（一）开展执法检查 15 次 全年办结。", ["（一）开展执法检查 15 次", "全年办结。"]),
        # an indented heading is still a heading
        (INTRO + "　　（一）规范行政执法 全年办理案件126件。", ["现将情况报告如下。", "（一）规范行政执法", "全年办理案件126件。"]),
        # 第一部分 and its title stay one heading
        (INTRO + "第一部分 主要工作 全年办结案件。", ["现将情况报告如下。", "第一部分 主要工作", "全年办结案件。"]),
        # a marker starts a unit after a space or a colon (even as a line's second character)
        (INTRO + "主要做法 一是加强执法。", ["现将情况报告如下。", "主要做法", "一是加强执法。"]),
        (INTRO + "工作要求：一是加强执法。", ["现将情况报告如下。", "工作要求：", "一是加强执法。"]),
        (INTRO + "：一是加强执法。", ["现将情况报告如下。", "：", "一是加强执法。"]),
        # after the opening, a space inside a sentence does not cut it
        # before it, every space between Chinese characters does, however short the piece
        # whitespace around a unit is not part of it
        ("甲。 乙。", ["甲。", "乙。"]),
    ],
)  # fmt: skip
def test_where_units_end(text, units):
    assert texts(text) == units


def test_spans_are_the_units_in_the_text():
    text = "青禾县报告\n现将情况报告如下。 一是加强。\n\n二是规范。"
    for u in segment(text):
        assert text[u.start : u.end] == u.text
    assert [(u.start, u.end) for u in segment(text)] == [(0, 5), (6, 15), (16, 21), (23, 28)]


# --- headings ------------------------------------------------------------------------------


def test_a_short_line_of_its_own_is_a_heading():
    assert kinds(INTRO + "主要做法\n全年办结。") == [
        ("现将情况报告如下。", "content", False), ("主要做法", "content", True), ("全年办结。", "content", False),
    ]  # fmt: skip
    # not when it shares its line with other text, before or after
    assert kinds(INTRO + "主要做法 一是加强执法。")[1] == ("主要做法", "content", False)
    assert kinds("现将情况报告如下。主要做法\n全年办结。")[1] == ("主要做法", "content", False)


def test_a_heading_of_its_own_line_at_most_40_characters():
    at_limit, over = "甲" * 40, "乙" * 41
    units = segment(f"{INTRO}{at_limit}\n全年办结。\n{over}\n全年办结。")
    assert [(u.text, u.is_heading) for u in units[1:4:2]] == [(at_limit, True), (over, False)]


def test_a_first_line_that_cannot_be_a_title_can_be_a_heading():
    units = segment("主要做法，成效\n现将情况报告如下。")  # a comma: not a title
    assert [(u.text, u.kind, u.is_heading) for u in units] == [
        ("主要做法，成效", "content", True), ("现将情况报告如下。", "content", False),
    ]  # fmt: skip


# --- titles, addressees, signatures, dates, furniture -----------------------------------


def test_title_lines_before_the_first_content():
    units = segment("***\n某县2021年法治政府建设情况报告\n（此件公开发布）\n" + INTRO + "全年办结。")
    assert [(u.kind, u.is_heading) for u in units] == [
        ("furniture", False), ("title", False), ("title", False), ("content", False), ("content", False),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "first, kind",
    [
        ("甲" * 80, "title"),  # at most 80 characters
        ("甲" * 81, "content"),
        ("根据要求，现报告如下", "content"),  # a comma: a sentence, not a title
        ("单位：某县司法局", "content"),  # a colon inside
        ("国务院：", "furniture"),  # an addressee
    ],
)
def test_what_a_first_line_is(first, kind):
    assert segment(f"{first}\n{INTRO}全年办结。")[0].kind == kind


def test_a_colon_line_at_the_start_does_not_stop_the_signature():
    assert [u.kind for u in segment("单位：某县司法局\n" + INTRO + "某县人民政府\n2022年1月5日")] == [
        "content", "content", "signature", "date",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "end, expected",
    [
        ("某县人民政府\n2022年1月5日", [("signature", False), ("date", False)]),
        ("某县人民政府", [("signature", False)]),  # the last unit, no date
        ("某县人民政府\n2022年1月5日\n***", [("signature", False), ("date", False), ("furniture", False)]),
        ("某县司法局\n2022年1月5日\n此件公开发布", [("signature", False), ("date", False), ("signature", False)]),
        ("一、主要成效\n2022年1月5日", [("content", True), ("date", False)]),  # a heading is not a signature
        ("主要成效\n全年办结。", [("content", True), ("content", False)]),
        ("甲" * 40, [("signature", False)]),  # at most 40 characters
        ("甲" * 41, [("content", False)]),
    ],
)  # fmt: skip
def test_the_end_of_a_report(end, expected):
    units = segment(INTRO + "全年办结案件。\n" + end)
    assert [(u.kind, u.is_heading) for u in units[2:]] == expected


def test_two_units_signature():
    assert [u.kind for u in segment(INTRO + "某县人民政府")] == ["content", "signature"]


def test_furniture_has_no_word():
    assert kinds(INTRO + "——\n全年办结。")[1] == ("——", "furniture", False)


def test_a_lone_phrase_is_content():
    (unit,) = segment("加强执法队伍建设")
    assert (unit.kind, unit.is_heading, unit.section) == ("content", False, "")
    assert [u.kind for u in segment("标题\n副标题")] == ["content", "content"]


# --- sections ------------------------------------------------------------------------------


def test_simplify_is_asked_for():
    trad = "執法監督機制還不健全。"
    assert segment(trad)[0].norm == trad
    assert segment(trad, simplify=True)[0].norm == "执法监督机制还不健全。"
    assert segment("甲。", doc_id="r")[0].doc_id == "r"


def test_make_unit_defaults():
    u = make_unit(doc_id="d", sent_id=3, text="執法 １２件。")
    assert (u.section, u.kind, u.start, u.end, u.is_heading) == ("", "content", 0, 0, False)
    assert u.norm == "執法12件。" and u.figures == ["１２件"]
    assert make_unit(doc_id="d", sent_id=3, text="執法", simplify=True).norm == "执法"


# --- found by the mutation run (bench/mutation.md) --------------------------------------


@pytest.mark.parametrize(
    "line, units",
    [
        # a title running into the first sentence is cut off only where its brackets are closed
        ("青禾县（含 开发区）2023年法治政府建设情况报告 全年办结案件。", ["青禾县（含 开发区）2023年法治政府建设情况报告", "全年办结案件。"]),
        ("青禾县(含 开发区)2023年法治政府建设情况报告 全年办结案件。", ["青禾县(含 开发区)2023年法治政府建设情况报告", "全年办结案件。"]),
        # several title pieces on one line each stand alone before the first sentence
        ("青禾县人民政府 关于2023年法治政府建设情况的报告 2023年，县政府深入推进法治建设。",
         ["青禾县人民政府", "关于2023年法治政府建设情况的报告", "2023年，县政府深入推进法治建设。"]),
        # a marker and its text stay one heading: 第一部分 and a bullet
        (INTRO + "第一部分 主要工作", ["现将情况报告如下。", "第一部分 主要工作"]),
        (INTRO + "■ 强化组织保障", ["现将情况报告如下。", "■ 强化组织保障"]),
        # before the first sentence too: a bare marker is never a title piece of its own
        ("第一部分 全年办结案件120件。", ["第一部分 全年办结案件120件。"]),
        ("■ 全年办结案件120件。", ["■ 全年办结案件120件。"]),
        ("一、主要工作\n■ 2024年1月20日", ["一、主要工作", "■ 2024年1月20日"]),
        # a space before a date cuts, even after one character
        (INTRO + "局 2024年1月20日", ["现将情况报告如下。", "局", "2024年1月20日"]),
    ],
)  # fmt: skip
def test_title_pieces_and_brackets(line, units):
    assert texts(line) == units


def test_after_the_first_content_no_line_is_a_title_running_into_a_sentence():
    """Once a sentence is read, a heading line of its own does not bring the title rule back."""
    text = INTRO + "存在的问题\n执法力量薄弱 人员不足。"
    assert texts(text) == ["现将情况报告如下。", "存在的问题", "执法力量薄弱 人员不足。"]


def test_the_first_part_heading_after_an_address():
    """各位代表： then a short part heading: the heading ends the title lines; a line of
    at most 16 characters with a heading word and no title ending."""
    units = segment("各位代表：\n一年来工作回顾\n过去一年，全县办结案件120件。")
    assert [(u.text, u.kind, u.is_heading) for u in units] == [
        ("各位代表：", "furniture", False), ("一年来工作回顾", "content", True), ("过去一年，全县办结案件120件。", "content", False),
    ]  # fmt: skip
    sixteen = "过去一年全县法治政府建设工作回顾"
    assert len(sixteen) == 16
    assert [u.kind for u in segment(f"各位代表：\n{sixteen}\n过去一年，全县办结案件120件。")][:2] == ["furniture", "content"]


def test_a_report_title_after_content_is_an_attachments():
    units = segment("青禾县人民政府关于报送法治政府建设情况的函\n现将我县报告报送你们。\n青禾县2023年法治政府建设情况报告\n全年办结案件。")
    assert [u.kind for u in units] == ["title", "content", "title", "content"]
    units = segment("现将我县报告报送你们。\n青禾县2023年法治政府建设情况报告\n全年办结案件。")
    assert [u.kind for u in units] == ["content", "title", "content"]


@pytest.mark.parametrize(
    "opening",
    [
        "各位代表：\n一年来工作回顾\n",  # the title lines end at a part heading
        "主题：法治政府建设\n",  # at a line with a colon inside
        "",  # at the first sentence
    ],
)
def test_the_end_is_read_however_the_title_lines_end(opening):
    units = segment(opening + "过去一年，全县办结案件120件。\n青禾县人民政府\n2024年1月20日")
    assert [u.kind for u in units][-2:] == ["signature", "date"]


def test_lines_marked_as_headings_by_their_source():
    """``marks`` (line number: level, from HTML or Word): a marked line that is one unit is
    a heading whatever its layout; a marked line cut into several units marks none of them."""
    text = "青禾县2023年法治政府建设情况报告\n现将情况报告如下。\n主要成效\n全年办结案件。\n（一）规范执法 全年培训。\n存在问题\n人员偏少。"
    heads = lambda marks: [u.text for u in segment(text, marks=marks) if u.is_heading]  # noqa: E731
    assert heads(None) == heads({}) == heads({4: 2}) == ["主要成效", "（一）规范执法", "存在问题"]
    assert heads({3: 2, 4: 2, 6: 2}) == ["主要成效", "全年办结案件。", "（一）规范执法", "存在问题", "人员偏少。"]
    assert [u.text for u in segment("全年办结案件。\n加强执法。", marks={0: 1}) if u.is_heading] == ["全年办结案件。"]  # the first line
    levels = {u.text: u.level for u in segment(text, marks={3: 2})}
    assert (levels["主要成效"], levels["全年办结案件。"], levels["（一）规范执法"]) == (0, 1, 2)
