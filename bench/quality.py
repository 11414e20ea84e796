"""Quality on labels/seeds.csv: fazhi and its peers on the same leave-one-report-out folds.

fazhi's scores come from the card of ``fazhi train labels/seeds.csv`` (its own
``cross_validate`` with the nested search), run by run.py as the timed "train with
cross-validation" child; the peers are fitted here on the folds of
``fazhi.learning.scores.make_folds`` over ``fazhi.learning.train.training_data``, and the folds are
checked to be the card's.

Peers:
- fastText supervised on jieba words (space-joined); epoch, lr and wordNgrams chosen by
  an inner leave-one-report-out over the training reports only; seed 0, one thread.
- TfidfVectorizer() + LogisticRegression(), both with default settings, on the same words.
- fazhi.learning.baselines.KeywordRule, and the majority label for reference.
"""
import itertools
import os
import tempfile
import time

import numpy as np

from common import log

FT_GRID = {"epoch": [10, 25, 50], "lr": [0.1, 0.5, 1.0], "wordNgrams": [1, 2]}
# bucket: fastText's default of 2M rows x dim 100 for word n-grams is 800 MB per model,
# far more than 600 sentences fill; 200k rows keep every fit small and fast
FT_FIXED = {"dim": 100, "minCount": 1, "loss": "softmax", "bucket": 200_000, "thread": 1, "seed": 0, "verbose": 0}


def _data():
    import fazhi.learning.train as T
    from fazhi.labels.load import load_labels

    from common import LABELS_CSV

    labeled = load_labels([str(LABELS_CSV)])
    X, y, groups = T.training_data(labeled)
    if hasattr(T, "split_scored"):  # written material is never scored
        (X, y, groups), _ = T.split_scored(X, y, groups)
    return X, np.asarray(y), np.asarray(groups)


def words(texts):
    """jieba words of each text, space-joined (the peers' input)."""
    jieba = load_jieba()
    return [" ".join(w for w in jieba.lcut(t) if w.strip()) for t in texts]


def load_jieba():
    """jieba as fazhi initializes it (its dictionary cache), or plainly if fazhi's helper moved."""
    try:
        from fazhi.learning.words import _jieba

        return _jieba()
    except ImportError:
        import jieba

        jieba.initialize()
        return jieba


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
    """Best grid point by mean macro-F1 over leave-one-report-out folds of these rows only."""
    from sklearn.model_selection import LeaveOneGroupOut

    from fazhi.learning.scores import scores

    inner = list(LeaveOneGroupOut().split(lines, y, groups))
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


# --- all systems --------------------------------------------------------------------------


def run(card: dict | None, workdir: str, shipped: dict | None = None) -> dict:
    """Scores per system (fazhi from ``card``; as shipped from ``shipped``), per-fold
    macro-F1, fold checks, fit times."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from fazhi.learning.baselines import KeywordRule, Majority
    from fazhi.learning.scores import make_folds, scores
    from fazhi.vocab import LABELS

    labels = list(LABELS)
    X, y, groups = _data()
    splits = make_folds(y, groups)  # the call cross_validate makes: one fold per report
    fold_tests = [sorted(set(map(str, groups[te]))) for _, te in splits]
    t0 = time.perf_counter()
    lines = words([r.text for r in X])
    tokenize_s = time.perf_counter() - t0

    oof = {name: np.zeros((len(y), len(labels))) for name in ("fasttext", "tfidf_lr", "keyword_rule", "majority")}
    chosen = []
    for k, (tr, te) in enumerate(splits):
        params, inner_f1 = tune_fasttext([lines[i] for i in tr], y[tr], groups[tr], labels, workdir)
        chosen.append({**params, "inner_macro_f1": round(inner_f1, 4)})
        ft = FastText(**params).fit([lines[i] for i in tr], y[tr], workdir)
        oof["fasttext"][te] = ft.predict_proba([lines[i] for i in te], labels)
        lr = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit([lines[i] for i in tr], y[tr])
        oof["tfidf_lr"][te] = _aligned(lr.predict_proba([lines[i] for i in te]), lr.classes_, labels)
        for name, base in (("keyword_rule", KeywordRule()), ("majority", Majority())):
            base.fit([X[i] for i in tr], y[tr])
            oof[name][te] = _aligned(base.predict_proba([X[i] for i in te]), base.classes_, labels)
        log(f"  quality: fold {k + 1}/{len(splits)} {fold_tests[k][0]}: fastText {params}")

    systems = {name: scores(y, p, labels) for name, p in oof.items()}
    per_fold = {
        name: [scores(y[te], oof[name][te], labels)["macro_f1"] for _, te in splits] for name in oof
    }

    # the final fastText and tfidf+LR on all seeds (for the throughput figures and fit times)
    params_all, _ = tune_fasttext(lines, y, groups, labels, workdir)
    t0 = time.perf_counter()
    ft_all = FastText(**params_all).fit(lines, y, workdir)
    ft_fit_s = time.perf_counter() - t0
    ft_path = os.path.join(workdir, "fasttext-seeds.bin")
    ft_all.model.save_model(ft_path)
    t0 = time.perf_counter()
    make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(lines, y)
    lr_fit_s = time.perf_counter() - t0

    out = {
        "n": int(len(y)),
        "reports": len(set(groups)),
        "folds": fold_tests,
        "systems": {name: _summary(s) for name, s in systems.items()},
        "per_fold": per_fold,
        "fasttext_chosen": chosen,
        "fasttext_all": params_all,
        "fasttext_model": ft_path,
        "fit_s": {"fasttext": ft_fit_s, "tfidf_lr": lr_fit_s, "jieba_tokenize_all": tokenize_s},
        "fazhi_source": None,
        "check": {},
    }
    cv = (card or {}).get("cv")
    if cv and "fazhi" in cv:
        out["systems"] = {"fazhi": _from_card(cv["fazhi"]), **out["systems"]}
        out["per_fold"] = {"fazhi": [f["macro_f1"] for f in cv["folds"]], **per_fold}
        out["fazhi_params"] = [f.get("params", {}) for f in cv["folds"]]
        out["fazhi_source"] = "card of the timed `fazhi train labels/seeds.csv` run"
        card_tests = [sorted(f["test"]) if isinstance(f["test"], list) else f["test"] for f in cv["folds"]]
        out["check"]["same_folds"] = card_tests == fold_tests
        if "keyword_rule" in cv:
            out["check"]["keyword_rule_agrees"] = abs(cv["keyword_rule"]["macro_f1"] - systems["keyword_rule"]["macro_f1"]) < 1e-3
        if "blind" in cv:
            out["systems"]["fazhi_blind"] = _from_card(cv["blind"])
        scv = (shipped or {}).get("cv")
        if scv and "fazhi" in scv:
            systems_ = dict(out["systems"])
            out["systems"] = {"fazhi": systems_.pop("fazhi"), "fazhi_shipped": _from_card(scv["fazhi"]), **systems_}
            out["per_fold"] = {"fazhi": out["per_fold"]["fazhi"], "fazhi_shipped": [f["macro_f1"] for f in scv["folds"]], **per_fold}
            out["check"]["shipped_same_folds"] = [sorted(f["test"]) for f in scv["folds"]] == fold_tests
    else:  # no card with scores: run fazhi's cross-validation here
        from fazhi.learning.train import cross_validate_labels
        from fazhi.labels.load import load_labels
        from common import LABELS_CSV

        log("  quality: no cross-validation in the card; running fazhi's cross_validate here")
        res = cross_validate_labels(load_labels([str(LABELS_CSV)]), blind=False)
        out["systems"] = {"fazhi": _summary(res.systems["fazhi"]), **out["systems"]}
        out["per_fold"] = {"fazhi": [f["macro_f1"] for f in res.folds], **per_fold}
        out["fazhi_params"] = [f.get("params", {}) for f in res.folds]
        out["fazhi_source"] = "fazhi.learning.train.cross_validate_labels in the bench process"
        out["check"]["same_folds"] = [sorted(f["test"]) for f in res.folds] == fold_tests
    return out


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
