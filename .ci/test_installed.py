"""Run by .ci/run from outside the clone, against fazhi installed with ``pip install .`` into a
fresh venv under a given scikit-learn release (the oldest and the newest pyproject.toml
allows): the shipped model inside the installed package loads with the probabilities its
card records, and classify works from any folder."""
import json
import os
import subprocess
import sys

import numpy as np


def test_scikit_learn_is_the_release_asked_for():
    import sklearn

    expected = os.environ.get("FAZHI_EXPECT_SKLEARN", "")
    assert expected, "FAZHI_EXPECT_SKLEARN names the release this venv should hold"
    assert sklearn.__version__ == expected


def test_the_installed_shipped_model_gives_the_probabilities_of_its_card():
    import fazhi
    from fazhi.learning.fingerprint import probe
    from fazhi.learning.store import load_model, shipped_model_dir

    package = os.path.dirname(fazhi.__file__)
    assert "site-packages" in package, package  # installed, not this clone
    assert shipped_model_dir() == os.path.join(package, "model")
    model, card = load_model()
    assert np.allclose(probe(model), card["probe"], atol=1e-6)


def test_classify_from_any_folder(tmp_path):
    from fazhi.learning.fingerprint import PROBE_REPORT
    from fazhi.learning.store import load_model
    from fazhi.vocab import LABELS

    (tmp_path / "probe.txt").write_text(PROBE_REPORT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "FAZHI_MODEL"}
    proc = subprocess.run(
        [sys.executable, "-m", "fazhi", "classify", "probe.txt", "-f", "jsonl"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert proc.returncode == 0, proc.stderr
    printed = [[row[f"p_{lab}"] for lab in LABELS] for row in map(json.loads, proc.stdout.splitlines())]
    model, card = load_model()
    classes = [str(c) for c in model.classes_]
    recorded = [[row[classes.index(lab)] for lab in LABELS] for row in card["probe"]]
    assert np.allclose(printed, recorded, atol=1e-4)
