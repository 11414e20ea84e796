"""Quality: fazhi and its peers on the same data, with the same inputs.

Two comparisons:

- **shapes-test** (the headline): every system is fitted on the shipped model's training
  data (labels/seeds.csv and labels/written*.csv, 3,196 units of 118 reports) and scored
  on labels/shapes-test.csv (26 documents no system was fitted on). fazhi is fitted here,
  in this process, as ``fazhi train`` fits it (the search of C inside the training data).
- **seeds, leave-one-report-out** (as before): the 595 seed units, one fold per report,
  the peers fitted on the training reports of each fold. fazhi's scores come from the
  card of ``fazhi train labels/seeds.csv`` (run by run.py as the timed "train with
  cross-validation" child); the folds are checked to be the card's.

Every peer is run twice: with the context fazhi reads (the section heading and the
report's kind from its title, each as text the peer can take) and with the sentence
alone, beside fazhi and fazhi with its context removed (``blind``).

- fastText supervised on jieba words (space-joined); with context, the section's jieba
  words follow the sentence's as ``§word`` tokens and the kind as one ``#kind_…`` token.
  epoch, lr and wordNgrams are chosen on the training data only, by the inner folds
  fazhi's own search of C uses (whole reports); seed 0, one thread.
- TF-IDF of character 1–3-grams + LogisticRegression(class_weight="balanced"), C chosen
  by the same inner folds; with context, a second TF-IDF of the section's character
  1–3-grams and a one-hot of the kind.
- TfidfVectorizer() + LogisticRegression() with default settings on jieba words, for
  reference: what one writes first (it drops one-character words, 将 among them, and
  does not balance the classes).
- fazhi.learning.baselines.KeywordRule, and the majority label.
"""
import itertools
import os
import tempfile
import time

import numpy as np

from common import ROOT, log

LABELS_DIR = ROOT / "labels"
TRAIN_FILES = [str(LABELS_DIR / "seeds.csv"), *sorted(str(p) for p in LABELS_DIR.glob("written*.csv"))]
SHAPES = str(LABELS_DIR / "shapes-test.csv")
SEEDS_CSV = str(LABELS_DIR / "seeds.csv")

FT_GRID = {"epoch": [10, 25, 50], "lr": [0.1, 0.5, 1.0], "wordNgrams": [1, 2]}
# bucket: fastText's default of 2M rows x dim 100 for word n-grams is 800 MB per model,
# far more than a few thousand sentences fill; 200k rows keep every fit small and fast
FT_FIXED = {"dim": 100, "minCount": 1, "loss": "softmax", "bucket": 200_000, "thread": 1, "seed": 0, "verbose": 0}
TFIDF_C = [0.5, 2.0, 8.0, 32.0]
BOOTSTRAP = 2000  # resamples of the test documents for the interval of a difference

# system key -> (name in the tables, reads the context)
PEERS = {
    "fasttext_context": "fastText, with the section and kind",
    "fasttext": "fastText, sentence alone",
    "tfidf_context": "TF-IDF chars 1–3 + balanced LR, with the section and kind",
    "tfidf": "TF-IDF chars 1–3 + balanced LR, sentence alone",
    "tfidf_default": "TfidfVectorizer() + LogisticRegression() on jieba words, defaults",
}


# --- inputs -----------------------------------------------------------------------------


def load_jieba():
    """jieba as fazhi initializes it (its dictionary cache)."""
    from fazhi.learning.words import _jieba

    return _jieba()


def words(texts):
    """jieba words of each text, space-joined."""
    jieba = load_jieba()
    return [" ".join(w for w in jieba.lcut(t) if w.strip()) for t in texts]


def peer_inputs(records) -> list[dict]:
    """What a peer reads of each record: the sentence (characters and words), the section
    heading (characters and words) and the report's kind."""
    sentence, section = words([r.text for r in records]), words([r.section for r in records])
    return [
        {"text": r.text, "words": w, "section": r.section, "section_words": s, "kind": f"kind_{r.doc_kind or 'none'}"}
        for r, w, s in zip(records, sentence, section)
    ]


def ft_line(row: dict, context: bool) -> str:
    if not context:
        return row["words"]
    section = " ".join("§" + w for w in row["section_words"].split())
    return " ".join(part for part in (row["words"], section, "#" + row["kind"]) if part)


def inner_folds():
    """The inner folds of fazhi's own search (whole reports)."""
    from fazhi.learning.evaluate import INNER_FOLDS, InnerFolds

    return InnerFolds(INNER_FOLDS, 0)


# --- fastText ---------------------------------------------------------------------------


class FastText:
    def __init__(self, **params):
        self.params = params

    def fit(self, lines, y, workdir):
        import fasttext

        fd, path = tempfile.mkstemp(suffix=".txt", dir=workdir)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for line, lab in zip(lines, y):
                f.write(f"__label__{lab} {line}\n")
        try:
            self.model = fasttext.train_supervised(input=path, **FT_FIXED, **self.params)
        finally:
            os.unlink(path)
        return self

    def predict_proba(self, lines, labels):
        return predict_proba(self.model, lines, labels)


def predict_proba(model, lines, labels):
    """Probabilities in ``labels`` order, rows summing to 1.

    One line at a time through ``model.f.predict``: with numpy 2, fasttext-wheel 0.9.2's
    list ``predict`` repeats the first probability in every column, and its single-line
    ``predict`` fails on ``np.array(copy=False)``.
    """
    index = {f"__label__{lab}": j for j, lab in enumerate(labels)}
    out = np.zeros((len(lines), len(labels)))
    for i, line in enumerate(lines):
        for p, lab in model.f.predict(line.replace("\n", " ") + "\n", -1, 0.0, "strict"):
            if lab in index:
                out[i, index[lab]] = p
    return out / np.maximum(out.sum(axis=1, keepdims=True), 1e-12)


def _grid():
    keys = list(FT_GRID)
    return [dict(zip(keys, values)) for values in itertools.product(*(FT_GRID[k] for k in keys))]


def tune_fasttext(lines, y, groups, labels, workdir):
    """Best grid point by mean macro-F1 over the inner folds of these rows only."""
    from fazhi.learning.scores import scores

    inner = list(inner_folds().split(lines, y, groups))
    best, best_f1 = None, -1.0
    for params in _grid():
        f1s = []
        try:
            for tr, te in inner:
                m = FastText(**params).fit([lines[i] for i in tr], y[tr], workdir)
                f1s.append(scores(y[te], m.predict_proba([lines[i] for i in te], labels), labels)["macro_f1"])
        except RuntimeError as e:  # "Encountered NaN.": this learning rate diverges; not a candidate
            log(f"  quality: fastText {params} failed ({e}); skipped")
            continue
        f1 = float(np.mean(f1s))
        if f1 > best_f1 + 1e-12:
            best, best_f1 = params, f1
    return best, best_f1


# --- TF-IDF -----------------------------------------------------------------------------


def _column(rows, key):
    return [r[key] for r in rows]


def tfidf_pipeline(context: bool):
    """Character 1–3-grams of the sentence (and of the section, and the kind) + balanced LR."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    def field(key, vectorizer):
        return make_pipeline(FunctionTransformer(_column, kw_args={"key": key}), vectorizer)

    parts = [("text", field("text", TfidfVectorizer(analyzer="char", ngram_range=(1, 3))))]
    if context:
        parts += [
            ("section", field("section", TfidfVectorizer(analyzer="char", ngram_range=(1, 3)))),
            ("kind", field("kind", CountVectorizer(token_pattern=r"\S+", binary=True))),
        ]
    clf = LogisticRegression(class_weight="balanced", max_iter=3000)
    return Pipeline([("features", FeatureUnion(parts)), ("clf", clf)])


def fit_tfidf(rows, y, groups, context: bool):
    """The TF-IDF pipeline with C chosen by the inner folds; returns (fitted search, chosen C)."""
    from sklearn.model_selection import GridSearchCV

    search = GridSearchCV(tfidf_pipeline(context), {"clf__C": TFIDF_C}, scoring="f1_macro", cv=inner_folds(), refit=True)
    search.fit(rows, y, groups=groups)
    return search, search.best_params_["clf__C"]


def fit_tfidf_default(rows, y):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(_column(rows, "words"), y)


# --- all peers on one split ---------------------------------------------------------------


def run_peers(train_rows, ytr, gtr, test_rows, labels, workdir, Xtr_records, Xte_records) -> tuple[dict, dict, dict, dict]:
    """Probabilities of every peer on ``test_rows`` after fitting on ``train_rows``;
    with the settings each chose, its fit seconds and the fitted fastText models."""
    from fazhi.learning.baselines import KeywordRule, Majority

    proba, chosen, fit_s, models = {}, {}, {}, {}
    for key, context in (("fasttext_context", True), ("fasttext", False)):
        lines = [ft_line(r, context) for r in train_rows]
        params, inner_f1 = tune_fasttext(lines, ytr, gtr, labels, workdir)
        t0 = time.perf_counter()
        ft = FastText(**params).fit(lines, ytr, workdir)
        fit_s[key] = time.perf_counter() - t0
        proba[key] = ft.predict_proba([ft_line(r, context) for r in test_rows], labels)
        chosen[key] = {**params, "inner_macro_f1": round(inner_f1, 4)}
        models[key] = ft
    for key, context in (("tfidf_context", True), ("tfidf", False)):
        t0 = time.perf_counter()
        search, c = fit_tfidf(train_rows, ytr, gtr, context)
        fit_s[key] = time.perf_counter() - t0
        proba[key] = _aligned(search.predict_proba(test_rows), search.classes_, labels)
        chosen[key] = {"C": c}
    t0 = time.perf_counter()
    lr = fit_tfidf_default(train_rows, ytr)
    fit_s["tfidf_default"] = time.perf_counter() - t0
    proba["tfidf_default"] = _aligned(lr.predict_proba(_column(test_rows, "words")), lr.classes_, labels)
    for name, base in (("keyword_rule", KeywordRule()), ("majority", Majority())):
        base.fit(Xtr_records, ytr)
        proba[name] = _aligned(base.predict_proba(Xte_records), base.classes_, labels)
    return proba, chosen, fit_s, models


# --- shapes-test ----------------------------------------------------------------------------


def run_shapes(workdir: str) -> dict:
    """Every system fitted on the shipped training data, scored on shapes-test."""
    from fazhi.labels.load import load_labels
    from fazhi.learning.evaluate import fit, search_pipeline
    from fazhi.learning.hyper import GRID
    from fazhi.learning.scores import align, scores
    from fazhi.learning.train import slice_values, training_data
    from fazhi.vocab import LABELS

    labels = list(LABELS)
    train = load_labels(TRAIN_FILES)
    Xtr, ytr, gtr = training_data(train)
    test = load_labels([SHAPES])
    Xte, yte, gte = training_data(test)
    Xte_blind = training_data(test, blind=True)[0]

    log(f"  quality: fazhi on {len(ytr)} units, search of C {GRID} ...")
    t0 = time.perf_counter()
    model = fit(search_pipeline(seed=0, grid=GRID), Xtr, ytr, gtr)
    fazhi_fit_s = time.perf_counter() - t0
    classes = [str(c) for c in model.classes_]
    proba = {"fazhi": align(model.predict_proba(Xte), classes), "fazhi_blind": align(model.predict_proba(Xte_blind), classes)}
    chosen = {"fazhi": {k.split("__")[-1]: v for k, v in model.best_params_.items()}}

    log("  quality: peers on shapes-test ...")
    peers, peer_chosen, fit_s, models = run_peers(peer_inputs(Xtr), ytr, gtr, peer_inputs(Xte), labels, workdir, Xtr, Xte)
    proba.update(peers)
    chosen.update(peer_chosen)
    ft_path = os.path.join(workdir, "fasttext-train.bin")  # the sentence-alone model, for the throughput child
    models["fasttext"].model.save_model(ft_path)
    kinds = slice_values(test, ["kind"])["kind"]
    systems = {name: _summary(scores(yte, p, labels)) for name, p in proba.items()}
    by_kind = {name: _by_slice(yte, p, kinds, labels) for name, p in proba.items()}
    return {
        "train_files": [os.path.relpath(p, ROOT) for p in TRAIN_FILES],
        "n_train": int(len(ytr)), "train_reports": len(set(gtr)),
        "n": int(len(yte)), "reports": len(set(gte)),
        "systems": systems,
        "by_kind": by_kind,
        "kinds": sorted(set(kinds)),
        "versus": {name: _bootstrap(yte, proba["fazhi"], proba[name], gte, labels) for name in PEERS},
        "versus_blind": {name: _bootstrap(yte, proba["fazhi_blind"], proba[name], gte, labels) for name in ("fasttext", "tfidf")},
        "chosen": chosen,
        "bootstrap": BOOTSTRAP,
        "fit_s": {"fazhi": fazhi_fit_s, **fit_s},
        "fasttext_model": ft_path,
    }  # fmt: skip


def _by_slice(y, proba, values, labels) -> dict:
    from fazhi.learning.scores import scores

    values = np.asarray(values)
    return {v: scores(y[values == v], proba[values == v], labels)["macro_f1"] for v in sorted(set(values))}


def _bootstrap(y, proba_a, proba_b, groups, labels) -> dict:
    """macro-F1 of a minus b, and its 95% interval over documents resampled with replacement."""
    from fazhi.learning.scores import scores

    rng = np.random.default_rng(0)
    docs = sorted(set(groups))
    rows = {d: np.flatnonzero(groups == d) for d in docs}
    diff = scores(y, proba_a, labels)["macro_f1"] - scores(y, proba_b, labels)["macro_f1"]
    draws = []
    for _ in range(BOOTSTRAP):
        idx = np.concatenate([rows[d] for d in rng.choice(docs, size=len(docs), replace=True)])
        draws.append(_macro_f1(y[idx], proba_a[idx], labels) - _macro_f1(y[idx], proba_b[idx], labels))
    lo, hi = np.percentile(draws, [2.5, 97.5])
    per_doc = [_macro_f1(y[r], proba_a[r], labels) - _macro_f1(y[r], proba_b[r], labels) for r in rows.values()]
    return {"diff": diff, "low": float(lo), "high": float(hi), "docs_ahead": int(sum(d > 1e-9 for d in per_doc)),
            "docs_behind": int(sum(d < -1e-9 for d in per_doc)), "docs": len(docs)}  # fmt: skip


def _macro_f1(y, proba, labels) -> float:
    """macro-F1 over the labels present in ``y`` (as fazhi.learning.scores.scores), fast."""
    from sklearn.metrics import f1_score

    pred = np.asarray(labels)[proba.argmax(axis=1)]
    present = sorted(set(y))
    return float(f1_score(y, pred, labels=present, average="macro", zero_division=0))


# --- seeds, leave-one-report-out ------------------------------------------------------------


def _seed_data():
    from fazhi.labels.load import load_labels
    from fazhi.learning.train import split_scored, training_data

    X, y, groups = training_data(load_labels([SEEDS_CSV]))
    (X, y, groups), _ = split_scored(X, y, groups)
    return X, np.asarray(y), np.asarray(groups)


def run_loro(card: dict | None, workdir: str, shipped: dict | None = None) -> dict:
    """Scores per system on the seeds' leave-one-report-out folds (fazhi from ``card``,
    fazhi as shipped from ``shipped``), per-fold macro-F1, fold checks."""
    from fazhi.learning.scores import make_folds, scores
    from fazhi.vocab import LABELS

    labels = list(LABELS)
    X, y, groups = _seed_data()
    splits = make_folds(y, groups)  # the call cross_validate makes: one fold per report
    fold_tests = [sorted(set(map(str, groups[te]))) for _, te in splits]
    rows = peer_inputs(X)
    names = [*PEERS, "keyword_rule", "majority"]
    oof = {name: np.zeros((len(y), len(labels))) for name in names}
    chosen = []
    for k, (tr, te) in enumerate(splits):
        proba, picked, _, _ = run_peers([rows[i] for i in tr], y[tr], groups[tr], [rows[i] for i in te], labels, workdir,
                                     [X[i] for i in tr], [X[i] for i in te])  # fmt: skip
        for name in names:
            oof[name][te] = proba[name]
        chosen.append(picked)
        log(f"  quality: fold {k + 1}/{len(splits)} {fold_tests[k][0]}: {chosen[-1]}")
    systems = {name: _summary(scores(y, p, labels)) for name, p in oof.items()}
    per_fold = {name: [scores(y[te], oof[name][te], labels)["macro_f1"] for _, te in splits] for name in oof}
    out = {"n": int(len(y)), "reports": len(set(groups)), "folds": fold_tests, "systems": systems, "per_fold": per_fold,
           "chosen": chosen, "fazhi_source": None, "check": {}}  # fmt: skip
    _add_fazhi(out, card, shipped, systems, fold_tests)
    return out


def _add_fazhi(out: dict, card: dict | None, shipped: dict | None, systems: dict, fold_tests: list) -> None:
    """fazhi's scores on the same folds: from the card of the timed training run, else run here."""
    cv = (card or {}).get("cv")
    if cv and "fazhi" in cv:
        out["fazhi_source"] = "card of the timed `fazhi train labels/seeds.csv` run"
        fazhi = {"fazhi": _from_card(cv["fazhi"]), **({"fazhi_blind": _from_card(cv["blind"])} if "blind" in cv else {})}
        folds = [f["macro_f1"] for f in cv["folds"]]
        params = [f.get("params", {}) for f in cv["folds"]]
        tests = [sorted(f["test"]) if isinstance(f["test"], list) else f["test"] for f in cv["folds"]]
        if "keyword_rule" in cv:
            out["check"]["keyword_rule_agrees"] = abs(cv["keyword_rule"]["macro_f1"] - systems["keyword_rule"]["macro_f1"]) < 1e-3
    else:
        from fazhi.labels.load import load_labels
        from fazhi.learning.train import cross_validate_labels

        log("  quality: no cross-validation in the card; running fazhi's cross_validate here")
        res = cross_validate_labels(load_labels([SEEDS_CSV]), blind=True)
        out["fazhi_source"] = "fazhi.learning.train.cross_validate_labels in the bench process"
        fazhi = {"fazhi": _summary(res.systems["fazhi"]), "fazhi_blind": _summary(res.systems["blind"])}
        folds = [f["macro_f1"] for f in res.folds]
        params = [f.get("params", {}) for f in res.folds]
        tests = [sorted(f["test"]) for f in res.folds]
    out["check"]["same_folds"] = tests == fold_tests
    out["fazhi_params"] = params
    out["systems"] = {**fazhi, **out["systems"]}
    out["per_fold"] = {"fazhi": folds, **out["per_fold"]}
    scv = (shipped or {}).get("cv")
    if scv and "fazhi" in scv:
        out["systems"] = {"fazhi_shipped": _from_card(scv["fazhi"]), **out["systems"]}
        out["per_fold"] = {"fazhi_shipped": [f["macro_f1"] for f in scv["folds"]], **out["per_fold"]}
        out["check"]["shipped_same_folds"] = [sorted(f["test"]) for f in scv["folds"]] == fold_tests


def run(card: dict | None, workdir: str, shipped: dict | None = None) -> dict:
    """Both comparisons: shapes-test (the headline) and the seeds' leave-one-report-out."""
    from fazhi.learning.pipeline import one_blas_thread

    with one_blas_thread():  # as fazhi fits: BLAS threads fighting over the cores slow every fit
        return {"shapes": run_shapes(workdir), "loro": run_loro(card, workdir, shipped)}


def _aligned(proba, classes, labels):
    out = np.zeros((proba.shape[0], len(labels)))
    for j, c in enumerate(classes):
        out[:, labels.index(str(c))] = proba[:, j]
    return out


def _summary(s: dict) -> dict:
    return {
        "macro_f1": s["macro_f1"],
        "accuracy": s["accuracy"],
        "ece": s["ece"],
        "f1": {lab: v["f1"] for lab, v in s["per_label"].items()},
    }


def _from_card(s: dict) -> dict:
    return {"macro_f1": s["macro_f1"], "accuracy": s["accuracy"], "ece": s["ece"], "f1": dict(s["per_label_f1"])}
