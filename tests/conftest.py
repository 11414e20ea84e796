import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def shared_scope(fixture_name, config) -> str:
    """Computed once per session, except under mutation testing (bench/mutation.sh,
    MUTANT_UNDER_TEST set): there every test computes what it reads, so that each
    test is known to depend on the code that computed it."""
    return "function" if os.environ.get("MUTANT_UNDER_TEST") else "session"


@pytest.fixture(scope=shared_scope)
def seed_reports():
    from fazhi.units.report import load_report

    return {p.stem: load_report(str(p)) for p in SEEDS}


def in_ci() -> bool:
    """True on a CI runner (CI=true, as CI services and .ci/run set it)."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def require(found, what: str):
    """``found``, or: in CI the test fails (a missing tool must not pass unnoticed); on a
    developer's machine it is skipped, saying what to install."""
    if found:
        return found
    if in_ci():
        pytest.fail(f"{what} is missing, and CI runs every test", pytrace=False)
    pytest.skip(f"{what} is missing")


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


@pytest.fixture(scope="session")
def small_model(tmp_path_factory):
    """A model trained on the seeds without search or cross-validation: quick, same code path."""
    from fazhi.learning.train import train

    out = tmp_path_factory.mktemp("model") / "m"
    card = train([str(ROOT / "labels" / "seeds.csv")], str(out), seed=0, search=False, cv=False)
    return str(out), card


@pytest.fixture(scope="session")
def three_reports(tmp_path_factory):
    """Labels of three seed reports: enough for folds by report, quick to fit."""
    import csv

    rows = list(csv.DictReader(open(ROOT / "labels" / "seeds.csv", encoding="utf-8")))
    keep = {"changxingdao-2021", "dawukou-2021", "nanling-2021"}
    path = tmp_path_factory.mktemp("labels") / "three.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(r for r in rows if r["doc_id"] in keep)
    return str(path)
