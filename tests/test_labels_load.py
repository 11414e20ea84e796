"""Labels CSVs read back: rows to units, validation, and the labeled set's views."""
import hashlib
import io

import pytest

from fazhi.errors import FazhiError
from fazhi.labels.load import LabeledSet, load_labels
from fazhi.labels.rows import COLUMNS, note_kind, read_csv, row_kind, row_label, rows_to_units, unit_rows, write_rows
from fazhi.units.segment import segment
from fazhi.vocab import Unit

HEADER = "doc_id,sent_id,section,text,label,note"


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return str(path)


# --- rows.py ---------------------------------------------------------------------------


def test_unit_rows_leave_labels_empty_and_name_non_content():
    units = segment("某县2021年法治政府建设情况报告\n一、主要成效\n全年办结12件。\n某县人民政府\n2022年1月5日")
    rows = unit_rows(units)
    assert [(r["sent_id"], r["section"], r["text"], r["label"], r["note"]) for r in rows] == [
        (0, "", "某县2021年法治政府建设情况报告", "", "title"),
        (1, "一、主要成效", "一、主要成效", "", ""),
        (2, "一、主要成效", "全年办结12件。", "", ""),
        (3, "一、主要成效", "某县人民政府", "", "signature"),
        (4, "一、主要成效", "2022年1月5日", "", "date"),
    ]
    assert {r["doc_id"] for r in rows} == {"-"}


def test_write_rows_writes_the_schema():
    out = io.StringIO()
    write_rows([{"doc_id": "a", "sent_id": 0, "section": "", "text": "加强，执法。", "label": "", "note": "", "extra": "x"}], out)
    assert out.getvalue() == HEADER + "\na,0,,加强，执法。,,\n"
    assert COLUMNS == HEADER.split(",")


def refused(path, message):
    """read_csv and load_labels both refuse ``path`` with exactly ``message``, naming it."""
    for read in (read_csv, lambda p: load_labels([p])):
        with pytest.raises(FazhiError) as e:
            read(str(path))
        assert (e.value.path, e.value.message) == (str(path), message)


def test_read_csv_refuses_what_is_not_a_labels_csv(tmp_path):
    refused(write(tmp_path / "blank.csv", " \n\n"), "empty file")
    refused(tmp_path, "is a folder, not a labels CSV")
    (tmp_path / "odd.csv").write_bytes(b"\xff\xfet\x00e\x00x")  # a UTF-16 mark, then an odd byte count
    refused(tmp_path / "odd.csv", "not valid utf-16-le text")
    refused(write(tmp_path / "huge.csv", 'text,label\n"' + "长" * 200_000 + '",plan\n'),
            "not a readable CSV: field larger than field limit (131072)")  # fmt: skip
    refused(write(tmp_path / "nothing.csv", ",\n,\n"), "missing column(s) text, label (found: none)")
    refused(write(tmp_path / "some.csv", "text,sentence\n加强执法。,x\n"), "missing column(s) label (found: sentence, text)")


def test_a_line_break_inside_a_quoted_field_is_kept(tmp_path):
    _, rows, _ = read_csv(write(tmp_path / "q.csv", 'text,label,note\r\n加强执法。,plan,"first\r\nsecond"\r\n'))
    assert rows == [{"text": "加强执法。", "label": "plan", "note": "first\r\nsecond"}]


def test_read_csv_gives_columns_rows_and_text(tmp_path):
    path = write(tmp_path / "ok.csv", "text,label,extra\r\n加强执法。,Plan ,x\r\n")
    columns, rows, text = read_csv(path)
    assert columns == ["text", "label", "extra"]
    assert rows == [{"text": "加强执法。", "label": "Plan ", "extra": "x"}]
    assert text == "text,label,extra\r\n加强执法。,Plan ,x\r\n"
    assert row_label(rows[0]) == "plan"


@pytest.mark.parametrize(
    "note, label, kind",
    [
        ("title", "skip", "title"), ("title; repeated by the web page", "skip", "title"), ("signature", "", "signature"),
        (" date ;x", "skip", "date"), ("furniture", "skip", "furniture"), ("why this is a plan", "skip", "furniture"),
        ("", "SKIP", "furniture"), ("", "plan", "content"), (None, None, "content"), ("content", "plan", "content"),
    ],
)  # fmt: skip
def test_row_kind(note, label, kind):
    row = {"note": note, "label": label}
    assert row_kind(row) == kind
    assert note_kind(row) == (kind if kind in ("title", "signature", "date") or note == "furniture" else "")


def test_rows_to_units_with_doc_ids():
    rows = [
        {"doc_id": " r ", "sent_id": "3", "section": " 一、成效 ", "text": " 加强执法。 ", "label": "plan", "note": ""},
        {"doc_id": "r", "sent_id": "", "section": "", "text": "  ", "label": "", "note": ""},  # no text: no unit
        {"doc_id": "r", "sent_id": "", "section": "", "text": "办结12件。", "label": "", "note": "title"},
        {"doc_id": "r", "sent_id": "7", "text": None},  # a short row: no unit
    ]
    units, index = rows_to_units(rows, "x/labels.csv")
    assert index == [0, 2]
    assert [(u.doc_id, u.sent_id, u.section, u.text, u.kind) for u in units] == [
        ("r", 3, "一、成效", "加强执法。", "content"), ("r", 2, "", "办结12件。", "title"),
    ]  # fmt: skip
    assert units[1].figures == ["12件"] and units[0].norm == "加强执法。"


def test_rows_without_doc_ids_are_one_unit_reports():
    rows = [{"text": "加强执法。", "label": "plan"}, {"text": "存在不足。", "label": "problem", "doc_id": "r"}]
    units, _ = rows_to_units(rows, "some/dir/mine.csv")
    assert [(u.doc_id, u.sent_id) for u in units] == [("mine#0", 0), ("mine#1", 0)]
    assert [u.doc_id for u in rows_to_units(rows[:1])[0]] == ["-#0"]


def test_sent_id_not_a_number(tmp_path):
    with pytest.raises(FazhiError, match=r"sent_id is not a number on line 3: 'x1'") as e:
        rows_to_units([{"doc_id": "r", "sent_id": "0", "text": "甲。"}, {"doc_id": "r", "sent_id": "x1", "text": "乙。"}], "f.csv")
    assert e.value.path == "f.csv"


def test_a_report_in_traditional_characters_is_read_simplified():
    rows = [
        {"doc_id": "t", "sent_id": "0", "text": "二、存在問題"},
        {"doc_id": "t", "sent_id": "1", "text": "執法監督機制還不健全。"},
        {"doc_id": "s", "sent_id": "0", "text": "执法监督机制还不健全。"},
    ]
    units, _ = rows_to_units(rows)
    assert [u.text for u in units] == ["二、存在問題", "執法監督機制還不健全。", "执法监督机制还不健全。"]
    assert [u.norm for u in units] == ["二、存在问题", "执法监督机制还不健全。", "执法监督机制还不健全。"]


# --- load.py ---------------------------------------------------------------------------


def test_a_labeled_set(tmp_path):
    a = write(tmp_path / "a.csv", HEADER + ",kind\nr,0,,标题,skip,title,annual\nr,1,一、成效,加强执法。,Plan, ,annual\nr,2,,办结12件。,,,annual\n")
    b = write(tmp_path / "b.csv", "text,label,who\n存在不足。,problem, li \n办结。,,\n")
    labeled = load_labels([a, b])
    assert labeled.files == [a, b]
    assert labeled.sha256 == {p: hashlib.sha256(open(p, "rb").read()).hexdigest() for p in (a, b)}
    assert labeled.labels == ["skip", "plan", "", "problem", ""]
    assert labeled.where == [f"{a}:2", f"{a}:3", f"{a}:4", f"{b}:2", f"{b}:3"]
    assert labeled.extra == [{"kind": "annual"}] * 3 + [{"who": "li"}, {"who": ""}]
    assert labeled.cross_report_conflicts == 0  # two labels, on two texts
    assert labeled.trainable() == [1, 3]
    assert labeled.counts() == {"achievement": 0, "metric": 0, "problem": 1, "plan": 1}
    assert labeled.columns() == []  # no column in every row
    assert load_labels([a]).columns() == ["kind"]
    part = labeled.subset([3, 1])
    assert part.labels == ["problem", "plan"] and part.where == [f"{b}:2", f"{a}:3"] and part.extra == [{"who": "li"}, {"kind": "annual"}]
    assert [u.text for u in part.units] == ["存在不足。", "加强执法。"]
    assert part.files == labeled.files and part.sha256 == labeled.sha256
    assert LabeledSet().columns() == []
    assert part.fit_only == [] and not part.is_fit_only(0)  # no base labels: nothing fit-only
    labeled.fit_only = [True, False, False, False, True]  # the base's rows, fitted on and never scored
    assert [labeled.is_fit_only(i) for i in range(5)] == [True, False, False, False, True]
    part = labeled.subset([4, 3, 0])
    assert part.fit_only == [True, False, True] and [part.is_fit_only(i) for i in range(3)] == [True, False, True]


def test_no_labeled_rows(tmp_path):
    a = write(tmp_path / "a.csv", "text,label\n加强执法。,\n标题,skip\n")
    b = write(tmp_path / "b.csv", "text,label\n存在不足。,\n")
    with pytest.raises(FazhiError, match=r"^.*: no labeled rows \(labels: achievement, metric, problem, plan\)$") as e:
        load_labels([a, b])
    assert e.value.path == f"{a}, {b}"


def test_errors_list_at_most_eight_lines(tmp_path):
    rows = "".join(f"第{i}句。,plann\n" for i in range(11))
    bad = write(tmp_path / "bad.csv", "text,label\n" + rows + "第十二句。,metricz\n")
    with pytest.raises(FazhiError) as e:
        load_labels([bad])
    assert (e.value.path, e.value.message) == (
        bad, "unknown label metricz, plann on line(s) 2, 3, 4, 5, 6, 7, 8, 9 and 4 more (expected one of achievement, metric, problem, plan, skip)"
    )  # fmt: skip
    empty = write(tmp_path / "empty.csv", "text,label\n" + ",plan\n" * 8 + "加强。,plan\n")
    with pytest.raises(FazhiError) as e:
        load_labels([empty])
    assert (e.value.path, e.value.message) == (empty, "empty text on line(s) 2, 3, 4, 5, 6, 7, 8, 9")


def test_labels_are_read_stripped_and_lower_case(tmp_path):
    labeled = load_labels([write(tmp_path / "a.csv", "text,label\n加强执法。, PLAN \n标题,Skip\n")])
    assert labeled.labels == ["plan", "skip"]


def test_same_text_two_labels_in_a_file_without_doc_ids(tmp_path):
    path = write(tmp_path / "t.csv", "text,label\n加强执法。,plan\n办结12件。,metric\n加强执法。,achievement\n")
    with pytest.raises(FazhiError) as e:
        load_labels([path])
    assert str(e.value) == f"{path}: the same text has two labels: t.csv line 2 (plan) and line 4 (achievement): 加强执法。"


def test_same_text_two_labels_in_a_report_shows_its_first_30_characters(tmp_path):
    long = "加强" * 20 + "。"
    path = write(tmp_path / "r.csv", HEADER + f"\nr,0,,{long},plan,\nr,1,,{long},achievement,\n")
    with pytest.raises(FazhiError) as e:
        load_labels([path])
    assert str(e.value) == f"{path}: the same text has two labels in report r: r.csv line 2 (plan) and line 3 (achievement): {long[:30]}"


def test_same_text_under_another_section_or_in_another_file(tmp_path):
    one = write(tmp_path / "one.csv", HEADER + "\nr,0,一、成效,加强执法。,achievement,\nr,1,二、打算,加强执法。,plan,\n"
                + "s,0,一、成效,加强执法。,plan,\ns,1,二、打算,加强执法。,plan,\n")  # fmt: skip
    labeled = load_labels([one])
    # another section in one report is no conflict; under one section across reports, one text counted once
    assert labeled.labels == ["achievement", "plan", "plan", "plan"] and labeled.cross_report_conflicts == 1
    two = write(tmp_path / "two.csv", "text,label\n加强执法。,plan\n")
    three = write(tmp_path / "three.csv", "text,label\n加强执法。,problem\n")
    assert load_labels([two, three]).labels == ["plan", "problem"]  # each file without doc_ids is its own scope
    same = write(tmp_path / "same.csv", HEADER + "\nr,0,一、成效,加强执法。,plan,\nr,1,一、成效,加强执法。,plan,\n")
    assert load_labels([same]).cross_report_conflicts == 0


def test_duplicate_key_inside_one_file(tmp_path):
    path = write(tmp_path / "d.csv", HEADER + "\nr,0,,加强执法。,plan,\nr,1,,办结。,metric,\nr,0,,存在不足。,problem,\n")
    with pytest.raises(FazhiError) as e:
        load_labels([path])
    assert str(e.value) == f"{path}: duplicate (doc_id, sent_id) (r, 0) on line 4, first at d.csv line 2"


def test_units_keep_their_rows_kind_and_section(tmp_path):
    path = write(tmp_path / "k.csv", HEADER + "\nr,0,,某县报告,skip,title\nr,1,一、成效,加强执法。,plan,\n")
    units = load_labels([path]).units
    assert all(isinstance(u, Unit) for u in units)
    assert [(u.kind, u.section, u.sent_id) for u in units] == [("title", "", 0), ("content", "一、成效", 1)]
