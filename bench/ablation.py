"""Which context features earn their place: leave-one-report-out on the seed units,
normal and blind, with and without the written material in the training folds.
First the steps from the first model to the shipped one, then the shipped
configuration with one part added back or taken out. C is fixed at its default
unless --search (the nested search of `fazhi train`).

    python bench/ablation.py [--search] [--only NAME]

Every score is on real seed units only; written material is training-only.
"""
import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fazhi.labels.load import load_labels  # noqa: E402
from fazhi.learning.hyper import GRID  # noqa: E402
from fazhi.learning.train import cross_validate_labels  # noqa: E402

# the first model: section as context, no dropout, no decoding
BASE = {"use_section": True, "use_neighbours": False, "use_position": True, "use_year": False, "use_kind": False,
        "context_dropout": 0.0, "decode": False}
STEPS = [
    ("section only (first model)", {}),
    ("  without the section", {"use_section": False}),
    ("+ year, kind", {"use_year": True, "use_kind": True}),
    ("+ neighbours", {"use_year": True, "use_kind": True, "use_neighbours": True}),
    ("+ context dropout 0.3", {"use_year": True, "use_kind": True, "use_neighbours": True, "context_dropout": 0.3}),
    ("+ context dropout 0.5", {"use_year": True, "use_kind": True, "use_neighbours": True, "context_dropout": 0.5}),
    ("+ context dropout 0.7", {"use_year": True, "use_kind": True, "use_neighbours": True, "context_dropout": 0.7}),
    ("+ block decoding", {"use_year": True, "use_kind": True, "use_neighbours": True, "context_dropout": 0.7, "decode": True}),
]
# the shipped configuration (model.DEFAULTS) with one part added back or taken out
SHIPPED = [
    ("shipped (model.DEFAULTS)", {}),
    ("  + year", {"use_year": True}),
    ("  + neighbours", {"use_neighbours": True}),
    ("  + position", {"use_position": True}),
    ("  - kind", {"use_kind": False}),
    ("  - block decoding", {"decode": False}),
    ("  - context dropout", {"context_dropout": 0.0}),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--search", action="store_true", help="nested search of C (slower)")
    ap.add_argument("--only", help="run only configurations whose name contains this")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    seeds = load_labels([str(ROOT / "labels/seeds.csv")])
    both = load_labels([str(ROOT / "labels/seeds.csv"), str(ROOT / "labels/written.csv")])
    rows = []
    print(f"{'configuration':40} {'written':8} {'normal':>7} {'blind':>7} {'ECE':>6}  per-label F1 normal / blind (a m pr pl)")
    runs = [(name, {**BASE, **change}) for name, change in STEPS] + [(name, change) for name, change in SHIPPED]
    for name, hyper in runs:
        if args.only and args.only not in name:
            continue
        for label, data in (("no", seeds), ("yes", both)):
            t = time.time()
            res = cross_validate_labels(data, grid=GRID if args.search else {}, blind=True, jobs=args.jobs, hyper=hyper)
            f, b = res.systems["fazhi"], res.systems["blind"]
            pl = lambda s: " ".join(f"{s['per_label'][k]['f1']:.2f}" for k in ("achievement", "metric", "problem", "plan"))
            print(f"{name:40} {label:8} {f['macro_f1']:7.3f} {b['macro_f1']:7.3f} {f['ece']:6.3f}  {pl(f)} / {pl(b)}  ({time.time() - t:.0f}s)", flush=True)
            rows.append({"run": name, "written": label, "normal": f["macro_f1"], "blind": b["macro_f1"], "ece": f["ece"],
                         "per_label_normal": {k: v["f1"] for k, v in f["per_label"].items()},
                         "per_label_blind": {k: v["f1"] for k, v in b["per_label"].items()}})
    out = ROOT / "bench" / "ablation.json"
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
