"""`fazhi label`: the hand labeler over a labels CSV."""
import csv
import os
import select
import subprocess
import sys
import time

import numpy as np
import pytest

from conftest import ROOT, assert_clean_error, run_cli, shared_scope
from fazhi.errors import FazhiError
from fazhi.labels.keys import line_keys
from fazhi.labels.session import KEYS, margin, open_session, run

COLUMNS = ["doc_id", "sent_id", "section", "text", "label", "note", "reviewer"]
PROBLEMS, PLANS = "二、存在的问题", "三、2022年工作思路"
# two reports, their rows interleaved and out of sent_id order, so context must be rebuilt per report
ROWS = [
    ("a", 0, "", "某县人民政府2021年法治政府建设情况报告", "", "title", "x"),
    ("a", 1, "", "2021年，我县深入推进法治政府建设。", "", "", ""),
    ("b", 0, "", "现将有关情况报告如下。", "achievement", "", "li"),
    ("a", 2, "一、主要成效", "一、主要成效", "", "", ""),
    ("a", 4, "一、主要成效", "全年办理行政复议案件120件，纠错15件。", "", "", ""),
    ("a", 3, "一、主要成效", "县政府常务会议会前学法12次。", "", "", ""),
    ("b", 1, PROBLEMS, "执法人员数量严重不足，素质有待提高。", "", "", ""),
    ("b", 2, PROBLEMS, "部分部门对法治建设重视不够。", "", "", ""),
    ("b", 3, PLANS, "下一步，将进一步加强执法队伍建设。", "", "", ""),
    ("b", 4, PLANS, "力争2022年底前基本建成法治政府。", "", "", ""),
    ("a", 5, "", "某县人民政府", "", "signature", ""),
]


def write_csv(path, rows=ROWS, columns=COLUMNS):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    return path


def read_back(path):
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


@pytest.fixture
def units_csv(tmp_path):
    return write_csv(tmp_path / "units.csv")


@pytest.fixture(scope=shared_scope)
def model():
    from fazhi.learning.store import load_model

    return load_model()[0]


def assert_only_label_changed(path, expected_labels):
    """The file has the original rows and columns, with exactly ``expected_labels`` (row -> label)."""
    fieldnames, rows = read_back(path)
    assert fieldnames == COLUMNS
    assert len(rows) == len(ROWS)
    for i, (row, original) in enumerate(zip(rows, ROWS)):
        want = dict(zip(COLUMNS, map(str, original)))
        want["label"] = expected_labels.get(i, want["label"])
        assert row == want, i


# --- the session API ------------------------------------------------------------------


def test_each_answer_is_written_at_once(units_csv):
    session = open_session(str(units_csv))
    expected = {}
    for label in ("skip", "achievement", "achievement", "metric"):
        row = session.current()
        assert session.answer(label) == row
        expected[row] = label
        assert_only_label_changed(units_csv, expected)  # read back after every answer
    assert list(expected) == [0, 1, 3, 4]  # file order; row 2 was labeled already


def test_undo_restores_the_previous_label(units_csv):
    session = open_session(str(units_csv))
    first = session.answer("skip")
    second = session.answer("plan")
    assert session.undo() == second
    assert_only_label_changed(units_csv, {first: "skip"})
    assert session.current() == second  # the undone unit is asked again
    # relabeling a labeled row and undoing it puts its old label back, not an empty one
    session.answer("problem", row=2)
    assert_only_label_changed(units_csv, {first: "skip", 2: "problem"})
    assert session.undo() == 2
    assert_only_label_changed(units_csv, {first: "skip"})
    assert session.undo() == first
    assert_only_label_changed(units_csv, {})
    assert session.undo() is None


def test_quit_and_reopen_resumes_at_first_unlabeled(units_csv):
    session = open_session(str(units_csv))
    session.answer("skip")
    session.answer("achievement")
    passed = session.pass_current()  # `n`: moved past, still unlabeled
    assert session.current() != passed
    session.answer("metric")
    again = open_session(str(units_csv))
    assert again.current() == passed == 3
    assert again.view().done == 4  # rows 0, 1 and 4 by this session, row 2 before


def test_keys_drive_the_session(units_csv):
    session = open_session(str(units_csv))
    keys = iter("1s2u3n4x?q")
    shown, messages = [], []
    result = run(session, lambda: next(keys, None), lambda view, msg: (shown.append(view.row), messages.append(msg)))
    # 1 -> row 0, s -> row 1, 2 -> row 3, u undoes it, 3 -> row 3, n passes row 4, 4 -> row 5
    assert_only_label_changed(units_csv, {0: KEYS["1"], 1: "skip", 3: "problem", 5: "plan"})
    assert shown[:8] == [0, 1, 3, 4, 3, 4, 5, 6]
    assert any("unknown key" in m for m in messages)
    assert result["answered"] == 4


def test_end_of_input_quits_and_everything_labeled_finishes(units_csv):
    session = open_session(str(units_csv))
    result = run(session, lambda: None, lambda view, msg: None)
    assert result["answered"] == 0
    keys = iter("1" * 20)
    done = []
    result = run(open_session(str(units_csv)), lambda: next(keys), lambda v, m: None, done.append)
    assert result == {"answered": 10, "remaining": 0, "total": 11}
    assert done == ["every unit is labeled"]


def test_view_shows_neighbours_of_the_same_report_and_hints(units_csv):
    session = open_session(str(units_csv))
    view = session.view(5)  # a#3, between a#2 and a#4 although the file has them elsewhere
    assert [t for t, _ in view.before] == ["2021年，我县深入推进法治政府建设。", "一、主要成效"]
    assert [t for t, _ in view.after] == ["全年办理行政复议案件120件，纠错15件。", "某县人民政府"]
    assert view.section == "一、主要成效" and view.hint == ""
    title = session.view(0)
    assert "title" in title.hint and "skip" in title.hint
    assert "signature" in session.view(10).hint


def test_text_and_label_only_file(tmp_path):
    path = write_csv(tmp_path / "two.csv", [("本年度开展培训3次。", ""), ("将继续推进。", "plan")], ["text", "label"])
    session = open_session(str(path))
    assert session.current() == 0
    session.answer("metric")
    assert read_back(path)[1] == [{"text": "本年度开展培训3次。", "label": "metric"}, {"text": "将继续推进。", "label": "plan"}]
    assert session.current() is None


def test_line_keys_reads_piped_input():
    import io

    read = line_keys(io.StringIO("1s\n\n q\n"))
    assert [read() for _ in range(5)] == ["1", "s", "\n", "q", None]


# --- the model's order -----------------------------------------------------------------


def test_uncertain_order_is_by_increasing_margin(units_csv, model):
    from fazhi.learning.records import report_records
    from fazhi.units.segment import make_unit

    # the probabilities computed here, report by report in sent_id order
    expected = {}
    for doc in ("a", "b"):
        idx = sorted((i for i, r in enumerate(ROWS) if r[0] == doc), key=lambda i: ROWS[i][1])
        content = [i for i in idx if ROWS[i][5] not in ("title", "signature")]
        # the whole report, its title and signature included: the model may read them as context
        units = [
            make_unit(doc_id=doc, sent_id=ROWS[i][1], section=ROWS[i][2], text=ROWS[i][3], kind=ROWS[i][5] or "content")
            for i in idx
        ]
        proba = model.predict_proba(report_records(units))
        for i, p in zip(content, proba):
            expected[i] = dict(zip(map(str, model.classes_), p))
    session = open_session(str(units_csv), model, "uncertain")
    for i, p in expected.items():
        assert session.probabilities[i] == pytest.approx(p)
    unlabeled = [i for i in expected if not ROWS[i][4]]
    margins = {i: np.sort(list(p.values()))[-1] - np.sort(list(p.values()))[-2] for i, p in expected.items()}
    head = session.order[: len(unlabeled)]
    assert sorted(head) == sorted(unlabeled)
    assert [margins[i] for i in head] == sorted(margins[i] for i in unlabeled)
    assert all(margin(session.probabilities[i]) == pytest.approx(margins[i]) for i in head)
    # then the labeled row and the title/signature rows, in file order
    assert session.order[len(unlabeled) :] == [0, 2, 10]
    assert session.current() == head[0]
    # every unit shows the model's guess, non-content rows none
    view = session.view()
    assert view.guess == max(expected[head[0]], key=expected[head[0]].get)
    assert session.view(0).probabilities is None


def test_uncertain_order_resumes_where_it_left(units_csv, model):
    session = open_session(str(units_csv), model, "uncertain")
    first, second = session.order[:2]
    session.answer("achievement")
    again = open_session(str(units_csv), model, "uncertain")
    assert again.current() == second and first not in again.order[:1]


def test_uncertain_order_needs_a_model(units_csv):
    with pytest.raises(FazhiError, match="needs a model"):
        open_session(str(units_csv), None, "uncertain")


# --- the command ------------------------------------------------------------------------


def test_piped_keys_label_the_right_rows(units_csv):
    proc = run_cli("label", units_csv, "--order", "file", input="1s2q")
    assert proc.returncode == 0, proc.stderr
    assert_only_label_changed(units_csv, {0: "achievement", 1: "skip", 3: "metric"})
    assert "3 answers saved" in proc.stderr
    assert "全年办理行政复议案件" in proc.stdout  # the screen went to stdout
    # a rerun resumes at row 4; without a model it labels all the same, saying so
    env = dict(os.environ, PYTHONIOENCODING="utf-8", FAZHI_MODEL=str(units_csv.parent / "no-model"))
    proc = subprocess.run(
        [sys.executable, "-m", "fazhi", "label", str(units_csv)], input="4\n", capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert "without the model's guesses" in proc.stderr and "model:" not in proc.stdout
    assert_only_label_changed(units_csv, {0: "achievement", 1: "skip", 3: "metric", 4: "plan"})


def test_uncertain_order_from_the_command(units_csv, model):
    session = open_session(str(units_csv), model, "uncertain")
    first = session.current()
    proc = run_cli("label", units_csv, "--order", "uncertain", input="3q")
    assert proc.returncode == 0, proc.stderr
    assert_only_label_changed(units_csv, {first: "problem"})


def _terminal_child():
    """In the child: the pty is its terminal, and Ctrl-C interrupts it even when the
    test itself runs with SIGINT ignored (a background job of a script, as in CI)."""
    import fcntl
    import signal
    import termios

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_single_keys_on_a_terminal(units_csv):
    """Keys without Enter, through a pseudo-terminal: the termios path."""
    import fcntl
    import pty
    import termios

    master, slave = pty.openpty()
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="120", TERM="xterm")
    proc = subprocess.Popen(
        [sys.executable, "-m", "fazhi", "label", str(units_csv), "--order", "file"],
        stdin=slave, stdout=slave, stderr=subprocess.PIPE, cwd=ROOT, env=env,
        start_new_session=True, preexec_fn=_terminal_child,
    )
    os.close(slave)
    output = b""

    def wait_for(needle: bytes, timeout=30):
        nonlocal output
        end = time.time() + timeout
        while needle not in output and time.time() < end:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    output += os.read(master, 65536)
                except OSError:
                    break
        assert needle in output, output[-500:]

    try:
        wait_for(b"q quit")
        os.write(master, b"3s")  # no Enter, and typed ahead: both keys count
        wait_for("→ skip".encode())
        wait_for(b"q quit")
        os.write(master, b"\x03")  # Ctrl-C: both answers are already on disk
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    stderr = proc.stderr.read().decode()
    assert proc.returncode == 130, stderr
    assert "2 answers saved" in stderr and "Traceback" not in stderr
    assert_only_label_changed(units_csv, {0: "problem", 1: "skip"})


def test_errors_are_one_line(tmp_path, units_csv):
    assert_clean_error(run_cli("label", tmp_path / "nope.csv"), "nope.csv", "no such file")
    bad = tmp_path / "bad.csv"
    bad.write_text("doc_id,sent_id,sentence\na,0,文本\n", encoding="utf-8")
    assert_clean_error(run_cli("label", bad), "bad.csv", "missing column(s) text, label")
    assert_clean_error(run_cli("label", units_csv, "--order", "uncertain", "--model", tmp_path / "no-model"), "no-model", "no model folder")
    assert_clean_error(run_cli("label", units_csv, "--order", "newest"), "--order")
    assert read_back(units_csv)[1] == read_back(write_csv(tmp_path / "fresh.csv"))[1]  # untouched


def test_a_file_changed_by_another_program_is_not_overwritten(units_csv):
    session = open_session(str(units_csv))
    session.answer("skip")
    fieldnames, rows = read_back(units_csv)
    rows[8]["label"] = "plan"  # someone else labels a row meanwhile
    with open(units_csv, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        f.write("\n")  # and the size changes, whatever the clock's resolution
    with pytest.raises(FazhiError, match="changed by another program"):
        session.answer("achievement")
    assert read_back(units_csv)[1] == rows  # their change kept, ours not written
    assert session.rows[1]["label"] == ""  # and not pretended in memory either


@pytest.mark.parametrize("encoding, bom", [("gbk", b""), ("gb18030", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-8", b"")])
def test_labeling_keeps_the_file_encoding_and_bom(tmp_path, encoding, bom):
    plain = write_csv(tmp_path / "plain.csv")
    text = plain.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "units.csv"
    path.write_bytes(bom + text.encode(encoding))
    session = open_session(str(path))
    session.answer("skip")
    session.answer("achievement")
    data = path.read_bytes()
    assert data.startswith(bom) and not data[len(bom) :].startswith(b"\xef\xbb\xbf")  # one BOM, the file's own
    after = data[len(bom) :].decode(encoding)  # strict: every byte still in the file's encoding
    assert "\r\n" in after and after.count("\n") == after.count("\r\n")
    expected = text.replace("建设情况报告,,title", "建设情况报告,skip,title")
    expected = expected.replace("2021年，我县深入推进法治政府建设。,,", "2021年，我县深入推进法治政府建设。,achievement,")
    assert after == expected
