"""Which mechanisms earn their place, judged on material nothing was fitted on.

Every configuration is trained on the seeds and all written material (labels/seeds.csv,
labels/written*.csv) and scored three ways:

- shapes-test (labels/shapes-test.csv, 26 written documents of every shape, never
  fitted on): macro-F1, ECE, and the worst report's share of units in one wrong bucket;
- contrast (labels/contrast.csv): one-sentence cases right alone, and under a contrary heading;
- the seeds, leave-one-report-out with the written material in every training fold,
  normal and blind (section and report context removed).

C is fixed at its default (no nested search) so that runs compare like with like.

    python bench/ablation.py [--only NAME] [--jobs 2]
"""
import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LABELS = ROOT / "labels"
TRAIN = [str(LABELS / "seeds.csv"), *sorted(str(p) for p in LABELS.glob("written*.csv"))]

# the shipped configuration (learning/hyper.py DEFAULTS) with one part taken out or added
RUNS = [
    ("shipped (DEFAULTS)", {}),
    ("  - cue words", {"use_cues": False}),
    ("  - sentence first", {"sentence_first": 1.0}),
    ("  - cue words, - sentence first", {"use_cues": False, "sentence_first": 1.0}),
    ("  - report kind", {"use_kind": False}),
    ("  - block decoding", {"decode": False}),
    ("  - context dropout", {"context_dropout": 0.0}),
    ("  - section", {"use_section": False}),
    ("  - figure facts", {"use_figures": False}),
    ("  + year", {"use_year": True}),
    ("  + neighbours", {"use_neighbours": True}),
    ("  + position", {"use_position": True}),
    ("  sentence first at 0.9", {"sentence_first": 0.9}),
    ("  context dropout 0.85", {"context_dropout": 0.85}),
    ("  context dropout 1.0 (never context)", {"context_dropout": 1.0}),
]


def run(name: str, hyper: dict) -> dict:
    import numpy as np

    from fazhi.labels.load import load_labels
    from fazhi.learning.diagnostics import contrast_scores
    from fazhi.learning.evaluate import fit, search_pipeline
    from fazhi.learning.train import cross_validate_labels, evaluate_model, training_data

    t = time.time()
    labeled = load_labels(TRAIN)
    X, y, groups = training_data(labeled)
    model = fit(search_pipeline(seed=0, grid={}, **hyper), X, y, groups)
    shapes = evaluate_model(model, [str(LABELS / "shapes-test.csv")])
    contrast = contrast_scores(model, str(LABELS / "contrast.csv"))
    cv = cross_validate_labels(labeled, grid={}, blind=True, hyper=hyper)
    f = shapes["fazhi"]
    return {
        "run": name, "hyper": hyper, "seconds": round(time.time() - t),
        "shapes_macro_f1": f["macro_f1"], "shapes_ece": f["ece"],
        "shapes_per_label": {k: v["f1"] for k, v in f["per_label"].items()},
        "shapes_worst_report": shapes["diagnostics"]["worst_report"],
        "contrast_alone": contrast["alone"], "contrast_contrary": contrast["contrary"],
        "seeds": cv.systems["fazhi"]["macro_f1"], "seeds_blind": cv.systems["blind"]["macro_f1"],
        "n_train": int(len(np.asarray(y))),
    }  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", help="run only configurations whose name contains this")
    ap.add_argument("--jobs", type=int, default=2, help="configurations run side by side")
    args = ap.parse_args()
    runs = [(n, h) for n, h in RUNS if not args.only or args.only in n]
    head = f"{'configuration':38} {'shapes':>7} {'ECE':>6} {'worst':>6} {'alone':>6} {'contra':>6} {'seeds':>6} {'blind':>6}"
    print(head, flush=True)
    rows = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for r in pool.map(run, *zip(*runs)):
            rows.append(r)
            print(
                f"{r['run']:38} {r['shapes_macro_f1']:7.3f} {r['shapes_ece']:6.3f} {r['shapes_worst_report']['share']:6.2f} "
                f"{r['contrast_alone']:6.3f} {r['contrast_contrary']:6.3f} {r['seeds']:6.3f} {r['seeds_blind']:6.3f}  ({r['seconds']}s)",
                flush=True,
            )
    if not args.only:
        out = ROOT / "bench" / "ablation.json"
        out.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
