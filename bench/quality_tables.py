"""The quality part of bench/README.md: markdown tables from quality.run's results."""
from common import table

NAMES = {
    "fazhi_shipped": "fazhi as shipped: + written material in every training fold",
    "fazhi": "fazhi",
    "fazhi_blind": "fazhi, context removed (same model, blind)",
    "fasttext_context": "fastText, tuned in the training data",
    "fasttext": "fastText, tuned in the training data",
    "tfidf_context": "TF-IDF chars 1–3 + balanced LR, C tuned in the training data",
    "tfidf": "TF-IDF chars 1–3 + balanced LR, C tuned in the training data",
    "tfidf_default": "TfidfVectorizer() + LogisticRegression() on jieba words, defaults (reference)",
    "keyword_rule": "keyword rule (fazhi.learning.baselines.KeywordRule)",
    "majority": "majority label",
}
CONTEXT = {"fazhi_shipped": "yes", "fazhi": "yes", "fasttext_context": "yes", "tfidf_context": "yes"}
WITH_CONTEXT = ("fasttext_context", "tfidf_context")
ALONE = ("fasttext", "tfidf")


def _chose(key: str, chosen: dict) -> str:
    c = chosen.get(key) or {}
    if "epoch" in c:
        return f"epoch {c['epoch']}, lr {c['lr']}, wordNgrams {c['wordNgrams']}"
    return ", ".join(f"{k}={v}" for k, v in c.items())


def _systems_table(systems: dict, labels, chosen: dict | None = None) -> str:
    rows = []
    for name, s in systems.items():
        row = [NAMES.get(name, name), CONTEXT.get(name, "no"), f"**{s['macro_f1']:.3f}**",
               *(f"{s['f1'][lab]:.3f}" for lab in labels), f"{s['accuracy']:.3f}", f"{s['ece']:.3f}"]  # fmt: skip
        if chosen is not None:
            row.append(_chose(name, chosen))
        rows.append(row)
    head = ["system", "context", "macro-F1", *(f"F1 {lab}" for lab in labels), "accuracy", "ECE"]
    if chosen is not None:
        head.append("chosen in the training data")
    return table(head, rows, "ll" + "r" * (len(head) - 2 - (chosen is not None)) + ("l" if chosen is not None else ""))


def _versus_table(versus: dict, who: str) -> str:
    rows = [
        [NAMES[name] + (", with context" if name in WITH_CONTEXT else ", sentence alone" if name in ALONE else ""),
         f"{v['diff']:+.3f}", f"{v['low']:+.3f} to {v['high']:+.3f}", f"{v['docs_ahead']} / {v['docs_behind']} of {v['docs']}"]
        for name, v in versus.items()
    ]  # fmt: skip
    return table(["peer", f"{who} minus peer", "95% interval (documents resampled)", f"documents {who} ahead / behind"], rows)


def render_shapes(q: dict, labels) -> list[str]:
    parts = [
        "", f"### Quality on shapes-test: {q['n']} units of {q['reports']} documents no system was fitted on", "",
        f"Every system is fitted on the shipped model's training data ({', '.join(q['train_files'])}: "
        f"{q['n_train']} units of {q['train_reports']} reports) and scored on labels/shapes-test.csv. "
        "Context: the section heading and the report's kind, as text (see the settings below).",
        "",
        _systems_table(q["systems"], labels, q["chosen"]),
        "",
        "fazhi minus each peer in macro-F1, with a 95% bootstrap interval over the test documents "
        f"(resampled with replacement, {q.get('bootstrap', 2000)} draws); the last column counts the documents "
        "on which fazhi's own macro-F1 is higher / lower:",
        "",
        _versus_table(q["versus"], "fazhi"),
        "",
        "The sentence alone on both sides: fazhi with its context removed (the same model, blind) minus the peers "
        "fitted and scored without context:",
        "",
        _versus_table(q["versus_blind"], "fazhi blind"),
    ]  # fmt: skip
    shown = [s for s in ("fazhi", "fazhi_blind", *WITH_CONTEXT, *ALONE, "keyword_rule") if s in q["by_kind"]]
    rows = [[kind, *(f"{q['by_kind'][s][kind]:.3f}" for s in shown)] for kind in q["kinds"]]
    heads = {"fazhi_blind": "fazhi blind", "fasttext_context": "fastText + context", "tfidf_context": "TF-IDF + context",
             "fasttext": "fastText alone", "tfidf": "TF-IDF alone", "keyword_rule": "keyword rule"}  # fmt: skip
    parts += ["", "Macro-F1 by the document's shape (`kind`):", "", table(["kind", *(heads.get(s, s) for s in shown)], rows)]
    fit = q["fit_s"]
    parts += ["", f"Fit time on the training data: fazhi with its search of C {fit['fazhi']:.0f} s; "
              + ", ".join(f"{NAMES[k].split(',')[0]}{' + context' if k in WITH_CONTEXT else ''} {fit[k]:.1f} s"
                          for k in ("fasttext_context", "fasttext", "tfidf_context", "tfidf") if k in fit)
              + " (one fit with the chosen settings; TF-IDF's includes its search)."]  # fmt: skip
    return parts


def render_loro(q: dict, labels) -> list[str]:
    parts = ["", f"### Quality: leave-one-report-out on labels/seeds.csv ({q['n']} units, {q['reports']} reports)", "",
             "Every system is fitted on the four training reports of each fold and scored on the fifth "
             "(fazhi as shipped also has the written material in every training fold).", "",
             _systems_table(q["systems"], labels)]  # fmt: skip
    parts += ["", "Macro-F1 per fold (the test report):", ""]
    systems = [s for s in ("fazhi", "fazhi_blind", *WITH_CONTEXT, *ALONE, "keyword_rule") if s in q["per_fold"]]
    heads = {"fazhi_blind": "fazhi blind", "fasttext_context": "fastText + ctx", "tfidf_context": "TF-IDF + ctx",
             "fasttext": "fastText", "tfidf": "TF-IDF", "keyword_rule": "keyword rule"}  # fmt: skip
    rows = []
    for k, test in enumerate(q["folds"]):
        c = q["chosen"][k]
        ft = f"{_chose('fasttext_context', c)}; {_chose('fasttext', c)}"
        tf = f"C={c['tfidf_context']['C']}; C={c['tfidf']['C']}"
        fz = ", ".join(f"{a}={b}" for a, b in (q.get("fazhi_params") or [{}] * len(q["folds"]))[k].items())
        rows.append([", ".join(test), *(f"{q['per_fold'][s][k]:.3f}" for s in systems), ft, tf, fz])
    parts.append(table(["test report", *(heads.get(s, s) for s in systems), "fastText chose (+ctx; alone)",
                        "TF-IDF chose (+ctx; alone)", "fazhi chose"], rows, "l" + "r" * len(systems) + "lll"))  # fmt: skip
    if "fazhi" in q["systems"]:
        peers = [s for s in (*WITH_CONTEXT, *ALONE) if s in q["systems"]]
        best = max(peers, key=lambda s: q["systems"][s]["macro_f1"])
        margin = q["systems"]["fazhi"]["macro_f1"] - q["systems"][best]["macro_f1"]
        wins = sum(q["per_fold"]["fazhi"][k] > max(q["per_fold"][s][k] for s in peers) for k in range(len(q["folds"])))
        label = NAMES[best].split(",")[0] + (" with context" if best in WITH_CONTEXT else " alone")
        parts += ["", f"fazhi minus the best peer ({label}): {margin:+.3f} macro-F1; fazhi ahead of every peer on "
                  f"{wins} of {len(q['folds'])} folds. fazhi's scores: {q['fazhi_source']}. Same folds as make_folds: "
                  f"{q['check'].get('same_folds')}; keyword rule scored identically there and here: "
                  f"{q['check'].get('keyword_rule_agrees', '-')}."]  # fmt: skip
        if "fazhi_shipped" in q["systems"]:
            parts += ["", f"fazhi as shipped: scores from {q.get('shipped_source')}; same folds: {q['check'].get('shipped_same_folds')}."]
    return parts
