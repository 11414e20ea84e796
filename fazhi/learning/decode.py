"""Block decoding: labels of a report come in runs (achievements, then problems,
then plans), so each unit's probabilities are smoothed with its neighbours' by
forward-backward over a transition matrix learned from the training reports.
"""
import numpy as np
from sklearn.pipeline import Pipeline

from fazhi.learning.hyper import DEFAULTS

SMOOTHING = 1.0  # added to every transition count


def block_statistics(records, y, classes, *, smoothing: float = SMOOTHING):
    """Transition matrix, start distribution and label prior from labeled reports."""
    index = {c: i for i, c in enumerate(classes)}
    k = len(classes)
    trans = np.full((k, k), smoothing)
    start = np.full(k, smoothing)
    prior = np.full(k, smoothing)
    for doc in _docs(records):
        labels = [index[y[i]] for i in doc]
        if not doc or not records[doc[0]].doc:
            continue
        start[labels[0]] += 1
        for a, b in zip(labels, labels[1:]):
            trans[a, b] += 1
    for label in y:
        prior[index[label]] += 1
    return trans / trans.sum(axis=1, keepdims=True), start / start.sum(), prior / prior.sum()


def _docs(records) -> list[list[int]]:
    """Row indices per report, in reading order; rows with no report stand alone."""
    groups: dict[str, list[int]] = {}
    alone = []
    for i, r in enumerate(records):
        if r.doc:
            groups.setdefault(r.doc, []).append(i)
        else:
            alone.append([i])
    ordered = [sorted(idx, key=lambda i: records[i].position) for idx in groups.values()]
    return ordered + alone


def forward_backward(proba, records, trans, start, prior, *, power: float = DEFAULTS["decode_power"]):
    """Posterior label probabilities of each unit given the whole report."""
    proba = np.asarray(proba, dtype=float)
    out = proba.copy()
    for doc in _docs(records):
        if len(doc) < 2:
            continue
        emit = np.clip(proba[doc], 1e-9, None) ** power / prior**power
        n, k = emit.shape
        alpha = np.zeros((n, k))
        beta = np.ones((n, k))
        a = start * emit[0]
        alpha[0] = a / a.sum()
        for t in range(1, n):
            a = (alpha[t - 1] @ trans) * emit[t]
            alpha[t] = a / a.sum()
        for t in range(n - 2, -1, -1):
            b = trans @ (emit[t + 1] * beta[t + 1])
            beta[t] = b / b.sum()
        post = alpha * beta
        out[doc] = post / post.sum(axis=1, keepdims=True)
    return out


def _sentence_field(part) -> bool:
    """A Field-then-vectorizer part over the unit's own text (``Record.blind`` keeps it)."""
    first = part.steps[0][1] if isinstance(part, Pipeline) else None
    return getattr(first, "key", None) == "text"


class BlockPipeline(Pipeline):
    """A Pipeline whose probabilities are block-decoded over each report's units.

    With ``sentence_first`` below 1, a unit whose sentence read alone (its context
    removed) reaches that probability takes the sentence's probabilities. With
    ``decode=False`` there is no decoding. Records must carry ``doc`` and
    ``position`` (see fazhi.learning.records); records without a report are left as they are.
    """

    def __init__(
        self, steps, *, decode: bool = DEFAULTS["decode"], power: float = DEFAULTS["decode_power"],
        sentence_first: float = DEFAULTS["sentence_first"], memory=None, verbose=False,
    ):  # fmt: skip
        super().__init__(steps, memory=memory, verbose=verbose)
        self.decode = decode
        self.power = power
        self.sentence_first = sentence_first

    def fit(self, X, y=None, **params):
        super().fit(X, y, **params)
        y = np.asarray(y)
        self.transitions_, self.start_, self.prior_ = block_statistics(X, y, list(self.classes_))
        return self

    def _features_and_blind(self, X):
        """The feature rows of the records and of the same records blind. Parts that read
        the sentence alone (``reads_sentence_only``) are computed once and used for both:
        the same matrices FeatureUnion.transform gives, at half the cost."""
        import scipy.sparse as sp

        for _, step in self.steps[:-2]:
            X = step.transform(X)
        union = self.steps[-2][1]
        weights = union.transformer_weights or {}
        blind = [r.blind() for r in X]
        full, alone = [], []
        for name, part in union.transformer_list:
            if part == "drop":
                continue
            a = part.transform(X)
            b = a if getattr(part, "reads_sentence_only", False) or _sentence_field(part) else part.transform(blind)
            w = weights.get(name)
            full.append(a * w if w is not None else a)
            alone.append(b * w if w is not None else b)
        return sp.hstack(full).tocsr(), sp.hstack(alone).tocsr()

    def stages(self, X, **params) -> dict:
        """Each step of ``predict_proba``: ``context``, the units read with their context;
        ``alone``, read alone (None with ``sentence_first`` 1); ``clear``, the units whose
        reading alone was taken; ``chosen``, the probabilities taken; ``final``, after
        block decoding."""
        alone, clear = None, None
        if self.sentence_first < 1.0 and self.steps[-2][0] == "features":
            full, alone_X = self._features_and_blind(X)
            context = self.steps[-1][1].predict_proba(full)
            alone = self.steps[-1][1].predict_proba(alone_X)
        else:
            context = super().predict_proba(X, **params)
            if self.sentence_first < 1.0:
                alone = super().predict_proba([r.blind() for r in X], **params)
        chosen = context.copy()
        if alone is not None:  # a clear sentence overrides its context
            clear = alone.max(axis=1) >= self.sentence_first
            chosen[clear] = alone[clear]
        final = forward_backward(chosen, X, self.transitions_, self.start_, self.prior_, power=self.power) if self.decode else chosen
        return {"context": context, "alone": alone, "clear": clear, "chosen": chosen, "final": final}

    def predict_proba(self, X, **params):
        return self.stages(X, **params)["final"]

    def predict(self, X, **params):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def score(self, X, y, sample_weight=None):
        from sklearn.metrics import accuracy_score

        return accuracy_score(y, self.predict(X), sample_weight=sample_weight)
