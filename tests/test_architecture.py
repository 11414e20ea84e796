"""The shape of the code: stages as subpackages, no import cycle, light output, small
modules, one vocabulary, and a model format that moves with what the features mean."""
import ast
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT

PACKAGE = ROOT / "fazhi"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """fazhi modules this one imports, at the top or inside functions."""
    names = {module_name(p) for p in MODULES}
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("fazhi"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in names else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("fazhi")}
    return {n for n in found if n in names} - {module_name(path)}


def test_import_graph_has_no_cycle():
    graph = {module_name(p): imports_of(p) for p in MODULES if p.name != "__init__.py" or p.parent != PACKAGE}
    state: dict[str, int] = {}

    def visit(node, trail):
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:  # on the current path: a cycle
                pytest.fail("import cycle: " + " -> ".join(trail[trail.index(nxt) :] + [nxt]))
            if nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [node])


def test_stages_are_subpackages():
    stages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert {"reading", "units", "learning", "labels", "output", "cli"} <= stages
    flat = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert flat <= {"vocab", "errors", "atomic", "imports"}, flat


def _imports_sklearn(code: str) -> bool:
    proc = subprocess.run([sys.executable, "-c", code + "\nimport sys; print('sklearn' in sys.modules)"],
                          capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()[-1] == "True"


def test_help_and_output_import_no_scikit_learn():
    assert not _imports_sklearn("import sys\nsys.argv = ['fazhi', '--help']\nfrom fazhi.cli import app\ntry:\n    app()\nexcept SystemExit:\n    pass")
    outputs = [module_name(p) for p in (PACKAGE / "output").glob("*.py")]
    assert not _imports_sklearn("\n".join(f"import {m}" for m in outputs))
    assert _imports_sklearn("import fazhi.learning.pipeline")  # the check can fail


def test_modules_and_functions_stay_small():
    long_modules = [f"{p.relative_to(ROOT)} {n}" for p in MODULES if (n := p.read_text(encoding="utf-8").count("\n")) > MAX_MODULE_LINES]
    long_functions = []
    for p in MODULES:
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= MAX_FUNCTION_LINES:
                long_functions.append(f"{p.relative_to(ROOT)}:{node.name}")
    assert not long_modules and not long_functions, long_modules + long_functions


def test_the_label_vocabulary_is_written_once():
    literal = re.compile(r"""["']achievement["'],\s*["']metric["'],\s*["']problem["'],\s*["']plan["']""")
    places = [str(p.relative_to(ROOT)) for p in MODULES if literal.search(p.read_text(encoding="utf-8"))]
    assert places == ["fazhi/vocab.py"], places


def test_public_api_names_resolve():
    import fazhi

    for name in fazhi.__all__:
        assert getattr(fazhi, name) is not None, name


# --- the model format -----------------------------------------------------------------


def test_feature_meaning_matches_the_declared_format():
    """A change to reading, segmenting or featurizing that changes what a model reads
    must bump FORMAT_VERSION (and set FORMAT_MEANING), then the model is retrained."""
    from fazhi.learning.fingerprint import meaning
    from fazhi.learning.store import FORMAT_MEANING, FORMAT_VERSION

    assert meaning() == FORMAT_MEANING, (
        f"what the features mean changed: bump FORMAT_VERSION (now {FORMAT_VERSION}), set FORMAT_MEANING "
        f"to {meaning()!r} and retrain the shipped model"
    )


def test_meaning_moves_with_a_feature_change(monkeypatch):
    from fazhi.learning import fingerprint
    from fazhi.units import outline

    before = fingerprint.meaning()
    monkeypatch.setattr(outline, "MAX_SHORT_HEADING", 5)  # what is_heading means
    assert fingerprint.meaning() != before


def test_shipped_model_matches_its_probe():
    from fazhi.learning.fingerprint import probe
    from fazhi.learning.store import load_model

    model, card = load_model(None)
    assert np.allclose(probe(model), card["probe"], atol=1e-6), "the shipped model is stale: retrain it"


def test_every_subpackage_is_installed():
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {module_name(p.parent / "__init__.py") for p in PACKAGE.rglob("__init__.py")}
    assert found <= listed, found - listed
