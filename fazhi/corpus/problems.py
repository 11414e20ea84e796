"""Recurring problems: the problem units of different reports, grouped by what they say.

Units are compared on TF-IDF of their characters and character pairs
(:mod:`fazhi.corpus.text`) and grouped by scikit-learn's average-linkage
``AgglomerativeClustering`` under a cosine distance threshold: a group's members are,
on average, closer than ``distance`` to each other. Above ``SAMPLE`` distinct texts the
groups are formed on a fixed random sample of that size and every other unit joins the
group whose centroid is nearest, when it is nearer than ``distance`` (else it stands
alone): memory and time stay bounded on a corpus of millions of units.

A group is named by its top terms (jieba words frequent in the group and rare among
all problems) and its most central sentence (the member nearest the group's centroid).
"""
from collections import Counter, defaultdict

from fazhi.corpus.schema import DEFAULT_DB, connect
from fazhi.corpus.text import STATEMENTS, is_statement

DISTANCE = 0.9
SAMPLE = 4000
MIN_REPORTS = 2
TOP_TERMS = 5
_CHUNK = 8192
# words every admission uses, never a group's name
_GENERIC = set("存在 仍然 仍有 还有 现象 不够 不足 有待 不高 不强 不到位 部分 个别 少数 问题 工作 方面 一些 提高 提升 加强 进一步 较多 不同 等".split())


def _limits():
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)  # small dense algebra: threads only fight over the cores


def problem_statements(conn, *, level: str | None = None) -> list[dict]:
    """The problem units that state a problem, with their report's id, doc_id, issuer, year and level."""
    query = STATEMENTS.replace("SELECT r.doc_id,", "SELECT r.report_id, r.issuer, r.year, r.level, r.doc_id,")
    query += " WHERE p.label = 'problem'" + (" AND r.level = ?" if level else "")
    out = []
    for report_id, issuer, year, lvl, doc, sent, text, *rest in conn.execute(query, (level,) if level else ()):
        if is_statement(text, *rest):
            out.append({"report_id": report_id, "issuer": issuer, "year": year, "level": lvl, "doc_id": doc, "sent_id": sent, "text": text})
    return out


def _agglomerate(X, distance: float):
    """Group labels of the rows of X (L2-normalized) by average linkage under ``distance``."""
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering

    if X.shape[0] == 1:
        return np.zeros(1, dtype=int)
    D = np.clip(1.0 - (X @ X.T).toarray(), 0.0, 2.0)
    return AgglomerativeClustering(n_clusters=None, distance_threshold=distance, metric="precomputed",
                                   linkage="average").fit_predict(D)  # fmt: skip


def _centroids(X, labels, k: int):
    import numpy as np
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    member = sp.csr_matrix((np.ones(len(labels), dtype=np.float32), (labels, np.arange(len(labels)))), shape=(k, X.shape[0]))
    return normalize(member @ X)


def group_texts(texts: list[str], *, distance: float = DISTANCE, sample: int = SAMPLE, seed: int = 0):
    """``(labels, X, vectorizer)``: a group label per text (equal texts share one), the
    texts' TF-IDF rows and the fitted vectorizer."""
    import numpy as np

    from fazhi.corpus.text import vectorizer

    distinct, index = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
    with _limits():
        vec = vectorizer().fit(distinct if len(distinct) <= sample else distinct[np.random.RandomState(seed).choice(len(distinct), sample, replace=False)])
        X = vec.transform(distinct)
        n = X.shape[0]
        picked = np.arange(n) if n <= sample else np.sort(np.random.RandomState(seed).choice(n, sample, replace=False))
        labels = np.full(n, -1)
        labels[picked] = _agglomerate(X[picked], distance)
        rest = np.setdiff1d(np.arange(n), picked)
        if len(rest):
            k = labels.max() + 1
            C = _centroids(X[picked], labels[picked], k)
            for a in range(0, len(rest), _CHUNK):
                rows = rest[a : a + _CHUNK]
                sim = (X[rows] @ C.T).toarray()
                best = sim.argmax(axis=1)
                near = sim[np.arange(len(rows)), best] >= 1.0 - distance
                labels[rows] = np.where(near, best, -1)
            alone = labels == -1
            labels[alone] = labels.max() + 1 + np.arange(alone.sum())
    return labels[index], X[index], vec


def _terms(texts: list[str], background: Counter, n_background: int, top: int) -> list[str]:
    """Words frequent in ``texts`` and rare in the background (document frequencies)."""
    import math
    import re

    from fazhi.learning.words import jieba_words
    from fazhi.units.normalize import fold

    df: Counter = Counter()
    for t in texts:
        df.update({w for w in jieba_words(fold(t)) if len(w) > 1 and w not in _GENERIC and re.fullmatch(r"[\u4e00-\u9fff]+", w)})
    score = {w: c * math.log((1 + n_background) / (1 + background[w])) for w, c in df.items()}
    return [w for w, _ in sorted(score.items(), key=lambda x: (-x[1], x[0]))[:top]]


def _background(texts: list[str], seed: int = 0, size: int = 800) -> tuple[Counter, int]:
    import random
    import re

    from fazhi.learning.words import jieba_words
    from fazhi.units.normalize import fold

    chosen = random.Random(seed).sample(texts, min(size, len(texts)))
    df: Counter = Counter()
    for t in chosen:
        df.update({w for w in jieba_words(fold(t)) if re.fullmatch(r"[\u4e00-\u9fff]+", w)})
    return df, len(chosen)


def _describe(members: list[dict], X, rows, background, n_background) -> dict:
    import numpy as np
    from sklearn.preprocessing import normalize

    sub = X[rows]
    centre = normalize(np.asarray(sub.sum(axis=0)))
    central = members[int(np.argmax((sub @ centre.T).ravel()))]
    years = Counter(m["year"] for m in members if m["year"] is not None)
    return {
        "reports": len({m["report_id"] for m in members}),
        "issuers": len({m["issuer"] for m in members if m["issuer"]}),
        "units": len(members),
        "years": {str(y): years[y] for y in sorted(years)},
        "levels": dict(Counter(m["level"] or "unknown" for m in members).most_common()),
        "terms": _terms([m["text"] for m in members[:80]], background, n_background, TOP_TERMS),
        "sentence": central["text"],
        "sentence_doc": central["doc_id"],
        "members": [{"doc": m["doc_id"], "sent": m["sent_id"], "year": m["year"], "issuer": m["issuer"]} for m in members],
    }


def corpus_problems(*, db: str = DEFAULT_DB, min_reports: int = MIN_REPORTS, distance: float = DISTANCE,
                    level: str | None = None, top: int | None = None) -> list[dict]:
    """Groups of problems admitted by at least ``min_reports`` reports, most reports first
    (``top``: only the first so many), each with its reports, issuers, units, years,
    levels, top terms, most central sentence and members."""
    conn = connect(db, create=False)
    try:
        units = problem_statements(conn, level=level)
    finally:
        conn.close()
    if not units:
        return []
    labels, X, _ = group_texts([u["text"] for u in units], distance=distance)
    groups: dict[int, list[int]] = defaultdict(list)
    for i, g in enumerate(labels):
        groups[int(g)].append(i)
    recurring = [rows for rows in groups.values() if len({units[i]["report_id"] for i in rows}) >= min_reports]
    recurring.sort(key=lambda rows: (-len({units[i]["report_id"] for i in rows}), -len(rows), rows[0]))
    recurring = recurring[:top] if top else recurring
    background, n_background = _background([u["text"] for u in units])
    out = []
    with _limits():
        for rank, rows in enumerate(recurring, start=1):
            out.append({"group": rank, **_describe([units[i] for i in rows], X, rows, background, n_background)})
    return out


def flat(row: dict) -> dict:
    """A group as one CSV row: lists and counts joined."""
    return {
        **{k: row[k] for k in ("group", "reports", "issuers", "units")},
        "years": " ".join(f"{y}:{n}" for y, n in row["years"].items()),
        "levels": " ".join(f"{lv}:{n}" for lv, n in row["levels"].items()),
        "terms": " ".join(row["terms"]),
        "sentence": row["sentence"],
    }
