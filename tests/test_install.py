"""The wheel carries the shipped model: built, installed into a fresh venv, it classifies from
any folder. (It installs the dependencies from the package index: about a minute.)
.ci/run does the same with ``pip install .`` under the oldest scikit-learn allowed."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, run_cli

SEED = ROOT / "seeds" / "dawukou-2021.txt"


def run(*args, cwd=None, env=None):
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env)
    assert proc.returncode == 0, (args, proc.stdout[-2000:], proc.stderr[-2000:])
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with fazhi installed from a wheel built from a copy of this clone."""
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("fazhi", "model"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp / "dist", src)
    (wheel,) = (tmp / "dist").glob("fazhi-*.whl")
    venv = tmp / "venv"
    run(sys.executable, "-m", "venv", venv)
    run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel)
    return venv, wheel


def test_the_wheel_holds_the_shipped_model(installed):
    import zipfile

    _, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"fazhi/model/card.json", "fazhi/model/fazhi.joblib"} <= names


def test_an_installed_wheel_classifies_from_any_folder(installed, tmp_path):
    venv, _ = installed
    env = {k: v for k, v in os.environ.items() if k not in ("FAZHI_MODEL", "PYTHONPATH")}
    env.update(PYTHONIOENCODING="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(SEED, elsewhere / SEED.name)
    proc = run(venv / "bin" / "fazhi", "classify", SEED.name, "-f", "jsonl", cwd=elsewhere, env=env)
    here = run_cli("classify", SEED, "-f", "jsonl")
    assert proc.stdout and proc.stdout == here.stdout  # the same shipped model, from inside the package
    where = run(venv / "bin" / "python", "-c", "from fazhi.learning.store import default_model_dir; print(default_model_dir())", cwd=elsewhere, env=env)
    assert where.stdout.strip().startswith(str(venv)) and where.stdout.strip().endswith(os.path.join("fazhi", "model"))
