"""The labeler's orders (random, uncertain, diverse, balanced), the measured default,
and refitting in the loop without holding up the keys."""
import json
import threading

import pytest

from conftest import ROOT, assert_clean_error, run_cli
from fazhi.labels.keys import line_keys
from fazhi.labels.order import DEFAULT_ORDER, ORDERS, Candidate, margin, rank
from fazhi.labels.retrain import Retrainer, refit_job
from fazhi.labels.session import open_session, run, start
from test_label import ROWS, model, units_csv  # noqa: F401 (fixtures)


def proba(top: str, gap: float) -> dict:
    """Probabilities whose guess is ``top`` with a margin of ``gap`` over the runner-up."""
    rest = [lab for lab in ("achievement", "metric", "problem", "plan") if lab != top]
    high = (1 + gap) / 2
    return {top: high, rest[0]: high - gap, rest[1]: 0.0, rest[2]: 0.0}


def candidate(key, text, top="plan", gap=0.5, doc="r", section="s"):
    return Candidate(key=key, doc_id=doc, section=section, text=text, probabilities=proba(top, gap))


def test_random_is_a_fixed_shuffle():
    cands = [candidate(i, f"第{i}句。") for i in range(30)]
    first = rank("random", cands, seed=1)
    assert sorted(first) == list(range(30)) and first != list(range(30))
    assert rank("random", cands, seed=1) == first != rank("random", cands, seed=2)


def test_uncertain_is_by_increasing_margin():
    cands = [candidate(i, f"第{i}句。", gap=g) for i, g in enumerate([0.5, 0.1, 0.9, 0.3])]
    assert rank("uncertain", cands) == [1, 3, 0, 2]
    assert margin(proba("plan", 0.3)) == pytest.approx(0.3)


def test_diverse_covers_clusters_of_similar_units_before_the_least_sure():
    # ten near-copies of one sentence, all less sure than ten near-copies of another
    unsure = [candidate(i, f"下一步，将进一步加强执法队伍建设，第{i}项。", gap=0.01 * (i + 1)) for i in range(10)]
    sure = [candidate(10 + i, f"全年办理行政复议案件{i}件，纠错{i}件。", gap=0.5 + 0.01 * i) for i in range(10)]
    assert rank("uncertain", unsure + sure)[:10] == list(range(10))
    first_two = rank("diverse", unsure + sure)[:2]
    assert {k // 10 for k in first_two} == {0, 1}  # one of each cluster
    assert 0 in first_two and 10 in first_two  # the least sure of each


def test_diverse_spreads_over_reports_and_takes_labeled_units_into_account():
    cands = [candidate(0, "甲。", gap=0.10, doc="r1"), candidate(1, "乙。", gap=0.11, doc="r1"), candidate(2, "丙。", gap=0.13, doc="r2")]
    assert rank("uncertain", cands) == [0, 1, 2]
    assert rank("diverse", cands) == [0, 2, 1]  # after r1's first unit, r2's beats r1's second
    labeled = [Candidate(key=9, doc_id="r1", section="s", text="丁。", label="plan")]
    assert rank("diverse", cands, taken=labeled)[0] == 2  # r1 already has a labeled unit


def test_balanced_takes_the_least_labeled_guess_first():
    cands = [candidate(0, "甲。", "achievement", 0.1), candidate(1, "乙。", "achievement", 0.2), candidate(2, "丙。", "plan", 0.9),
             candidate(3, "丁。", "problem", 0.8), candidate(4, "戊。", "metric", 0.7)]  # fmt: skip
    assert rank("balanced", cands) == [0, 4, 3, 2, 1]  # one of each guessed label, in label order, then round two
    taken = [Candidate(key=9, doc_id="r", section="s", text="己。", label="achievement")]
    assert rank("balanced", cands, taken=taken)[:4] == [4, 3, 2, 0]  # achievement already has one


def test_the_default_order_is_the_measured_winner():
    measured = json.loads((ROOT / "bench" / "adapt.json").read_text(encoding="utf-8"))
    assert DEFAULT_ORDER in ORDERS and DEFAULT_ORDER == measured["winner"]


def test_sessions_use_the_default_order_with_a_model_and_the_file_order_without(units_csv, model):  # noqa: F811
    assert open_session(str(units_csv), model).order_name == DEFAULT_ORDER
    assert open_session(str(units_csv)).order_name == "file"
    assert start(str(units_csv)).order_name == DEFAULT_ORDER  # the shipped model
    session = open_session(str(units_csv), model, "random")
    todo = [i for i, r in enumerate(ROWS) if not r[4]]
    assert sorted(session.order[: len(todo)]) == todo  # random needs no model but shuffles every unlabeled row


# --- refitting in the loop ------------------------------------------------------------


def test_keys_are_answered_while_a_refit_runs(units_csv):  # noqa: F811
    """The refit blocks until released; the key loop goes on meanwhile, and the refit's
    order takes over once it has finished."""
    release, started = threading.Event(), threading.Event()
    unsure_last = list(range(len(ROWS)))[::-1]  # the refit's order: the file's, reversed

    def job(path, order):
        started.set()
        release.wait(30)
        return {}, unsure_last, 2

    retrainer = Retrainer(2, job)
    session = open_session(str(units_csv), None, "file")
    keys = iter("1s" + "22" + "R" + "3q")  # R: release the refit and wait for it to finish
    shown, messages = [], []

    def read_key():
        key = next(keys, None)
        if key == "R":
            assert started.is_set() and retrainer.running  # two answers were given while it ran
            release.set()
            retrainer.wait(30)
            key = next(keys)
        return key

    run(session, read_key, lambda view, msg: (shown.append(view.row), messages.append(msg)), retrainer=retrainer)
    # 1 -> row 0, s -> row 1 (the refit starts), 2 -> row 3, 2 -> row 4, row 5 shown: all while
    # the refit runs; 3 labels row 5; then the next unit is the first unlabeled one of the
    # refit's order (the file's reversed): row 10
    assert shown == [0, 1, 3, 4, 5, 10]
    assert session.rows[5]["label"] == "problem"
    assert "reordered" in messages[-1] and retrainer.refits == 1


def test_a_failed_refit_keeps_the_order(units_csv):  # noqa: F811
    def job(path, order):
        raise ValueError("no luck")

    retrainer = Retrainer(1, job)
    session = open_session(str(units_csv), None, "file")
    before = list(session.order)
    messages = []
    keys = iter("1W1q")

    def read_key():
        key = next(keys)
        if key == "W":
            retrainer.wait(30)
            key = next(keys)
        return key

    run(session, read_key, lambda view, msg: messages.append(msg), retrainer=retrainer)
    assert session.order == before and any("refit failed" in m and "no luck" in m for m in messages)


def test_a_refit_fits_on_the_base_and_the_answers(tmp_path, units_csv):  # noqa: F811
    from test_base import base_rows, write

    base = [write(tmp_path / "base.csv", base_rows("base-a") + base_rows("base-b"))]
    session = open_session(str(units_csv), None, "file")
    for label in ("skip", "achievement", "metric"):  # rows 0, 1, 3
        session.answer(label)
    probabilities, order, n = refit_job(str(units_csv), "uncertain", base=base)
    content = [i for i, r in enumerate(ROWS) if r[5] not in ("title", "signature")]
    assert sorted(probabilities) == content and n == 3  # rows 1, 3 and row 2, labeled in the file
    todo = [i for i in content if i not in (1, 2, 3)]
    assert order[: len(todo)] == sorted(todo, key=lambda i: (margin(probabilities[i]), i))
    session.reorder(probabilities, order)
    assert session.current() == order[0] and session.view().probabilities == probabilities[order[0]]


def test_retrain_every_from_the_command(units_csv):  # noqa: F811
    proc = run_cli("label", units_csv, "--order", "file", "--retrain-every", "1", input="1s2q")
    assert proc.returncode == 0, proc.stderr
    assert "3 answers saved" in proc.stderr and "refits" in proc.stderr
    assert_clean_error(run_cli("label", units_csv, "--retrain-every", "-1"), "--retrain-every")


def test_line_keys_drive_a_session_with_a_retrainer(units_csv):  # noqa: F811
    import io

    calls = []
    retrainer = Retrainer(2, lambda path, order: calls.append(path) or ({}, list(range(len(ROWS))), 0))
    result = run(open_session(str(units_csv), None, "file"), line_keys(io.StringIO("1s\n22\nq\n")), lambda v, m: None, retrainer=retrainer)
    retrainer.wait(30)
    assert result["answered"] == 4 and calls == [str(units_csv)] * len(calls) and 1 <= len(calls) <= 2


def test_without_a_model_the_default_is_the_file_order_and_random_still_shuffles(units_csv, monkeypatch, tmp_path):  # noqa: F811
    monkeypatch.setenv("FAZHI_MODEL", str(tmp_path / "no-model"))
    plain = start(str(units_csv))
    assert plain.order_name == "file" and "in file order" in plain.warning
    shuffled = start(str(units_csv), order="random")
    assert shuffled.order_name == "random" and "file order" not in shuffled.warning
    assert shuffled.order != plain.order and sorted(shuffled.order) == sorted(plain.order)
    with pytest.raises(Exception, match="--order diverse needs a model"):
        start(str(units_csv), order="diverse")
