"""Nothing is written half-way: a write that fails partway leaves the old file or model
folder byte for byte as it was, and no temp file behind. The writers are made to fail
after they have written part of their output."""
import csv
import errno
import os
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from fazhi import atomic
from fazhi.atomic import atomic_dir, atomic_open, atomic_path, check_output_file, check_output_folder
from fazhi.cli import app
from fazhi.errors import FazhiError

SEED = ROOT / "seeds" / "dawukou-2021.txt"
FULL = OSError(errno.ENOSPC, "No space left on device")


def snapshot(folder) -> dict:
    """Every file under ``folder`` (hidden ones too), by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def temp_files(folder) -> list[str]:
    return [str(p) for p in folder.rglob(".fazhi-*")]


def invoke(*args, input=None):
    return CliRunner().invoke(app, [str(a) for a in args], input=input)


# --- atomic.py ------------------------------------------------------------------------


def test_a_failed_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_bytes(b"old,content\n")
    with pytest.raises(OSError):
        with atomic_open(str(target)) as f:
            f.write("new,content\n" * 1000)
            f.flush()
            raise FULL
    assert target.read_bytes() == b"old,content\n"
    assert temp_files(tmp_path) == []


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, SystemExit])
def test_an_interrupted_write_keeps_the_old_file(tmp_path, interrupt):
    target = tmp_path / "out.bin"
    target.write_bytes(b"\x00old")
    with pytest.raises(interrupt):
        with atomic_open(str(target), "wb") as f:
            f.write(b"\x01new")
            raise interrupt()
    assert target.read_bytes() == b"\x00old" and temp_files(tmp_path) == []


def test_a_write_replaces_the_file_whole(tmp_path):
    target = tmp_path / "out.txt"
    with atomic_open(str(target), newline="") as f:
        f.write("一\r\n二\n")
    assert target.read_bytes() == "一\r\n二\n".encode("utf-8")
    with atomic_open(str(target), "wb") as f:
        f.write(b"\xff")
    assert target.read_bytes() == b"\xff" and temp_files(tmp_path) == []


def test_temp_files_are_named_for_gitignore(tmp_path):
    """.fazhi-* (in .gitignore): a temp file left by a killed process is never committed."""
    with atomic_path(str(tmp_path / "out.csv")) as tmp:
        assert re.fullmatch(r"\.fazhi-\w{8}\.tmp\.csv", os.path.basename(tmp)), tmp
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_block_that_removed_its_temp_file_raises_its_own_error(tmp_path):
    with pytest.raises(ValueError, match="the block's own error"):
        with atomic_path(str(tmp_path / "out.csv")) as tmp:
            os.remove(tmp)
            raise ValueError("the block's own error")
    assert list(tmp_path.iterdir()) == []


def test_text_is_utf8_whatever_the_locale(tmp_path):
    target = tmp_path / "out.txt"
    with atomic_open(str(target), newline="") as f:
        f.write("法治\r\n")
    assert target.read_bytes() == "法治\r\n".encode("utf-8")
    code = "import sys; from fazhi.atomic import atomic_open\nwith atomic_open(sys.argv[1]) as f:\n    f.write('\\u6cd5')\n"
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    proc = subprocess.run([sys.executable, "-c", code, str(target)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert target.read_bytes() == "法".encode("utf-8")


def test_the_temp_file_sits_beside_the_target(tmp_path):
    """A rename is atomic only within one file system: the temp file is in the target's folder."""
    target = tmp_path / "model.joblib"
    with atomic_path(str(target)) as tmp:
        assert os.path.dirname(tmp) == str(tmp_path)
        assert os.path.basename(tmp).startswith(".fazhi-")
        with open(tmp, "wb") as f:
            f.write(b"x")
        assert not target.exists()  # not in place before the block ends
    assert target.read_bytes() == b"x" and not os.path.exists(tmp)


def test_a_failed_folder_keeps_the_old_folder(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "a").write_bytes(b"old a")
    before = snapshot(tmp_path)
    with pytest.raises(OSError):
        with atomic_dir(str(folder)) as tmp:
            (tmp_path / os.path.basename(tmp) / "a").write_bytes(b"new a")
            raise FULL
    assert snapshot(tmp_path) == before


def test_a_folder_is_replaced_whole(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "old-only").write_bytes(b"gone after")
    with atomic_dir(str(folder)) as tmp:
        assert os.path.dirname(tmp) == str(tmp_path) and os.path.basename(tmp).startswith(".fazhi-")
        with open(os.path.join(tmp, "new"), "wb") as f:
            f.write(b"new")
    assert snapshot(tmp_path) == {"model/new": b"new"}
    with atomic_dir(str(tmp_path / "fresh")) as tmp:  # no old folder
        with open(os.path.join(tmp, "f"), "wb") as f:
            f.write(b"f")
    assert snapshot(tmp_path / "fresh") == {"f": b"f"} and temp_files(tmp_path) == []


def test_a_failed_new_folder_leaves_nothing(tmp_path):
    with pytest.raises(OSError):
        with atomic_dir(str(tmp_path / "model")):
            raise FULL
    assert list(tmp_path.iterdir()) == []


def test_a_failed_swap_puts_the_old_folder_back(tmp_path, monkeypatch):
    """The new folder cannot be moved into place after the old one was moved aside."""
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "a").write_bytes(b"old a")
    before = snapshot(tmp_path)
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # the old folder is aside; the new one fails to move in
            raise FULL
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(OSError):
        with atomic_dir(str(folder)) as tmp:
            with open(os.path.join(tmp, "a"), "wb") as f:
                f.write(b"new a")
    (model, aside), (new, model_again), _ = calls
    assert model == model_again == str(folder) and os.path.dirname(new) == str(tmp_path)
    # set aside beside it (one file system: a rename), under a name .gitignore knows
    assert os.path.dirname(aside) == str(tmp_path) and os.path.basename(aside).startswith(".fazhi-old-")
    assert snapshot(tmp_path) == before


def test_a_leftover_that_cannot_be_removed_does_not_fail_the_write(tmp_path, monkeypatch):
    """Removing the old folder after the swap, or the new one after an error, may fail
    (a file held open elsewhere): the swap stands, and the error that stopped a write is
    the one raised."""
    folder = tmp_path / "model"
    folder.mkdir()

    def stuck(path, ignore_errors=False):
        if not ignore_errors:
            raise PermissionError(errno.EACCES, "in use", path)

    monkeypatch.setattr(atomic.shutil, "rmtree", stuck)
    with atomic_dir(str(folder)) as tmp:
        with open(os.path.join(tmp, "new"), "wb") as f:
            f.write(b"new")
    assert (folder / "new").read_bytes() == b"new"
    with pytest.raises(ValueError, match="the block's own error"):
        with atomic_dir(str(folder)):
            raise ValueError("the block's own error")


# --- checks before anything runs --------------------------------------------------------


def refused(check, *args, **kw) -> str:
    with pytest.raises(FazhiError) as e:
        check(*args, **kw)
    return str(e.value)


def test_an_output_file_is_checked_before_anything_runs(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("x", encoding="utf-8")
    for stdout in (None, "-"):
        check_output_file(stdout, [str(source)])  # standard output: nothing to check
    check_output_file(str(tmp_path / "out.csv"), [str(source), "-", str(tmp_path / "gone.csv")])
    assert refused(check_output_file, str(tmp_path), []) == f"{tmp_path}: is a folder: name a file to write"
    same = f"{source}: is also an input: writing there would overwrite it; name another output"
    assert refused(check_output_file, str(source), ["-", str(source)]) == same
    link = tmp_path / "link.csv"
    link.symlink_to(source)
    assert refused(check_output_file, str(link), [str(source)]).endswith("is also an input: writing there would overwrite it; name another output")
    missing = tmp_path / "no" / "out.csv"
    assert refused(check_output_file, str(missing), []) == f"{missing}: no such folder: {tmp_path / 'no'}"
    assert [p.name for p in tmp_path.iterdir()] == ["in.csv", "link.csv"]  # the probe file is gone


def test_the_probe_cannot_write_where_mkstemp_fails(tmp_path, monkeypatch):
    """A folder without write permission (root may write anywhere, so the refusal is made here)."""
    def denied(**kw):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", denied)
    assert refused(check_output_file, str(tmp_path / "out.csv"), []) == f"{tmp_path / 'out.csv'}: cannot write here: Permission denied"
    monkeypatch.setattr(atomic.tempfile, "mkstemp", lambda **kw: (_ for _ in ()).throw(OSError("odd")))
    assert refused(check_output_file, str(tmp_path / "out.csv"), []) == f"{tmp_path / 'out.csv'}: cannot write here: odd"


def test_a_model_folder_is_checked_before_anything_runs(tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_text("x", encoding="utf-8")
    check_output_folder(str(tmp_path / "new"), [str(labels), "-"], marker="card.json")  # a new folder
    (tmp_path / "empty").mkdir()
    check_output_folder(str(tmp_path / "empty"), [], marker="card.json")  # an empty one
    assert refused(check_output_folder, str(labels), [], marker="card.json") == f"{labels}: is a file, not a model folder"
    inside = tmp_path / "m"
    inside.mkdir()
    (inside / "mine.csv").write_text("x", encoding="utf-8")
    assert refused(check_output_folder, str(inside), [str(inside / "mine.csv")], marker="card.json") == (
        f"{inside}: holds the input {inside / 'mine.csv'}: writing the model there would remove it; name another folder"
    )
    assert refused(check_output_folder, str(inside), [], marker="card.json") == (
        f"{inside}: is a folder but not a fazhi model folder (no card.json): name a new or empty folder"
    )
    (inside / "card.json").write_text("{}", encoding="utf-8")
    assert refused(check_output_folder, str(inside), [], marker="card.json") == f"{inside}: is a model folder already: give --force to replace it"
    check_output_folder(str(inside), [str(labels)], marker="card.json", force=True)
    assert refused(check_output_folder, str(tmp_path / "no" / "m"), [], marker="card.json") == f"{tmp_path / 'no' / 'm'}: no such folder: {tmp_path / 'no'}"
    # a folder whose name begins like the input's folder does not hold it
    (tmp_path / "m2").mkdir()
    check_output_folder(str(tmp_path / "m2"), [str(tmp_path / "m2x" / "a.csv")], marker="card.json")


def test_the_writability_probe_is_a_temp_file_in_the_output_folder(tmp_path, monkeypatch):
    """Made where the output goes, named as .gitignore knows temp files (a killed run may
    leave it), and removed."""
    made, real = [], atomic.tempfile.mkstemp

    def recording(**kw):
        fd, path = real(**kw)
        made.append(path)
        return fd, path

    monkeypatch.setattr(atomic.tempfile, "mkstemp", recording)
    check_output_file(str(tmp_path / "out.csv"))
    check_output_folder(str(tmp_path / "m"), marker="card.json")
    assert len(made) == 2 and all(os.path.dirname(p) == str(tmp_path) for p in made)
    assert all(re.fullmatch(r"\.fazhi-\w{8}\.tmp", os.path.basename(p)) for p in made), made
    assert list(tmp_path.iterdir()) == []


def test_standard_input_and_output_are_no_files(tmp_path, monkeypatch):
    """"-" names standard input or output, even beside a file called "-"."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-").write_text("x", encoding="utf-8")
    check_output_file(str(tmp_path / "-x.csv"), ["-"])
    check_output_file("./-", ["-"])  # the file called "-" is not standard input
    model = tmp_path / "m"
    model.mkdir()
    monkeypatch.chdir(model)
    (model / "-").write_text("x", encoding="utf-8")
    with pytest.raises(FazhiError, match="is a folder but not a fazhi model folder"):  # "-" read as stdin, not as m/-
        check_output_folder(str(model), ["-"], marker="card.json")
    monkeypatch.setattr(atomic.tempfile, "mkstemp", lambda **kw: (_ for _ in ()).throw(OSError("no file may be made")))
    check_output_file("-", [str(tmp_path / "-")])  # standard output: no folder to try
    check_output_file(None, [])


@pytest.mark.parametrize("mask", [0o022, 0o077])
def test_new_files_and_folders_follow_the_umask_and_replaced_ones_keep_theirs(tmp_path, mask):
    old = os.umask(mask)
    try:
        with atomic_open(str(tmp_path / "new.csv")) as f:
            f.write("x")
        with atomic_dir(str(tmp_path / "m")):
            pass
    finally:
        os.umask(old)
    assert (tmp_path / "new.csv").stat().st_mode & 0o7777 == 0o666 & ~mask
    assert (tmp_path / "m").stat().st_mode & 0o7777 == 0o777 & ~mask
    (tmp_path / "new.csv").chmod(0o640)
    (tmp_path / "m").chmod(0o750)
    with atomic_open(str(tmp_path / "new.csv")) as f:
        f.write("y")
    with atomic_dir(str(tmp_path / "m")):
        pass
    assert (tmp_path / "new.csv").stat().st_mode & 0o7777 == 0o640
    assert (tmp_path / "m").stat().st_mode & 0o7777 == 0o750


def test_a_temp_folder_that_cannot_be_made_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic.tempfile, "mkdtemp", lambda **kw: (_ for _ in ()).throw(PermissionError(errno.EACCES, "Permission denied")))
    with pytest.raises(FazhiError) as e:
        with atomic_dir(str(tmp_path / "m")):
            pass
    assert str(e.value) == f"{tmp_path / 'm'}: cannot write here: Permission denied"
    monkeypatch.setattr(atomic.tempfile, "mkstemp", lambda **kw: (_ for _ in ()).throw(PermissionError(errno.EACCES, "Permission denied")))
    with pytest.raises(FazhiError) as e:
        with atomic_open(str(tmp_path / "a.csv")):
            pass
    assert str(e.value) == f"{tmp_path / 'a.csv'}: cannot write here: Permission denied"


# --- the commands that write ------------------------------------------------------------


def test_classify_output_failing_partway_keeps_the_old_file(tmp_path, monkeypatch):
    from fazhi.output import predictions

    out = tmp_path / "out.csv"
    out.write_bytes(b"previous,output\r\n")
    real = predictions.write_csv

    def half_then_full(preds, f):
        real(preds[: len(preds) // 2], f)
        f.flush()
        raise FULL

    monkeypatch.setattr(predictions, "write_csv", half_then_full)
    result = invoke("classify", SEED, "-f", "csv", "-o", out)
    assert isinstance(result.exception, OSError), result.output
    assert out.read_bytes() == b"previous,output\r\n"
    assert temp_files(tmp_path) == []
    monkeypatch.setattr(predictions, "write_csv", real)  # and the same run without the fault writes it
    result = invoke("classify", SEED, "-f", "csv", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8-sig").startswith("doc_id,") and temp_files(tmp_path) == []


def tiny_labels(path) -> str:
    rows = "".join(
        f"第{i}项工作将加强。,plan\n第{i}项存在不足。,problem\n第{i}批办结{i + 3}件。,metric\n第{i}项建立制度。,achievement\n"
        for i in range(6)
    )
    path.write_text("text,label\n" + rows, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("fail_in", ["model", "card"])
def test_train_output_failing_partway_keeps_the_old_model(tmp_path, monkeypatch, fail_in):
    import joblib

    from fazhi.learning import store

    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "fazhi.joblib").write_bytes(bytes(range(256)) * 64)  # the old model, whatever it holds
    (folder / "card.json").write_text('{"model_sha256": "old"}\n', encoding="utf-8")
    before = snapshot(tmp_path)
    real_dump, real_json_dump = joblib.dump, store.json.dump

    def dump_half(value, path, **kw):
        real_dump(value, path, **kw)
        with open(path, "r+b") as f:
            f.truncate(os.path.getsize(path) // 2)
        raise FULL

    def card_half(card, f, **kw):
        f.write('{"labels": ')
        raise FULL

    if fail_in == "model":
        monkeypatch.setattr(joblib, "dump", dump_half)
    else:
        monkeypatch.setattr(store.json, "dump", card_half)
    result = invoke("train", tiny_labels(tmp_path / "tiny.csv"), "-o", folder, "--no-cv", "--no-search", "--force")
    assert isinstance(result.exception, OSError), result.output
    (tmp_path / "tiny.csv").unlink()
    assert snapshot(tmp_path) == before
    assert temp_files(tmp_path) == []


def test_label_answer_failing_partway_keeps_the_old_file(tmp_path, monkeypatch):
    from fazhi.labels.session import open_session

    path = tmp_path / "units.csv"
    path.write_bytes("doc_id,sent_id,section,text,label,note\r\na,0,,加强执法。,,\r\na,1,,存在不足。,,\r\n".encode("utf-8"))
    before = path.read_bytes()
    real = csv.DictWriter.writerows

    def first_row_then_full(self, rows):
        self.writerow(next(iter(rows)))
        raise FULL

    monkeypatch.setattr(csv.DictWriter, "writerows", first_row_then_full)
    session = open_session(str(path))
    with pytest.raises(OSError):
        session.answer("plan")
    assert path.read_bytes() == before and temp_files(tmp_path) == []
    assert session.rows[0]["label"] == ""  # not pretended in memory either
    # the command: the first key's save fails; the file is as it was
    result = invoke("label", path, input="4q\n")
    assert isinstance(result.exception, OSError), result.output
    assert path.read_bytes() == before and temp_files(tmp_path) == []
    monkeypatch.setattr(csv.DictWriter, "writerows", real)
    result = invoke("label", path, input="4q\n")
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before.replace("a,0,,加强执法。,,".encode(), "a,0,,加强执法。,plan,".encode())


def dump(db) -> list[str]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_corpus_add_failing_inside_a_report_keeps_the_database_as_it_was(tmp_path, monkeypatch):
    """The failure comes after the report's units are inserted, inside its transaction.
    Every row is as before and no journal or log is left beside the database (its header
    counts the run's journal-mode switches, so its bytes are not compared)."""
    from fazhi.corpus import store
    from fazhi.corpus.add import corpus_add

    db = tmp_path / "c.db"
    corpus_add([str(SEED)], db=str(db))
    before = dump(db)
    real = store._prediction_rows

    def full(*args):
        raise FULL

    monkeypatch.setattr(store, "_prediction_rows", full)
    with pytest.raises(OSError):
        corpus_add([str(ROOT / "seeds" / "nanling-2021.txt")], db=str(db))
    assert dump(db) == before and [p.name for p in tmp_path.iterdir()] == ["c.db"]
    monkeypatch.setattr(store, "_prediction_rows", real)
    assert corpus_add([str(ROOT / "seeds" / "nanling-2021.txt")], db=str(db)).added == 1
    assert len(dump(db)) > len(before)


def test_corpus_report_failing_partway_keeps_the_old_page(tmp_path, monkeypatch):
    from fazhi.corpus import page
    from fazhi.corpus.add import corpus_add

    db = tmp_path / "c.db"
    corpus_add([str(SEED)], db=str(db))
    out = tmp_path / "corpus.html"
    out.write_bytes(b"<p>the old page</p>")
    before = snapshot(tmp_path)
    real = page.render_corpus_html
    monkeypatch.setattr(page, "render_corpus_html", lambda data: real(data)[:500] + "\udcff")  # unencodable: fails mid-write
    result = invoke("corpus", "report", "--db", db, "-o", out)
    assert result.exit_code != 0
    assert snapshot(tmp_path) == before and temp_files(tmp_path) == []
    monkeypatch.setattr(page, "render_corpus_html", real)
    result = invoke("corpus", "report", "--db", db, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>") and temp_files(tmp_path) == []
