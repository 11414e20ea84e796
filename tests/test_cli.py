"""The command line itself: --version, usage errors on one line, flags shown as flags."""
import re

import pytest

from conftest import ROOT, assert_clean_error, run_cli

COMMANDS = ["classify", "summarize", "segment", "label", "train", "evaluate", "explain"]


def test_version():
    import importlib.metadata

    import fazhi

    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout == f"fazhi {fazhi.__version__}\n"
    assert importlib.metadata.version("fazhi") == fazhi.__version__  # one version, set in one place


@pytest.mark.parametrize(
    "args, needle, where",
    [
        (["classify", "--frmat", "csv", "x.txt"], "No such option: --frmat", "fazhi classify --help"),
        (["classifyy"], "No such command 'classifyy'", "fazhi --help"),
        (["train", "labels/seeds.csv"], "Missing option '-o'", "fazhi train --help"),
        (["classify", "x.txt", "--min-confidence", "3"], "--min-confidence", "fazhi classify --help"),
        (["evaluate", "--folds", "many"], "--folds", "fazhi evaluate --help"),
        (["segment"], "Missing argument", "fazhi segment --help"),
    ],
)
def test_usage_errors_are_one_line_with_a_hint(args, needle, where):
    proc = run_cli(*args)
    assert_clean_error(proc, needle, f"(see {where})")
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert proc.stdout == "" and "╭" not in proc.stderr and "Usage:" not in proc.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_flags_are_shown_as_flags(command):
    proc = run_cli(command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "<bool>" not in proc.stdout
    flags = {"evaluate": ["--blind-section", "--json"], "train": ["--force"], "explain": ["--json"]}.get(command, [])
    for flag in flags:
        line = next(line for line in proc.stdout.splitlines() if line.strip().startswith(flag))
        assert re.match(rf"\s*{flag}\s{{2,}}\S", line), line  # the flag, then its help: no value shown


def test_no_command_shows_the_help():
    proc = run_cli()
    assert proc.returncode == 2 and "Commands:" in proc.stdout and "classify" in proc.stdout


def test_the_default_model_missing_says_how_to_go_on(monkeypatch):
    """An installation without the shipped model points to reinstalling or --model, never to
    training into the installed package."""
    from fazhi.errors import FazhiError
    from fazhi.learning import store

    monkeypatch.delenv("FAZHI_MODEL", raising=False)
    monkeypatch.setattr(store, "shipped_model_dir", lambda: None)
    with pytest.raises(FazhiError, match="reinstall fazhi, or give --model DIR") as caught:
        store.load_model(None)
    assert "fazhi train" not in str(caught.value)
    monkeypatch.undo()  # and in a clone the shipped model is its model/
    assert store.shipped_model_dir() == str(ROOT / "model")


def test_classify_loads_no_pandas():
    """pandas is for the Excel writer only; scikit-learn would import it when it can."""
    import subprocess
    import sys

    code = (
        "import runpy, sys\n"
        f"sys.argv = ['fazhi', 'classify', {str(ROOT / 'seeds' / 'dawukou-2021.txt')!r}, '-f', 'jsonl']\n"
        "try:\n    runpy.run_module('fazhi', run_name='__main__')\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "print('pandas' in sys.modules, 'sklearn' in sys.modules, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[-1] == "False True"
