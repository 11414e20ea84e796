"""Save and load a model directory: ``fazhi.joblib`` beside its ``card.json``.

The model file holds the fitted parameters as plain arrays and JSON
(``fazhi.learning.params``), written with joblib; the Pipeline is rebuilt from them
at load, so a model loads the same under every scikit-learn release fazhi allows.
A model is loaded only when its sha256 matches its card and its format version is
this code's: ``FORMAT_VERSION`` names the file's layout and what the features mean,
and goes up whenever a change to reading, segmenting or featurizing would make an
old model read its inputs differently (a test holds it to that).
"""
import hashlib
import json
import os
from pathlib import Path

from fazhi.errors import FazhiError

MODEL_FILE = "fazhi.joblib"
CARD_FILE = "card.json"
RETRAIN = "fazhi train LABELS.csv -o {dir}"
# 1: pickled dict records; 2: a pickled scikit-learn Pipeline; 3: plain arrays and JSON
FORMAT_VERSION = 3
# fazhi.learning.fingerprint.meaning() under this format; a test fails when they part
FORMAT_MEANING = "dc6fdbe78d35f13c1706ac577965af17620c1becbdf83e3dee8b9796d2b31070"


def shipped_model_dir() -> str | None:
    """The shipped model: inside the installed package (a wheel carries it as
    ``fazhi/model``), else ``model/`` beside the package in a clone; None when missing."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "model", package.parent / "model"):
        if (candidate / CARD_FILE).exists():
            return str(candidate)
    return None


def default_model_dir() -> str:
    """$FAZHI_MODEL, else the shipped model."""
    env = os.environ.get("FAZHI_MODEL")
    if env:
        return env
    found = shipped_model_dir()
    if found is None:
        raise FazhiError("the shipped model is missing from this installation: reinstall fazhi, or give --model DIR")
    return found


def sha256_file(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def versions() -> dict:
    import platform

    import jieba
    import joblib
    import numpy
    import scipy
    import sklearn

    from fazhi import __version__

    return {
        "fazhi": __version__,
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "joblib": joblib.__version__,
        "jieba": jieba.__version__,
    }


def save_model(pipeline, card: dict, model_dir: str) -> dict:
    """Write model and card into ``model_dir`` atomically; returns the card as written."""
    import joblib

    from fazhi.atomic import atomic_dir

    from fazhi.learning.fingerprint import probe

    from fazhi.learning.params import export

    data = export(pipeline, format_version=FORMAT_VERSION)
    card = {**card, "probe": probe(pipeline)}
    with atomic_dir(model_dir) as tmp:
        path = os.path.join(tmp, MODEL_FILE)
        joblib.dump(data, path, compress=3)
        card = {**card, "format": FORMAT_VERSION, "model_sha256": sha256_file(path), "model_file": MODEL_FILE}
        with open(os.path.join(tmp, CARD_FILE), "w", encoding="utf-8") as f:
            json.dump(card, f, ensure_ascii=False, indent=2)
            f.write("\n")
    return card


def read_card(model_dir: str) -> dict:
    card_path = os.path.join(model_dir, CARD_FILE)
    if not os.path.isdir(model_dir):
        raise FazhiError(f"no model folder (train one: {RETRAIN.format(dir=model_dir)})", model_dir)
    if not os.path.exists(card_path):
        raise FazhiError(f"no {CARD_FILE}: not a fazhi model folder (train one: {RETRAIN.format(dir=model_dir)})", model_dir)
    try:
        with open(card_path, encoding="utf-8") as f:
            card = json.load(f)
    except (ValueError, UnicodeDecodeError) as e:
        raise FazhiError(f"model card is not valid JSON: {e}", card_path) from None
    if not isinstance(card, dict) or not card.get("model_sha256"):
        raise FazhiError("model card has no model_sha256: refusing to load an unchecked model", card_path)
    return card


def retrain_command(card: dict, model_dir: str) -> str:
    """The command that retrains a model folder in place (its card's, else a template)."""
    command = card.get("retrain") or RETRAIN.format(dir=model_dir)
    return command if "--force" in command.split() else command + " --force"


def load_model(model_dir: str | None = None):
    """The fitted pipeline of a model folder, checked against its card; returns (pipeline, card)."""
    model_dir = model_dir or default_model_dir()
    card = read_card(model_dir)
    path = os.path.join(model_dir, card.get("model_file", MODEL_FILE))
    retrain = retrain_command(card, model_dir)
    if not os.path.exists(path):
        raise FazhiError(f"model file missing (retrain: {retrain})", path)
    if sha256_file(path) != card["model_sha256"]:
        raise FazhiError("model file does not match the sha256 in its card; refusing to load it", path)
    if card.get("format") != FORMAT_VERSION:
        raise FazhiError(f"model of format {card.get('format', 1)}, this fazhi reads format {FORMAT_VERSION}; retrain it: {retrain}", path)
    import joblib

    from fazhi.learning.params import rebuild

    try:
        data = joblib.load(path)
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
            raise ValueError  # shown as its type, like any other damage
        pipeline = rebuild(data)
    except FazhiError:
        raise
    except Exception as e:  # a damaged file that still matches its card
        raise FazhiError(f"cannot load the model: {type(e).__name__}", path) from None
    return pipeline, card
