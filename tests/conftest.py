import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def seed_reports():
    from fazhi.units.report import load_report

    return {p.stem: load_report(str(p)) for p in SEEDS}


def run_cli(*args, input=None, cwd=None):
    """Run the real entry point; returns CompletedProcess with text stdout/stderr."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-m", "fazhi", *map(str, args)],
        input=input,
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
    )


def assert_clean_error(proc, *needles, code=2):
    """One line on stderr naming the problem, the expected exit code, no traceback."""
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("fazhi: error:"), proc.stderr
    for needle in needles:
        assert needle in proc.stderr, (needle, proc.stderr)


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory):
    """The written corpus material (labels/corpus/docs) added to a fresh database."""
    from fazhi.corpus.add import corpus_add

    db = str(tmp_path_factory.mktemp("corpus") / "corpus.db")
    result = corpus_add([str(ROOT / "labels" / "corpus" / "docs")], db=db)
    assert result.added == 18 and not result.errors
    return db
