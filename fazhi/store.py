"""Save and load a model directory: ``fazhi.joblib`` beside its ``card.json``.

Loading a joblib file runs code, so a model is loaded only when its sha256
matches its card and it was saved by this scikit-learn release.
"""
import hashlib
import json
import os
from pathlib import Path

from fazhi.errors import FazhiError

MODEL_FILE = "fazhi.joblib"
CARD_FILE = "card.json"
RETRAIN = "fazhi train labels/seeds.csv -o {dir}"


def default_model_dir() -> str:
    """$FAZHI_MODEL, else the ``model/`` folder shipped beside the package."""
    env = os.environ.get("FAZHI_MODEL")
    if env:
        return env
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "model", here / "model"):
        if (candidate / CARD_FILE).exists():
            return str(candidate)
    return str(here.parent / "model")


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# the modules whose code decides what a pickled model means
MODEL_CODE = ("context.py", "features.py", "decode.py", "model.py", "figures.py", "normalize.py")


def code_sha256() -> str:
    """One digest of the source of the modules a fitted model depends on."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in MODEL_CODE:
        h.update(name.encode() + b"\0" + (here / name).read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return h.hexdigest()


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
        "fazhi_model_code": code_sha256(),
    }


def save_model(pipeline, card: dict, model_dir: str) -> dict:
    """Write model and card into ``model_dir`` atomically; returns the card as written."""
    import joblib

    from fazhi.atomic import atomic_dir

    with atomic_dir(model_dir) as tmp:
        path = os.path.join(tmp, MODEL_FILE)
        joblib.dump(pipeline, path, compress=3)
        card = {**card, "model_sha256": sha256_file(path), "model_file": MODEL_FILE}
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
    if not isinstance(card, dict) or "model_sha256" not in card:
        raise FazhiError("model card has no model_sha256", card_path)
    return card


def load_model(model_dir: str | None = None):
    """The fitted pipeline of a model folder, checked against its card; returns (pipeline, card)."""
    import sklearn

    model_dir = model_dir or default_model_dir()
    card = read_card(model_dir)
    path = os.path.join(model_dir, card.get("model_file", MODEL_FILE))
    if not os.path.exists(path):
        raise FazhiError(f"model file missing (retrain: {card.get('retrain') or RETRAIN.format(dir=model_dir)})", path)
    if sha256_file(path) != card["model_sha256"]:
        raise FazhiError("model file does not match the sha256 in its card; refusing to load it", path)
    retrain = card.get("retrain") or RETRAIN.format(dir=model_dir)
    saved = card.get("versions", {}).get("scikit-learn")
    if saved != sklearn.__version__:
        raise FazhiError(
            f"model saved with scikit-learn {saved}, this is {sklearn.__version__}; "
            f"retrain it: {retrain}",
            path,
        )
    saved_code = card.get("versions", {}).get("fazhi_model_code")
    if saved_code != code_sha256():
        raise FazhiError(
            f"model saved by another version of fazhi's feature code; retrain it: {retrain}", path
        )
    import joblib

    try:
        pipeline = joblib.load(path)
    except Exception as e:  # a damaged file that still matches its card
        raise FazhiError(f"cannot load the model: {type(e).__name__}", path) from None
    return pipeline, card
