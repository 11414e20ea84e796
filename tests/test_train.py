"""fazhi train writes only where told: -o required, a model folder replaced only with --force,
inputs never overwritten; warnings on thin labels; progress per fold on a terminal."""
import csv
import os
import select
import stat
import subprocess
import sys
import time

import pytest

from conftest import ROOT, assert_clean_error, run_cli
from fazhi.learning.store import load_model, sha256_file
from fazhi.learning.train import MIN_ROWS, label_warnings, score_warnings, train

SEEDS_CSV = ROOT / "labels" / "seeds.csv"




def two_labels(path, n=10):
    """text,label rows of two labels only, ``n`` of each: each row a report of its own."""
    rows = "".join(f"第{i}项存在执法力量不足的问题。,problem\n第{i}项下一步将加强执法队伍建设。,plan\n" for i in range(n))
    path.write_text("text,label\n" + rows, encoding="utf-8")
    return path


def test_output_folder_is_required(tmp_path, three_reports):
    proc = run_cli("train", three_reports, cwd=tmp_path)
    assert_clean_error(proc, "Missing option '-o'", "fazhi train --help")
    assert len(proc.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_model_folder_is_replaced_only_with_force(tmp_path):
    labels = two_labels(tmp_path / "two.csv")
    model = tmp_path / "m"
    assert run_cli("train", labels, "-o", model, "--no-cv").returncode == 0
    before = sha256_file(str(model / "fazhi.joblib"))
    card_before = (model / "card.json").read_text(encoding="utf-8")
    assert_clean_error(run_cli("train", labels, "-o", model, "--no-cv", "--seed", "3"), "is a model folder already", "--force")
    assert (model / "card.json").read_text(encoding="utf-8") == card_before
    proc = run_cli("train", labels, "-o", model, "--no-cv", "--seed", "3", "--force")
    assert proc.returncode == 0, proc.stderr
    _, card = load_model(str(model))
    assert card["seed"] == 3 and card["model_sha256"] != before
    assert card["retrain"].endswith("--force")  # the command in the card works on the folder it made


def test_output_naming_an_input_is_refused_before_anything_runs(tmp_path):
    labels = two_labels(tmp_path / "two.csv")
    before = labels.read_bytes()
    assert_clean_error(run_cli("train", labels, "-o", labels, "--force"), "two.csv", "is a file")
    folder = tmp_path / "data"
    folder.mkdir()
    inside = two_labels(folder / "mine.csv")
    (folder / "card.json").write_text("{}", encoding="utf-8")  # even a folder that looks like a model
    assert_clean_error(run_cli("train", inside, "-o", folder, "--force"), "holds the input", "mine.csv")
    assert labels.read_bytes() == before and inside.exists()


def test_a_folder_of_other_files_is_never_replaced(tmp_path):
    labels = two_labels(tmp_path / "two.csv")
    mine = tmp_path / "somefolder"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine\n", encoding="utf-8")
    for force in ((), ("--force",)):
        assert_clean_error(run_cli("train", labels, "-o", mine, "--no-cv", *force), "not a fazhi model folder")
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli("train", labels, "-o", empty, "--no-cv").returncode == 0
    assert sorted(p.name for p in empty.iterdir()) == ["card.json", "fazhi.joblib"]


def test_bad_output_folders_are_one_line(tmp_path):
    labels = two_labels(tmp_path / "two.csv")
    locked = "/sys" if os.geteuid() == 0 else str(tmp_path)
    if os.geteuid() != 0:
        tmp_path.chmod(0o500)
    try:
        for output, message in ((tmp_path / "no" / "m", "no such folder"), (os.path.join(locked, "m"), "cannot write here")):
            proc = run_cli("train", labels, "-o", output, "--no-cv")
            assert_clean_error(proc, message)
            assert len(proc.stderr.strip().splitlines()) == 1
    finally:
        tmp_path.chmod(0o755)


def test_the_model_folder_follows_the_umask(tmp_path):
    labels = two_labels(tmp_path / "two.csv")
    old = os.umask(0o022)
    try:
        assert run_cli("train", labels, "-o", tmp_path / "m", "--no-cv").returncode == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "m").st_mode) == 0o755
    for name in ("card.json", "fazhi.joblib"):
        assert stat.S_IMODE(os.stat(tmp_path / "m" / name).st_mode) == 0o644


# --- warnings -------------------------------------------------------------------------


def test_missing_and_thin_labels_are_warned(tmp_path):
    labels = two_labels(tmp_path / "two.csv", n=12)
    proc = run_cli("train", labels, "-o", tmp_path / "m", "--no-cv")
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("fazhi: warning:")]
    assert any("no rows labeled achievement, metric" in w for w in warnings), proc.stderr
    assert any(f"fewer than {MIN_ROWS} rows of a label (problem has 12, plan has 12)" in w for w in warnings), proc.stderr
    _, card = load_model(str(tmp_path / "m"))
    assert len(card["warnings"]) == 2
    assert label_warnings({"achievement": 40, "metric": 20, "problem": 25, "plan": 30}) == []


def test_a_score_below_the_keyword_rule_is_warned(tmp_path, three_reports):
    """A model that reads only long n-grams, which rarely recur in another report, learns
    less than the rule."""
    thin = {"char_ngram": (6, 6), "word_ngram": (4, 4), "use_cues": False, "use_figures": False, "use_section": False, "use_kind": False}
    card = train([str(three_reports)], str(tmp_path / "m"), search=False, hyper=thin)
    assert card["cv"]["fazhi"]["macro_f1"] < card["cv"]["keyword_rule"]["macro_f1"]
    assert any("below the keyword rule's" in w for w in card["warnings"])
    fine = {"fazhi": {"macro_f1": 0.8}, "keyword_rule": {"macro_f1": 0.5}}
    assert score_warnings(fine) == [] and score_warnings(None) == []


def test_one_report_points_to_no_cv(tmp_path):
    header = "doc_id,sent_id,section,text,label,note\n"
    rows = "".join(f"r,{i},,第{i}项存在执法力量不足的问题。,problem,\n" for i in range(5))
    path = tmp_path / "one.csv"
    path.write_text(header + rows + "".join(f"r,{9 + i},,下一步将加强第{i}项建设。,plan,\n" for i in range(3)), encoding="utf-8")
    proc = run_cli("train", path, "-o", tmp_path / "m")
    assert_clean_error(proc, "at least 2 reports", "--no-cv")
    assert "--group" not in proc.stderr
    assert not (tmp_path / "m").exists()
    assert_clean_error(run_cli("train", path, "-o", tmp_path / "m", "--no-cv"), "in a fold of the hyper-parameter search", "--no-search")
    assert run_cli("train", path, "-o", tmp_path / "m", "--no-cv", "--no-search").returncode == 0


# --- progress -------------------------------------------------------------------------


def on_terminal(*args, timeout=300):
    """Run fazhi with stderr on a pseudo-terminal; returns (exit code, stdout, what the terminal got)."""
    import pty

    master, slave = pty.openpty()
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="120", TERM="xterm")
    proc = subprocess.Popen([sys.executable, "-m", "fazhi", *map(str, args)], stdout=subprocess.PIPE, stderr=slave, cwd=ROOT, env=env)
    os.close(slave)
    seen, end = b"", time.time() + timeout
    while time.time() < end:
        if select.select([master], [], [], 0.2)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    os.close(master)
    out = proc.stdout.read().decode()
    return proc.wait(timeout=30), out, seen.decode("utf-8", "replace")


def test_train_and_evaluate_show_progress_per_fold_on_a_terminal_only(tmp_path, three_reports):
    code, _, terminal = on_terminal("train", three_reports, "-o", tmp_path / "m", "--no-search")
    assert code == 0, terminal
    assert "cross-validation, fold" in terminal and "3/3" in terminal and "fitting the model" in terminal
    code, out, terminal = on_terminal("evaluate", three_reports, "--no-search", "--json")
    assert code == 0 and out.startswith("{")
    assert "cross-validation, fold" in terminal and "3/3" in terminal
    piped = run_cli("evaluate", three_reports, "--no-search", "--json")
    assert piped.stderr == ""
    piped = run_cli("train", three_reports, "-o", tmp_path / "m2", "--no-search")
    assert "fold" not in piped.stderr and "fitting" not in piped.stderr
    assert [line.split(" ", 1)[0] for line in piped.stderr.splitlines()] == ["trained", "leave-one-report-out", "model"]


def test_a_label_with_fewer_rows_than_calibration_folds_is_one_line(tmp_path):
    path = tmp_path / "few.csv"
    path.write_text("text,label\n" + "".join(f"第{i}项存在不足。,problem\n" for i in range(5)) + "下一步将加强建设。,plan\n", encoding="utf-8")
    assert_clean_error(run_cli("train", path, "-o", tmp_path / "m", "--no-cv"), "fewer rows than the calibration's 3 folds", "plan has 1")
    assert not (tmp_path / "m").exists()
