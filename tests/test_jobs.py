"""--jobs N: reports read and segmented in N processes give the same output as one."""
import os
import subprocess
import sys

from conftest import ROOT, SEEDS


def run_bytes(*args):
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "fazhi", *map(str, args)], capture_output=True, cwd=ROOT, env=env)


def test_load_reports_in_processes_keeps_order_and_errors(tmp_path):
    from fazhi.errors import FazhiError
    from fazhi.units.loading import load_reports

    missing = tmp_path / "nope.txt"
    sources = [str(SEEDS[2]), str(missing), str(ROOT / "seeds"), str(SEEDS[0])]
    one, two = load_reports(sources, jobs=1), load_reports(sources, jobs=2)
    assert [s for s, _ in two] == [s for s, _ in one]
    assert len(one) == 2 + len(SEEDS) + 1
    for (_, a), (_, b) in zip(one, two):
        if isinstance(a, FazhiError):
            assert isinstance(b, FazhiError) and (str(a), a.path) == (str(b), b.path)
        else:
            assert a == b


def test_classify_jobs_2_is_byte_identical(tmp_path):
    args = ("classify", *SEEDS, tmp_path / "nope.txt", SEEDS[1], "-f", "jsonl")
    one, two = run_bytes(*args, "--jobs", "1"), run_bytes(*args, "--jobs", "2")
    assert one.returncode == two.returncode == 1, one.stderr
    assert one.stdout and two.stdout == one.stdout
    assert two.stderr == one.stderr


def test_segment_jobs_2_is_byte_identical():
    one, two = run_bytes("segment", ROOT / "seeds", "-j", "1"), run_bytes("segment", ROOT / "seeds", "-j", "2")
    assert one.returncode == two.returncode == 0, one.stderr
    assert one.stdout and two.stdout == one.stdout
