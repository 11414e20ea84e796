"""fazhi's bench: quality against peers, throughput, cold start, training cost, imports.

    python bench/run.py [--units 20000] [--reps 5] [--rounds 3] [--no-readme]

Everything is measured side by side in one run and read as ratios to a floor measured
in the same run (the machine is shared and noisy). Prints the tables, rewrites the
results part of bench/README.md and writes bench/results.json.
"""
import argparse
import json
import math
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    BENCH, LABELS_CSV, PY, ROOT, SEEDS, child_env, fazhi_cmd, fmt_s, loadavg, log, machine, median, run_child, table,
)

COLD_REPORT = "seeds/wanghua-2021.txt"
FLOOR_IMPORT = "import sklearn, jieba; jieba.initialize()"
# what `fazhi classify` imported before the import fixes: pandas (through scikit-learn)
# and pkg_resources (through jieba)
BEFORE_IMPORTS = (
    "import warnings; warnings.simplefilter('ignore'); import pandas, pkg_resources, sys; "
    "from fazhi.cli import main; sys.argv = ['fazhi', 'classify', {report!r}, '-f', 'jsonl']; main()"
)
MODULES = r"""
import atexit, json, sys
out, argv = sys.argv[1], sys.argv[2:]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
if argv[0] == "import":
    __import__(argv[1])
else:
    sys.argv = ["fazhi", *argv]
    from fazhi.cli import main
    main()
"""
WATCH = ("fazhi.cli", "typer", "sklearn", "jieba", "pandas", "pkg_resources")
RESULTS_START, RESULTS_END = "<!-- results: start (written by bench/run.py) -->", "<!-- results: end -->"


# --- imports --------------------------------------------------------------------------------


def check_imports(work: str) -> list[dict]:
    """Which heavy modules each command loads, against what it must not load."""
    runs = [
        ("python -c 'import fazhi'", ["import", "fazhi"], ("fazhi.cli", "sklearn", "jieba", "pandas")),
        (f"fazhi segment {COLD_REPORT}", ["segment", COLD_REPORT], ("sklearn", "pandas")),
        (f"fazhi classify {COLD_REPORT} -f jsonl", ["classify", COLD_REPORT, "-f", "jsonl"], ("pandas", "pkg_resources")),
    ]
    out = []
    for label, argv, forbidden in runs:
        path = os.path.join(work, "modules.json")
        run = run_child([PY, "-c", MODULES, path, *argv])
        loaded = set(json.load(open(path))) if os.path.exists(path) else set()
        present = {m: m in loaded for m in WATCH}
        bad = [m for m in forbidden if present[m]]
        out.append({"command": label, "loaded": present, "must_not": list(forbidden), "ok": run.ok and not bad, "bad": bad})
    return out


# --- training -------------------------------------------------------------------------------


def replicate(src: Path, dst: str, times: int) -> int:
    """The labels CSV ``times`` over, each copy's reports under distinct doc_ids."""
    import csv

    with open(src, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(dst, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        for k in range(times):
            for r in rows:
                w.writerow({**r, "doc_id": f"{r['doc_id']}~{k:02d}"})
    return len(rows) * times


def shipped_card() -> dict:
    """The shipped model's card, with ``fresh``: its labels files are unchanged since."""
    from fazhi.learning.store import sha256_file

    try:
        card = json.load(open(ROOT / "model" / "card.json", encoding="utf-8"))
        files = card["data"]["files"]
        card["fresh"] = all((ROOT / f).exists() and sha256_file(str(ROOT / f)) == h for f, h in files.items())
        return card
    except (OSError, ValueError, KeyError):
        return {}


def shipped_files() -> list[str]:
    return list(shipped_card().get("data", {}).get("files", []))


def run_training(work: str, retrain_shipped: bool = False) -> dict:
    fz = fazhi_cmd()
    rel = os.path.relpath(LABELS_CSV, ROOT)
    rep = os.path.join(work, "seeds-x20.csv")
    replicate(LABELS_CSV, rep, 20)
    runs = [
        ("no_cv", f"fazhi train {rel} --no-cv", [*fz, "train", rel, "--no-cv", "-o", os.path.join(work, "m-nocv")]),
        ("no_cv_x20", f"fazhi train seeds-x20.csv --no-cv (20 copies, distinct doc_ids)", [*fz, "train", rep, "--no-cv", "-o", os.path.join(work, "m-x20")]),
        ("cv", f"fazhi train {rel} (with cross-validation)", [*fz, "train", rel, "-o", os.path.join(work, "m-cv")]),
    ]
    shipped = shipped_files()
    if retrain_shipped and shipped and shipped != [rel] and all((ROOT / f).exists() for f in shipped):
        runs.append(("shipped", f"fazhi train {' '.join(shipped)} (the shipped model's data, with cross-validation)",
                     [*fz, "train", *shipped, "-o", os.path.join(work, "m-shipped")]))
    out = {}
    for key, label, cmd in runs:
        log(f"training: {label} ...")
        r = run_child(cmd, timeout=1200)
        card = {}
        card_path = os.path.join(cmd[cmd.index("-o") + 1], "card.json")
        if r.ok and os.path.exists(card_path):
            card = json.load(open(card_path, encoding="utf-8"))
        out[key] = {
            "command": label, "wall_s": r.wall, "maxrss_mb": r.maxrss_mb, "ok": r.ok, "n_units": card.get("n_units"),
            "stderr": r.stderr.decode("utf-8", "replace")[-600:], "card": card,
        }
        log(f"  {fmt_s(r.wall)}, peak {r.maxrss_mb:.0f} MB{'' if r.ok else ' FAILED: ' + out[key]['stderr'][-300:]}")
    return out


# --- throughput -----------------------------------------------------------------------------


def make_corpus(work: str, target_units: int) -> tuple[str, int]:
    """The five seeds copied under distinct names until about ``target_units`` content units."""
    from fazhi.units.report import load_report

    per_copy = sum(len([u for u in load_report(str(p)).units if u.is_content]) for p in SEEDS)
    copies = max(1, math.ceil(target_units / per_copy))
    corpus = os.path.join(work, "corpus")
    os.makedirs(corpus, exist_ok=True)
    for k in range(copies):
        for p in SEEDS:
            shutil.copyfile(p, os.path.join(corpus, f"{p.stem}~{k:03d}.txt"))
    return corpus, copies


def run_throughput(work: str, units: int, rounds: int, ft_model: str | None) -> dict:
    corpus, copies = make_corpus(work, units)
    cmd = [PY, str(BENCH / "throughput.py"), corpus, str(rounds)] + ([ft_model] if ft_model else [])
    log(f"throughput: {copies} copies of the seeds, {rounds} rounds ...")
    r = run_child(cmd, capture=True, timeout=1800)
    if not r.ok:
        raise RuntimeError("throughput child failed: " + r.stderr.decode("utf-8", "replace")[-800:])
    res = json.loads(r.stdout.decode().strip().splitlines()[-1])
    res["copies"] = copies
    res["child_wall_s"] = r.wall
    return res


# --- cold start -----------------------------------------------------------------------------


def run_cold(work: str, reps: int) -> dict:
    fz = fazhi_cmd()
    classify = [*fz, "classify", COLD_REPORT, "-f", "jsonl"]
    cmds = {
        "floor": [PY, "-c", FLOOR_IMPORT],
        "fazhi": classify,
        "fazhi_before_imports": [PY, "-c", BEFORE_IMPORTS.format(report=COLD_REPORT)],
    }
    times = {k: [] for k in (*cmds, "fazhi_empty_cache_first", "fazhi_empty_cache_second")}
    failures = []

    def timed(name, cmd, env=None):
        r = run_child(cmd, env=env, timeout=300)
        if not r.ok:
            failures.append(f"{name}: exit {r.code}: {r.stderr.decode('utf-8', 'replace')[-300:]}")
        times[name].append(r.wall)

    def cache_pair():
        fresh = tempfile.mkdtemp(prefix="xdg-", dir=work)
        env = child_env(XDG_CACHE_HOME=fresh)
        timed("fazhi_empty_cache_first", classify, env)
        timed("fazhi_empty_cache_second", classify, env)
        times.setdefault("cache_file_written", []).append(os.path.exists(os.path.join(fresh, "fazhi", "jieba.cache")))

    for cmd in cmds.values():  # warm-up: OS file cache, jieba caches, .pyc files
        run_child(cmd, timeout=300)
    steps = [(lambda n=n, c=c: timed(n, c)) for n, c in cmds.items()] + [cache_pair]
    for rep in range(reps):
        log(f"cold start: repetition {rep + 1}/{reps}")
        for step in steps[rep % len(steps):] + steps[: rep % len(steps)]:
            step()
    return {"times": times, "median_s": {k: median(v) for k, v in times.items() if k != "cache_file_written"}, "failures": failures,
            "commands": {"floor": f"python -c '{FLOOR_IMPORT}'", "fazhi": f"fazhi classify {COLD_REPORT} -f jsonl"}}


# --- report ---------------------------------------------------------------------------------

def render(res: dict) -> str:
    from fazhi.vocab import LABELS

    m = res["machine"]
    parts = [
        f"Measured {m['date']} with `{res['command']}` ({res['wall_min']:.1f} min; load average "
        f"{res['load_start']} at the start, {res['load_end']} at the end).",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']} GiB memory, {m['os']}; Python {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v != "-")
        + f"; fazhi at git {m['git']}.",
    ]
    q = res.get("quality")
    if q:
        from quality_tables import render_loro, render_shapes

        if q.get("shapes"):
            parts += render_shapes(q["shapes"], LABELS)
        if q.get("loro"):
            parts += render_loro({**q["loro"], "shipped_source": q.get("shipped_source")}, LABELS)
    t = res.get("throughput")
    if t:
        floor = t["median_s"]["floor"]
        u = t["units"]
        parts += ["", f"### Throughput: {u} units ({t['copies']} copies of the five seeds, {t['distinct_unit_texts']} distinct unit texts), "
                  f"median of {len(t['times']['floor'])} rounds", ""]
        rows = [["jieba.lcut of the same text (floor)", f"{u / floor:,.0f}", fmt_s(floor), "1.00"]]
        labels = {
            "fazhi": "fazhi: read → clean → segment → features → predict",
            "fazhi_no_cache": "the same, fazhi's per-text jieba cache off (no sentence repeats)",
            "fasttext": "fastText: jieba words + predict (same units)",
            "fasttext_predict_only": "fastText: predict only (words given)",
        }
        for key, label in labels.items():
            if key in t["median_s"]:
                s = t["median_s"][key]
                rows.append([label, f"{u / s:,.0f}", fmt_s(s), f"{floor / s:.2f}"])
        parts.append(table(["path", "units/s", "time", "throughput ÷ floor"], rows))
        j1, j2 = t["median_s"].get("segment_jobs1"), t["median_s"].get("segment_jobs2")
        if j1 and j2:
            full = t["median_s"].get("fazhi_no_cache", t["median_s"]["fazhi"])
            c1, c2 = t["median_s"].get("cpu_1_process"), t["median_s"].get("cpu_2_processes")
            parts += ["", f"Read + clean + segment alone (`--jobs`): {fmt_s(j1)} with load_reports(jobs=1), {fmt_s(j2)} with jobs=2, "
                      f"a speed-up of {j1 / j2:.2f}x; the stage is {j1 / full:.0%} of fazhi's uncached full path."
                      + (f" Ceiling at the time: pure CPU work ran {c1 / c2:.2f}x faster in two processes than in one." if c1 and c2 else "")]
    c = res.get("cold")
    if c:
        med = c["median_s"]
        floor = med["floor"]
        n = len(c["times"]["floor"])
        parts += ["", f"### Cold start: one report ({COLD_REPORT}), median of {n} interleaved runs", ""]
        labels = {
            "floor": f"`python -c '{FLOOR_IMPORT}'` (floor)",
            "fazhi": f"`fazhi classify {COLD_REPORT} -f jsonl`",
            "fazhi_before_imports": "the same with pandas and pkg_resources imported (as before the import fixes)",
            "fazhi_empty_cache_first": "the same, empty cache folder: first run (builds jieba's cache)",
            "fazhi_empty_cache_second": "the same cache folder: second run (reuses it)",
        }
        rows = [[label, fmt_s(med[k]), fmt_s(min(c["times"][k])), f"{med[k] / floor:.2f}"] for k, label in labels.items() if k in med]
        parts.append(table(["command", "median", "fastest", "÷ floor"], rows))
        if c["failures"]:
            parts += ["", "Failures: " + "; ".join(c["failures"][:3])]
    tr = res.get("training")
    if tr:
        parts += ["", "### Training: wall time and peak memory of the child process", ""]
        rows = [[v["command"], v.get("n_units") or "-", fmt_s(v["wall_s"]) + ("" if v["ok"] else " (failed)"), f"{v['maxrss_mb']:.0f} MB"] for v in tr.values()]
        shapes = (q or {}).get("shapes")
        if shapes:
            n, fit = shapes["n_train"], shapes["fit_s"]
            rows.append(["fazhi with its search of C, on the shipped training data (in-process)", n, fmt_s(fit["fazhi"]), "-"])
            rows.append(["fastText, sentence alone, one fit with its chosen settings (in-process)", n, fmt_s(fit["fasttext"]), "-"])
            rows.append(["TF-IDF chars 1–3 + balanced LR, sentence alone, with its search of C (in-process)", n, fmt_s(fit["tfidf"]), "-"])
        parts.append(table(["run", "units", "wall", "peak RSS"], rows, "lrrr"))
        if tr.get("no_cv", {}).get("ok") and tr.get("no_cv_x20", {}).get("ok"):
            a, b = tr["no_cv"], tr["no_cv_x20"]
            parts += ["", f"20x the units: {b['wall_s'] / a['wall_s']:.1f}x the time, {b['maxrss_mb'] / a['maxrss_mb']:.2f}x the memory."]
    im = res.get("imports")
    if im:
        parts += ["", "### Imports: heavy modules loaded by each command", ""]
        rows = [[f"`{r['command']}`", *("yes" if r["loaded"][m] else "no" for m in WATCH),
                 "ok" if r["ok"] else "loads " + ", ".join(r["bad"])] for r in im]
        parts.append(table(["command", *WATCH, "verdict"], rows, "l" + "c" * len(WATCH) + "l"))
    return "\n".join(parts) + "\n"


def write_readme(text: str) -> None:
    path = BENCH / "README.md"
    old = path.read_text(encoding="utf-8") if path.exists() else f"# Bench\n\n{RESULTS_START}\n{RESULTS_END}\n"
    if RESULTS_START not in old:
        old += f"\n## Latest results\n\n{RESULTS_START}\n{RESULTS_END}\n"
    new = re.sub(re.escape(RESULTS_START) + ".*?" + re.escape(RESULTS_END),
                 lambda _: f"{RESULTS_START}\n{text}{RESULTS_END}", old, flags=re.S)
    path.write_text(new, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=20_000, help="units in the throughput batch (default 20000)")
    ap.add_argument("--reps", type=int, default=5, help="cold-start repetitions (default 5)")
    ap.add_argument("--rounds", type=int, default=3, help="throughput rounds (default 3)")
    ap.add_argument("--only", default="imports,training,quality,throughput,cold", help="comma-separated sections to run")
    ap.add_argument("--no-readme", action="store_true", help="print only; leave bench/README.md and results.json alone")
    ap.add_argument("--retrain-shipped", action="store_true",
                    help="also time `fazhi train` on the shipped model's labels files with cross-validation (about 4 more minutes) "
                         "instead of reading its scores from model/card.json")
    args = ap.parse_args()
    only = set(args.only.split(","))
    started = time.perf_counter()
    res = {"machine": machine(), "command": "python bench/run.py" + "".join(" " + a for a in sys.argv[1:]), "load_start": loadavg()}
    log(f"bench: {res['machine']['nproc']} CPUs, load {res['load_start']}")
    work = tempfile.mkdtemp(prefix="fazhi-bench-")
    try:
        if "imports" in only:
            log("imports ...")
            res["imports"] = check_imports(work)
        card = None
        if "training" in only:
            res["training"] = run_training(work, args.retrain_shipped)
            card = res["training"]["cv"]["card"] or None
        if "quality" in only:
            import quality

            log("quality: peers on the same folds ...")
            shipped = (res.get("training") or {}).get("shipped", {}).get("card")
            source = "the timed retraining of the shipped model's data"
            if not shipped:
                shipped = shipped_card()
                source = f"model/card.json of the shipped model (created {shipped.get('created', '?')}, not re-run" + (
                    ")" if shipped.get("fresh") else "; its labels files have changed since: stale)")
            res["quality"] = quality.run(card, work, shipped or None)
            res["quality"]["shipped_source"] = source
        if "throughput" in only:
            ft = ((res.get("quality") or {}).get("shapes") or {}).get("fasttext_model")
            res["throughput"] = run_throughput(work, args.units, args.rounds, ft)
        if "cold" in only:
            res["cold"] = run_cold(work, args.reps)
    finally:
        res["load_end"] = loadavg()
        res["wall_min"] = (time.perf_counter() - started) / 60
        shutil.rmtree(work, ignore_errors=True)
    text = render(res)
    print(text)
    if not args.no_readme:
        write_readme(text)
        for v in (res.get("training") or {}).values():
            v.pop("card", None)
        (BENCH / "results.json").write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
        log("bench/README.md and bench/results.json written")


if __name__ == "__main__":
    main()
