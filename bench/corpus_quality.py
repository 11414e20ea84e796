"""How well `fazhi corpus promises` and `fazhi corpus problems` do on written reports
paired and grouped by hand (labels/corpus/).

    python bench/corpus_quality.py [--model DIR]

The 18 documents are added to a fresh database with the model (the shipped one by
default), as a user would; then:

- promises: precision and recall of the (plan, outcome unit) links against
  labels/corpus/promises.csv, end to end (a plan the model does not label plan is
  missed); the same for the plan-level call kept / no trace; how often the evidence
  shown (the best link) is right. At the default --min-score, over a range of
  scores, and with the score chosen on the other issuers (leave one issuer out);
- problems: adjusted Rand index, purity (how pure each group is) and inverse purity
  (how whole each written group stays) of the groups against labels/corpus/problems.csv,
  at the default --distance and over a range; beside two floors (every unit alone, all
  in one group) and k-means told the true number of groups.

Writes bench/corpus_quality.json and prints the tables.
"""
import argparse
import csv
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "labels" / "corpus"


def read(name):
    with open(CORPUS / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def link_scores(rows, gold, issuers=None) -> dict:
    """Pair-level and plan-level precision/recall of promise rows against the written pairs."""
    tp = fp = fn = 0
    plan = Counter()
    top_right = kept_gold = 0
    found = {(r["plan_doc"], r["plan_sent"]): r for r in rows}
    for key, outs in gold.items():
        if issuers is not None and key[0].rsplit("-", 1)[0] not in issuers:
            continue
        r = found.get(key)
        links = {x["sent"] for x in r["links"]} if r else set()
        tp, fp, fn = tp + len(links & outs), fp + len(links - outs), fn + len(outs - links)
        plan[(bool(outs), bool(links))] += 1
        if outs:
            kept_gold += 1
            top_right += bool(r and r["links"] and r["links"][0]["sent"] in outs)
    p, rec = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    pp = plan[(True, True)] / max(plan[(True, True)] + plan[(False, True)], 1)
    pr = plan[(True, True)] / max(plan[(True, True)] + plan[(True, False)], 1)
    nt = plan[(False, False)] / max(plan[(False, False)] + plan[(True, False)], 1)  # "no trace" said rightly
    return {"pairs": tp + fn, "links": tp + fp, "precision": round(p, 4), "recall": round(rec, 4),
            "f1": round(2 * p * rec / max(p + rec, 1e-9), 4), "kept_precision": round(pp, 4), "kept_recall": round(pr, 4),
            "no_trace_precision": round(nt, 4), "evidence_right": round(top_right / max(kept_gold, 1), 4),
            "plans": sum(plan.values())}  # fmt: skip


def promises(db) -> dict:
    from fazhi.corpus.promises import MIN_SCORE, corpus_promises

    gold = {(r["plan_doc"], int(r["plan_sent"])): {int(s) for s in r["outcome_sents"].split(";")} if r["outcome_sents"] else set()
            for r in read("promises.csv")}  # fmt: skip
    grid = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5]
    by_score = {s: corpus_promises(db=db, min_score=s) for s in grid}
    issuers = sorted({k[0].rsplit("-", 1)[0] for k in gold})
    held = defaultdict(list)
    chosen = {}
    for issuer in issuers:  # leave one issuer out: the score that does best on the others
        others = set(issuers) - {issuer}
        best = max(grid, key=lambda s: (link_scores(by_score[s], gold, others)["f1"], -abs(s - MIN_SCORE)))
        chosen[issuer] = best
        held[best].append(issuer)
    tp_rows = [r for s, names in held.items() for r in by_score[s] if r["plan_doc"].rsplit("-", 1)[0] in names]
    return {
        "default_min_score": MIN_SCORE,
        "default": link_scores(by_score[MIN_SCORE], gold),
        "by_min_score": {str(s): link_scores(rows, gold) for s, rows in by_score.items()},
        "leave_one_issuer_out": {"chosen": chosen, **link_scores(tp_rows, gold)},
        "issuers": len(issuers),
    }


def purity(truth, pred) -> float:
    groups = defaultdict(list)
    for t, p in zip(truth, pred):
        groups[p].append(t)
    return sum(Counter(v).most_common(1)[0][1] for v in groups.values()) / len(truth)


def problems(db) -> dict:
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    from fazhi.corpus.problems import DISTANCE, corpus_problems, group_texts

    gold = {(r["doc_id"], int(r["sent_id"])): r["group"] for r in read("problems.csv")}
    keys = sorted(gold)
    truth = [gold[k] for k in keys]

    def score(pred) -> dict:
        return {"ari": round(adjusted_rand_score(truth, pred), 4), "purity": round(purity(truth, pred), 4),
                "inverse_purity": round(purity(pred, truth), 4), "groups": len(set(pred))}  # fmt: skip

    out = {"units": len(keys), "written_groups": len(set(truth)), "default_distance": DISTANCE, "by_distance": {}}
    for d in (0.7, 0.8, 0.85, 0.9, 0.925, 0.95):
        groups = corpus_problems(db=db, min_reports=1, distance=d)
        found = {(m["doc"], m["sent"]): g["group"] for g in groups for m in g["members"]}
        out["by_distance"][str(d)] = score([found.get(k, -1 - i) for i, k in enumerate(keys)])
    out["default"] = out["by_distance"][str(DISTANCE)]
    text_of = {(r["doc_id"], int(r["sent_id"])): r["text"] for r in read("problems.csv")}
    _, X, _ = group_texts([text_of[k] for k in keys])
    k = len(set(truth))
    out["floors"] = {
        "every unit alone": score(list(range(len(keys)))),
        "all in one group": score([0] * len(keys)),
        f"k-means told k={k} (same features)": score(KMeans(k, n_init=10, random_state=0).fit_predict(X).tolist()),
    }
    return out


def table(rows: list[list], head: list[str]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(":---" if i == 0 else "---:" for i in range(len(head))) + "|"]
    lines += ["| " + " | ".join(str(x) for x in r) + " |" for r in rows]
    return "\n".join(lines)


def report(res: dict) -> str:
    p = res["promises"]
    keys = ["precision", "recall", "f1", "kept_precision", "kept_recall", "no_trace_precision", "evidence_right"]
    rows = [[f"default --min-score {p['default_min_score']}", *(p["default"][k] for k in keys)]]
    rows += [[f"--min-score {s}", *(v[k] for k in keys)] for s, v in p["by_min_score"].items()]
    rows += [["score chosen on the other issuers", *(p["leave_one_issuer_out"][k] for k in keys)]]
    out = [f"Promises: {p['default']['plans']} plans of {p['issuers']} issuers, {p['default']['pairs']} plan→outcome pairs",
           table(rows, ["setting", "link precision", "link recall", "link F1", "kept: precision", "kept: recall",
                        "no trace: precision", "evidence right"])]  # fmt: skip
    q = res["problems"]
    rows = [[f"fazhi, --distance {d}" + (" (default)" if float(d) == q["default_distance"] else ""), v["ari"], v["purity"], v["inverse_purity"], v["groups"]]
            for d, v in q["by_distance"].items()]  # fmt: skip
    rows += [[name, v["ari"], v["purity"], v["inverse_purity"], v["groups"]] for name, v in q["floors"].items()]
    out += [f"\nProblems: {q['units']} units in {q['written_groups']} written groups",
            table(rows, ["grouping", "ARI", "purity", "inverse purity", "groups"])]
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None, help="model folder (default: the shipped model)")
    args = ap.parse_args()
    from fazhi.corpus.add import corpus_add

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "corpus.db")
        corpus_add([str(CORPUS / "docs")], db=db, model_dir=args.model)
        res = {"promises": promises(db), "problems": problems(db)}
    (ROOT / "bench" / "corpus_quality.json").write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(report(res))


if __name__ == "__main__":
    main()
