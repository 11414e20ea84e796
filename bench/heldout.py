"""A model on the material it was never fitted on, recorded in its card.

- shapes-test (labels/shapes-test.csv): 26 written documents of every shape, written
  and labeled apart from the training material: macro-F1, F1 per label, ECE, the worst
  report, scores by kind;
- contrast (labels/contrast.csv): one-sentence cases, right alone and under a contrary heading.

    python bench/heldout.py [--model DIR] [--no-record]

The figures go into the model card under ``held_out`` (the card is rewritten
atomically; the model file and its sha256 are untouched).
"""
import argparse
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LABELS = ROOT / "labels"


def measure(model) -> dict:
    from fazhi.learning.diagnostics import contrast_scores
    from fazhi.learning.train import evaluate_model

    shapes = evaluate_model(model, [str(LABELS / "shapes-test.csv")], blind=True)
    contrast = contrast_scores(model, str(LABELS / "contrast.csv"))
    f = shapes["fazhi"]
    return {
        "measured": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "shapes_test": {
            "units": f["n"], "macro_f1": round(f["macro_f1"], 4), "accuracy": round(f["accuracy"], 4),
            "ece": round(f["ece"], 4), "per_label_f1": {k: round(v["f1"], 4) for k, v in f["per_label"].items()},
            "blind_macro_f1": round(shapes["blind"]["macro_f1"], 4),
            "keyword_rule_macro_f1": round(shapes["keyword_rule"]["macro_f1"], 4),
            "worst_report": shapes["diagnostics"]["worst_report"],
            "by_kind": shapes["diagnostics"]["slices"].get("kind", {}),
        },
        "contrast": {"cases": contrast["n"], "alone": contrast["alone"], "contrary": contrast["contrary"],
                     "wrong_alone": contrast["alone_wrong"], "wrong_contrary": contrast["contrary_wrong"]},
    }  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(ROOT / "model"))
    ap.add_argument("--no-record", action="store_true", help="print only; leave the card as it is")
    args = ap.parse_args()
    from fazhi.atomic import atomic_open
    from fazhi.learning.store import CARD_FILE, load_model

    model, card = load_model(args.model)
    figures = measure(model)
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    if not args.no_record:
        with atomic_open(str(Path(args.model) / CARD_FILE)) as f:
            json.dump({**card, "held_out": figures}, f, ensure_ascii=False, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
