"""A user adapting fazhi to their own reports, simulated: which labeling order pays.

shapes-test (labels/shapes-test.csv: 26 documents of every shape, never fitted on by the
shipped model) plays the user's corpus. Its reports are split, by kind, into a labeling
pool (70% of each kind's reports, at least one held out) and held-out reports; several
random splits are averaged. For each order the user labels the first 0, 50, 100, 200 and
400 units of the pool the order asks about (every content unit counts, also those the
user answers ``skip``), a model is fitted on the base labels plus theirs, the user's
label winning where both label the same text under the same section (what ``fazhi
train --base`` does), and macro-F1 is scored on the held-out reports.

Orders (``fazhi.labels.order``, what ``fazhi label --order`` uses): random, uncertain
(margin), diverse (margin with diversity) and balanced (label-balanced uncertainty),
ranked once from the base model's guesses, as ``fazhi label`` does without
``--retrain-every``. Beside them:
random with the user's labels alone (no base). Zero labels is no adaptation: the base
model, the shipped model's configuration.

Scenarios: ``shipped`` (the base: every file of the shipped model) and ``seeds`` (a base
of the five seed reports only, further from shapes-test). C is fixed (no search), as in
bench/ablation.py.

    python bench/adapt.py [--splits 5] [--jobs 2] [--scenario shipped,seeds] [--no-write]
    python bench/adapt.py --loop      # a refit in the loop, and the keys meanwhile
    python bench/adapt.py --replot    # tables, winner and plot again from bench/adapt.json

Writes bench/adapt.json and bench/adapt.png (matplotlib, in the ``bench`` extra).
"""
import argparse
import json
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LABELS_DIR = ROOT / "labels"
SHAPES = str(LABELS_DIR / "shapes-test.csv")
BUDGETS = (0, 50, 100, 200, 400)
ORDERS = ("random", "uncertain", "diverse", "balanced")
ALONE = "random, yours alone"
POOL_SHARE = 0.7
SCENARIOS = {
    "shipped": "the base labels (fazhi/base: the seeds and all written material)",
    "seeds": "a base of the five seed reports only",
}

_cache: dict = {}


def base_files(scenario: str) -> list[str]:
    from fazhi.labels.base import base_paths

    return base_paths() if scenario == "shipped" else [str(LABELS_DIR / "seeds.csv")]


def corpus():
    """shapes-test once per process: its records (context from whole reports), labels, units."""
    if "corpus" not in _cache:
        import numpy as np

        from fazhi.labels.load import load_labels
        from fazhi.learning.records import records_by_report

        labeled = load_labels([SHAPES])
        records, index = records_by_report(labeled.units)
        units = [labeled.units[i] for i in index]
        labels = np.asarray([labeled.labels[i] for i in index])
        kinds = {u.doc_id: labeled.extra[i].get("kind", "") for i, u in enumerate(labeled.units)}
        _cache["corpus"] = (records, labels, units, kinds)
    return _cache["corpus"]


def base_data(scenario: str):
    """(records, labels, groups, keys) of the base's trainable units, once per process."""
    if scenario not in _cache:
        from fazhi.labels.base import unit_key
        from fazhi.labels.load import load_labels
        from fazhi.learning.train import trainable_index, training_data

        labeled = load_labels(base_files(scenario))
        X, y, groups = training_data(labeled)
        keys = [unit_key(labeled.units[i]) for i in trainable_index(labeled)]
        _cache[scenario] = (X, y, groups, keys)
    return _cache[scenario]


def splits(n: int) -> list[tuple[list[str], list[str]]]:
    """(pool reports, held-out reports) per seed: by kind, 70% of each kind's reports to the pool."""
    _, _, units, kinds = corpus()
    docs = sorted({u.doc_id for u in units})
    out = []
    for seed in range(n):
        rng = random.Random(seed)
        pool = []
        for kind in sorted(set(kinds[d] for d in docs)):
            same = sorted(d for d in docs if kinds[d] == kind)
            rng.shuffle(same)
            pool += same[: min(len(same) - 1, max(1, round(POOL_SHARE * len(same))))]
        out.append((sorted(pool), [d for d in docs if d not in pool]))
    return out


def fit_on(scenario: str | None, picked: list[int]):
    """A model fitted on the base (None: no base) plus the picked shapes-test units, and its fit time."""
    import numpy as np

    from fazhi.labels.base import unit_key
    from fazhi.learning.evaluate import fit, search_pipeline
    from fazhi.vocab import LABELS

    if not picked and ("base model", scenario) in _cache:
        return _cache[("base model", scenario)], 0.0
    records, labels, units, _ = corpus()
    mine = [i for i in picked if labels[i] in LABELS]
    X, y, g = [records[i] for i in mine], labels[mine], np.asarray([units[i].doc_id for i in mine])
    if scenario:
        bX, by, bg, keys = base_data(scenario)
        theirs = {unit_key(units[i]) for i in picked}  # a skip answer overrides too
        keep = [j for j, k in enumerate(keys) if k not in theirs]
        X, y, g = X + [bX[j] for j in keep], np.concatenate([y, by[keep]]), np.concatenate([g, bg[keep]])
    t = time.perf_counter()
    model = fit(search_pipeline(seed=0, grid={}), X, y, g)
    if not picked:
        _cache[("base model", scenario)] = model
    return model, time.perf_counter() - t


def score(model, rows: list[int]) -> dict:
    from fazhi.learning.scores import scores
    from fazhi.vocab import LABELS

    records, labels, _, _ = corpus()
    rows = [i for i in rows if labels[i] in LABELS]
    s = scores(labels[rows], model.predict_proba([records[i] for i in rows]), [str(c) for c in model.classes_])
    return {"macro_f1": s["macro_f1"], "per_label": {k: v["f1"] for k, v in s["per_label"].items()}}


def candidates(model, rows: list[int]):
    from fazhi.labels.order import Candidate
    from fazhi.units.normalize import fold

    records, _, units, _ = corpus()
    proba = model.predict_proba([records[i] for i in rows]) if model is not None else None
    classes = [str(c) for c in model.classes_] if model is not None else []
    return [
        Candidate(key=i, doc_id=units[i].doc_id, section=fold(units[i].section), text=units[i].norm,
                  probabilities=dict(zip(classes, map(float, p))) if proba is not None else None)
        for i, p in zip(rows, proba if proba is not None else [None] * len(rows))
    ]  # fmt: skip


def chain(scenario: str, split: int, order: str, pool_docs: list[str], test_docs: list[str]) -> dict:
    """One order on one split: labels 50, 100, 200, 400 in turn, scored after each step."""
    from fazhi.labels.order import rank

    records, labels, units, _ = corpus()
    pool = [i for i, u in enumerate(units) if u.doc_id in pool_docs]
    test = [i for i, u in enumerate(units) if u.doc_id in test_docs]
    alone = order == ALONE
    model = None if alone else fit_on(scenario, [])[0]
    ranked = rank("random" if alone else order, candidates(model, pool), seed=split)
    picked, out = [], {"scenario": scenario, "split": split, "order": order, "pool_units": len(pool), "steps": []}
    for budget in BUDGETS[1:]:
        picked = ranked[: min(budget, len(pool))]
        model, seconds = fit_on(None if alone else scenario, picked)
        out["steps"].append({"labels": len(picked), "budget": budget, "seconds": seconds, **score(model, test)})
    return out


def no_adaptation(scenario: str, split_list) -> dict:
    model, seconds = fit_on(scenario, [])
    _, _, units, _ = corpus()
    per = [score(model, [i for i, u in enumerate(units) if u.doc_id in test])["macro_f1"] for _, test in split_list]
    return {"scenario": scenario, "seconds": seconds, "per_split": per}


def mean(xs):
    return sum(xs) / len(xs) if xs else float("nan")


def table(scenario: str, chains: list[dict], zero: dict) -> tuple[str, dict]:
    names = [o for o in ORDERS + (ALONE,) if any(c["order"] == o for c in chains)]
    curve = {o: {0: (mean(zero["per_split"]) if o != ALONE else None)} for o in names}
    for o in names:
        for budget in BUDGETS[1:]:
            vals = [s["macro_f1"] for c in chains if c["order"] == o for s in c["steps"] if s["budget"] == budget]
            curve[o][budget] = mean(vals)
    lines = [f"{'labels':>7} " + " ".join(f"{o:>20}" for o in names)]
    for budget in BUDGETS:
        lines.append(f"{budget:>7} " + " ".join(f"{curve[o][budget]:20.3f}" if curve[o][budget] is not None else f"{'-':>20}" for o in names))
    return "\n".join(lines), curve


def winner(curves: dict) -> tuple[str, dict]:
    """The order with the best mean macro-F1 at 50, 100 and 200 labels, over the scenarios:
    the first 200 labels are the ones a user gives first."""
    means = {o: mean([curves[s][o][b] for s in curves for b in (50, 100, 200)]) for o in ORDERS}
    return max(means, key=means.get), means


def plot(curves: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(curves), figsize=(6 * len(curves), 4.2), squeeze=False)
    for ax, (scenario, curve) in zip(axes[0], curves.items()):
        for order, points in curve.items():
            xs = [b for b in BUDGETS if points[b] is not None]
            ax.plot(xs, [points[b] for b in xs], marker="o", label=order, linestyle="--" if order == ALONE else "-")
        ax.axhline(curve["random"][0], color="grey", linewidth=0.8, linestyle=":", label="no adaptation")
        ax.set_title(f"base: {scenario}")
        ax.set_xlabel("units labeled from the pool")
        ax.set_ylabel("macro-F1 on held-out reports")
        ax.set_xticks(BUDGETS)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def loop(labels: int = 400, keys: int = 80, every: int = 25) -> dict:
    """The labeler with a refit in the loop, on shapes-test with ``labels`` units labeled:
    how long a refit takes (base + labels), and how long each key takes to handle while a
    refit runs in the background and while none does."""
    import csv
    import io
    import statistics
    import tempfile

    from rich.console import Console

    from fazhi.labels.retrain import Retrainer, refit_job
    from fazhi.labels.session import open_session, run
    from fazhi.output.labeling import render

    with open(SHAPES, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows, columns = list(reader), reader.fieldnames
    seen = 0
    for row in random.Random(0).sample(rows, len(rows)):
        if row["label"] != "skip" and seen < labels:
            seen += 1
        else:
            row["label"] = ""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "mine.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        refit_job(path, "diverse")  # the base read once, jieba's dictionary loaded
        refits = []
        for _ in range(3):
            t = time.perf_counter()
            refit_job(path, "diverse")
            refits.append(time.perf_counter() - t)
        session = open_session(path, None, "file")
        retrainer = Retrainer(every, lambda path, order: refit_job(path, "diverse"))
        screen = Console(file=io.StringIO(), width=100)
        timing, last = {"refitting": [], "idle": []}, [None]

        def read_key():
            if last[0] is not None:
                timing["refitting" if retrainer.running else "idle"].append(time.perf_counter() - last[0])
            if len(timing["refitting"]) + len(timing["idle"]) >= keys:
                return None
            time.sleep(0.2)  # a person reads the unit
            last[0] = time.perf_counter()
            return "1"

        run(session, read_key, lambda view, msg: render(screen, view, msg), retrainer=retrainer)
        retrainer.wait()
    ms = lambda xs: {"n": len(xs), "median_ms": round(1000 * statistics.median(xs), 1), "max_ms": round(1000 * max(xs), 1)} if xs else {}  # noqa: E731
    return {"labels": seen, "refit_seconds": [round(x, 2) for x in refits], "every": every, "keys": {k: ms(v) for k, v in timing.items()}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--splits", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--scenario", default="shipped,seeds")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--loop", action="store_true", help="only measure the refit in the loop and the key loop meanwhile")
    ap.add_argument("--replot", action="store_true", help="tables, winner and plot again from bench/adapt.json")
    args = ap.parse_args()
    if args.loop:
        return measure_loop(args)
    if args.replot:
        return replot()
    started = time.time()
    scenarios = args.scenario.split(",")
    split_list = splits(args.splits)
    for k, (pool, test) in enumerate(split_list):
        print(f"split {k}: pool {len(pool)} reports, held out {len(test)}: {', '.join(test)}", flush=True)
    tasks = [(s, k, o, pool, test) for s in scenarios for o in ORDERS + (ALONE,) for k, (pool, test) in enumerate(split_list)]
    tasks = [t for t in tasks if not (t[2] == ALONE and t[0] != scenarios[0])]
    with ProcessPoolExecutor(max_workers=args.jobs) as workers:
        zeros = {s: workers.submit(no_adaptation, s, split_list) for s in scenarios}
        results = list(workers.map(chain, *zip(*tasks)))
        zeros = {s: f.result() for s, f in zeros.items()}
    report(args, scenarios, split_list, results, zeros, time.time() - started)


def report(args, scenarios, split_list, results, zeros, elapsed) -> None:
    pools = sorted({r["pool_units"] for r in results})
    print(f"\npool sizes (content units, every split): {pools}" + (" — fewer than 400: the 400 step labels the whole pool" if min(pools) < 400 else ""))
    curves, out = {}, {"measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "splits": args.splits,
                       "held_out": [t for _, t in split_list], "pool_units": pools, "scenarios": {}}  # fmt: skip
    for s in scenarios:
        chains = [r for r in results if r["scenario"] == s or (r["order"] == ALONE and s == scenarios[0])]
        text, curve = table(s, chains, zeros[s])
        curves[s] = curve
        fits = [st["seconds"] for c in chains if c["order"] != ALONE for st in c["steps"] if st["budget"] == 400]
        print(f"\nbase: {s} ({SCENARIOS[s]}); macro-F1 on held-out reports, mean of {args.splits} splits; 0 labels = no adaptation")
        print(text)
        print(f"fit on the base + 400 labels: median {sorted(fits)[len(fits) // 2]:.1f} s (no adaptation: {mean(zeros[s]['per_split']):.3f})")
        out["scenarios"][s] = {"base": SCENARIOS[s], "no_adaptation": zeros[s], "curve": curve, "chains": chains,
                               "fit_seconds_400": sorted(fits)}  # fmt: skip
    out["winner"], means = winner(curves)
    print("\norders by mean macro-F1 at 50, 100 and 200 labels over the scenarios: "
          + ", ".join(f"{o} {m:.3f}" for o, m in sorted(means.items(), key=lambda kv: -kv[1])) + f"; winner: {out['winner']}")
    print(f"{elapsed / 60:.1f} min on {os.cpu_count()} CPUs, --jobs {args.jobs}")
    out["minutes"] = round(elapsed / 60, 1)
    if not args.no_write:
        name = "adapt"
        (ROOT / "bench" / f"{name}.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        plot(curves, ROOT / "bench" / f"{name}.png")


def measure_loop(args) -> None:
    figures = loop()
    k = figures["keys"]
    print(f"refit on the base + {figures['labels']} labels (fit, guesses, order): {', '.join(f'{x:.1f}' for x in figures['refit_seconds'])} s")
    print(f"keys handled while a refit ran: median {k['refitting'].get('median_ms')} ms, max {k['refitting'].get('max_ms')} ms "
          f"({k['refitting'].get('n', 0)} keys); with none running: median {k['idle'].get('median_ms')} ms, max {k['idle'].get('max_ms')} ms")
    if not args.no_write:
        path = ROOT / "bench" / "adapt.json"
        out = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        out["loop"] = {"measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), **figures}
        path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def replot() -> None:
    path = ROOT / "bench" / "adapt.json"
    out = json.loads(path.read_text(encoding="utf-8"))
    curves = {s: {o: {int(b): v for b, v in points.items()} for o, points in d["curve"].items()} for s, d in out["scenarios"].items()}
    for s, curve in curves.items():
        print(f"\nbase: {s}")
        names = list(curve)
        print(f"{'labels':>7} " + " ".join(f"{o:>20}" for o in names))
        for b in BUDGETS:
            print(f"{b:>7} " + " ".join(f"{curve[o][b]:20.3f}" if curve[o][b] is not None else f"{'-':>20}" for o in names))
    out["winner"], means = winner(curves)
    print("\nmean at 50, 100, 200 labels: " + ", ".join(f"{o} {m:.3f}" for o, m in means.items()) + f"; winner: {out['winner']}")
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    plot(curves, ROOT / "bench" / "adapt.png")


if __name__ == "__main__":
    main()
