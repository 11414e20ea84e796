"""Promises kept: each plan of an issuer's year-N report, linked to the achievement and
metric units of the same issuer's year-N+1 report that carry it out — or "no trace".

A plan and an outcome are compared on their characters and character pairs
(:mod:`fazhi.corpus.text`), weighted by TF-IDF over the plans and outcomes of every
report that has a neighbour year (so asking for one issuer changes no score). The score is
the geometric mean of the cosine and of the plan's coverage (the share of the plan's
weight whose terms the outcome also uses): an outcome must say most of what the plan
said, whatever else it says. A plan is kept when its best outcome scores at least
``min_score``; outcomes within ``margin`` of the best are linked too (at most three).
"""
from collections import defaultdict

from fazhi.corpus.schema import DEFAULT_DB, connect
from fazhi.corpus.text import STATEMENTS, is_statement, issuer_key, vectorizer

MIN_SCORE = 0.3
MARGIN = 0.9
MAX_LINKS = 3
IDF_REPORTS = 500  # term weights are fitted on at most about this many reports
BATCH = 200  # year pairs read and vectorized at once
KEPT, NO_TRACE = "kept", "no trace"
COLUMNS = ("issuer", "year", "status", "score", "plan", "evidence", "plan_doc", "plan_sent", "evidence_doc",
           "evidence_sent", "links")  # fmt: skip


def year_pairs(conn) -> list[tuple[str, int, list[int], list[int]]]:
    """``(issuer, N, year-N report ids, year-N+1 report ids)`` for every issuer with reports
    of consecutive years."""
    by_issuer: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}
    rows = conn.execute("SELECT report_id, issuer, year FROM reports WHERE issuer IS NOT NULL AND year IS NOT NULL ORDER BY year, report_id")
    for report_id, name, year in rows:
        key = issuer_key(name)
        by_issuer[key][year].append(report_id)
        names[key] = name  # the latest year's spelling
    return [
        (names[key], year, years[year], years[year + 1])
        for key, years in sorted(by_issuer.items())
        for year in sorted(years)
        if year + 1 in years
    ]  # fmt: skip


def _units(conn, report_ids: list[int], labels: tuple[str, ...]) -> list[tuple]:
    """``(report_id, doc_id, sent_id, text, label)`` of the statements of these reports with these labels."""
    out = []
    for a in range(0, len(report_ids), 500):
        chunk = report_ids[a : a + 500]
        query = (
            f"{STATEMENTS} WHERE p.report_id IN ({','.join('?' * len(chunk))}) "
            f"AND p.label IN ({','.join('?' * len(labels))}) ORDER BY p.report_id, p.sent_id"
        )
        for report_id, label, doc, sent, text, *rest in conn.execute(query.replace("SELECT r.doc_id,", "SELECT r.report_id, p.label, r.doc_id,"), (*chunk, *labels)):
            if is_statement(text, *rest):
                out.append((report_id, doc, sent, text, label))
    return out


def scores(P, O):
    """The plan × outcome score matrix of TF-IDF rows: sqrt(cosine × coverage)."""
    import numpy as np

    cosine = (P @ O.T).toarray()
    present = (O > 0).astype(np.float32)
    coverage = (P @ present.T).toarray() / np.maximum(np.asarray(P.sum(axis=1)), 1e-9)
    return np.sqrt(np.clip(cosine * coverage, 0.0, None))


def _link(issuer, year, plans, outcomes, S, min_score: float) -> list[dict]:
    import numpy as np

    out = []
    for i, (doc, sent, text) in enumerate(plans):
        order = np.argsort(-S[i], kind="stable") if outcomes else []
        best = float(S[i, order[0]]) if outcomes else 0.0
        links = [int(j) for j in order[:MAX_LINKS] if S[i, j] >= min_score and S[i, j] >= MARGIN * best]
        top = outcomes[links[0]] if links else (None, None, None)
        out.append({
            "issuer": issuer, "year": year, "status": KEPT if links else NO_TRACE, "score": round(best, 4),
            "plan": text, "evidence": top[2] or "", "plan_doc": doc, "plan_sent": sent,
            "evidence_doc": top[0], "evidence_sent": top[1],
            "links": [{"doc": outcomes[j][0], "sent": outcomes[j][1], "score": round(float(S[i, j]), 4)} for j in links],
        })  # fmt: skip
    return out


def _fitted(conn, pairs) -> object:
    """The TF-IDF, fitted on the statements of every report that takes part in a year pair
    (every ``step``-th report when there are more than ``IDF_REPORTS``): the same weights
    whichever issuer is asked for."""
    ids = sorted({i for _, _, a, b in pairs for i in a + b})
    step = max(1, len(ids) // IDF_REPORTS)
    texts = [u[3] for u in _units(conn, ids[::step], ("plan", "achievement", "metric"))] if ids else []
    return vectorizer().fit(texts) if texts else None


def corpus_promises(*, db: str = DEFAULT_DB, issuer: str | None = None, min_score: float = MIN_SCORE) -> list[dict]:
    """One row per plan of a year-N report whose issuer also has a year-N+1 report:
    kept (with its best evidence and every link) or no trace, with the best score."""
    conn = connect(db, create=False)
    try:
        pairs = year_pairs(conn)
        vec = _fitted(conn, pairs)
        chosen = [p for p in pairs if issuer is None or issuer_key(p[0]) == issuer_key(issuer)]
        rows = []
        for a in range(0, len(chosen), BATCH):
            rows += _batch(conn, vec, chosen[a : a + BATCH], min_score)
    finally:
        conn.close()
    return rows


def _batch(conn, vec, pairs, min_score: float) -> list[dict]:
    """The rows of some year pairs: their units read and vectorized at once."""
    ids = sorted({i for _, _, a, b in pairs for i in a + b})
    units = _units(conn, ids, ("plan", "achievement", "metric"))
    if not units:
        return []
    X = vec.transform([u[3] for u in units])
    by_report: dict[int, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        by_report[u[0]].append(i)
    rows = []
    for name, year, a, b in pairs:
        plans = [i for r in a for i in by_report[r] if units[i][4] == "plan"]
        outcomes = [i for r in b for i in by_report[r] if units[i][4] != "plan"]
        if plans:
            S = scores(X[plans], X[outcomes]) if outcomes else None
            rows += _link(name, year, [units[i][1:4] for i in plans], [units[i][1:4] for i in outcomes], S, min_score)
    return rows


def kept_by_issuer(rows: list[dict]) -> list[dict]:
    """Per issuer and year: plans, kept, no trace, and the share kept."""
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        counts[(r["issuer"], r["year"])][r["status"] == KEPT] += 1
    return [
        {"issuer": k[0], "year": k[1], "plans": a + b, "kept": b, "no_trace": a, "kept_share": round(b / (a + b), 4)}
        for k, (a, b) in sorted(counts.items())
    ]  # fmt: skip


def flat(row: dict) -> dict:
    """The row with its links joined (doc#sent:score;…), for CSV and xlsx."""
    return {**row, "links": ";".join(f"{x['doc']}#{x['sent']}:{x['score']}" for x in row["links"])}


def brief(row: dict) -> dict:
    """The columns a terminal table shows."""
    return {k: row[k] for k in ("issuer", "year", "status", "score", "plan", "evidence")}
