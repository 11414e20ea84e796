"""Throughput child (run by run.py in a fresh process): units per second on a large batch.

    python bench/throughput.py CORPUS_DIR ROUNDS [FASTTEXT_MODEL]

Prints one JSON object. Everything is loaded and warmed first (model, jieba's
dictionary); then each round times, in turn:

- floor: read each file and jieba.lcut its whole text;
- fazhi: read, clean, segment (load_report), then classify the batch with the shipped
  model; fazhi's cache of jieba words is emptied first, as in a fresh process;
- fazhi, no word cache: the same with fazhi's per-text cache of jieba words switched
  off, as on a corpus where no sentence repeats;
- the read + clean + segment stage alone, with load_reports(jobs=1) and (jobs=2);
- pure CPU work twice, in one process and in two: what a second process can gain now;
- fastText: jieba words of the same units, then its prediction (and prediction alone).
"""
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def burn(n: int) -> int:
    """Pure CPU work: two of these in two processes show how much a second process can gain now."""
    s = 0
    for i in range(n):
        s += i * i
    return s


def cpu_pair(processes: int, n: int = 2_000_000):
    if processes == 1:
        return lambda: [burn(n) for _ in range(2)]

    def run():
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(2) as pool:
            list(pool.map(burn, [n, n]))

    return run


def main() -> None:
    corpus, rounds = Path(sys.argv[1]), int(sys.argv[2])
    ft_path = sys.argv[3] if len(sys.argv) > 3 else None
    paths = sorted(str(p) for p in corpus.glob("*.txt"))

    import fazhi.learning.words as F
    from fazhi.learning.predict import classify
    from fazhi.units.report import load_report
    from fazhi.learning.store import load_model

    from quality import load_jieba, predict_proba

    t0 = time.perf_counter()
    model, card = load_model()
    jieba = load_jieba()
    setup_s = time.perf_counter() - t0
    cached_cut = getattr(F, "_cut", None)
    uncached_cut = getattr(cached_cut, "__wrapped__", None)

    def floor():
        n = 0
        for p in paths:
            with open(p, encoding="utf-8") as f:
                n += len(jieba.lcut(f.read()))
        return n

    def fazhi_path():
        if hasattr(cached_cut, "cache_clear"):
            cached_cut.cache_clear()
        reports = [load_report(p) for p in paths]
        return classify(reports, model)

    def fazhi_no_cache():
        F._cut = uncached_cut
        try:
            return fazhi_path()
        finally:
            F._cut = cached_cut

    def stage(jobs):
        from fazhi.units.loading import load_reports

        return lambda: load_reports(paths, jobs=jobs)

    predictions = fazhi_path()  # warm-up, and the units for fastText
    n_units = len(predictions)
    reports = [load_report(p) for p in paths]
    texts = [u.norm for r in reports for u in r.units if u.is_content]
    distinct = len(set(texts))

    ft = None
    if ft_path:
        from fazhi.vocab import LABELS

        import fasttext

        ft = fasttext.load_model(ft_path)
        labels = list(LABELS)

        def ft_words():
            return [" ".join(w for w in jieba.lcut(t) if w.strip()) for t in texts]

        lines = ft_words()

        def ft_full():
            predict_proba(ft, ft_words(), labels)

        def ft_predict():
            predict_proba(ft, lines, labels)

    systems = {"floor": floor, "fazhi": fazhi_path}
    if uncached_cut is not None:
        systems["fazhi_no_cache"] = fazhi_no_cache
    systems["segment_jobs1"] = stage(1)
    systems["segment_jobs2"] = stage(2)
    systems["cpu_1_process"] = cpu_pair(1)
    systems["cpu_2_processes"] = cpu_pair(2)
    if ft is not None:
        systems["fasttext"] = ft_full
        systems["fasttext_predict_only"] = ft_predict
    times = {name: [] for name in systems}
    names = list(systems)
    for r in range(rounds):
        order = names[r % len(names):] + names[: r % len(names)]  # rotate: no system always first
        for name in order:
            t = time.perf_counter()
            systems[name]()
            times[name].append(time.perf_counter() - t)
        print(f"  throughput: round {r + 1}/{rounds} done", file=sys.stderr, flush=True)

    import resource

    print(
        json.dumps(
            {
                "files": len(paths),
                "units": n_units,
                "distinct_unit_texts": distinct,
                "chars": sum(len(r.text) for r in reports),
                "setup_s": setup_s,
                "times": times,
                "median_s": {k: statistics.median(v) for k, v in times.items()},
                "word_cache": uncached_cut is not None,
                "model_sha256": card.get("model_sha256", "")[:12],
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
