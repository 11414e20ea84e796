"""The order in which the labeler asks: which unlabeled units first.

Every order ranks candidates (unlabeled units with the model's probabilities) and may
take into account the units already labeled (``taken``), so that a resumed session or
a refit in the loop goes on where the labels so far leave off. ``bench/adapt.py``
measures what each order is worth; ``DEFAULT_ORDER`` is the one that paid best there.

- ``file``: as the units stand in the file;
- ``random``: shuffled (fixed seed: a resumed session asks in the same order);
- ``uncertain``: by increasing margin (top probability minus the runner-up's);
- ``diverse``: margin with diversity: units clustered by their characters, each round
  takes the least sure unit of every cluster, a unit's margin counting up with how many
  units of its report and of its section are already taken;
- ``balanced``: label-balanced uncertainty: the least sure unit of the label (as the
  model guesses it) that has the fewest labeled units so far, in turn.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from fazhi.vocab import LABELS

ORDERS = ("file", "random", "uncertain", "diverse", "balanced")
NEEDS_MODEL = ("uncertain", "diverse", "balanced")
# measured by bench/adapt.py (bench/README.md): on shapes-test as a user's reports, no order
# built on the model's uncertainty beat a random one in the first 200 labels
DEFAULT_ORDER = "random"
CLUSTER_SIZE = 10  # candidates per cluster of similar units, at most MAX_CLUSTERS clusters
MAX_CLUSTERS = 50
SPREAD = 0.05  # margin added per unit already taken from the same report, and again from the same section


@dataclass
class Candidate:
    """One unit as the orders see it."""

    key: int  # the row (or index) it stands for
    doc_id: str
    section: str
    text: str  # normalized text
    probabilities: dict[str, float] | None = None  # the model's; None for a labeled unit
    label: str = ""  # its label, for a unit already labeled


def margin(probabilities: dict[str, float]) -> float:
    """Top probability minus the runner-up's: small means the model is unsure."""
    top = sorted(probabilities.values(), reverse=True) + [0.0, 0.0]
    return top[0] - top[1]


def rank(order: str, candidates: list[Candidate], *, taken: list[Candidate] = (), seed: int = 0) -> list[int]:
    """The keys of ``candidates`` in asking order (``file``: as given)."""
    if order == "file":
        return [c.key for c in candidates]
    if order == "random":
        keys = [c.key for c in candidates]
        random.Random(seed).shuffle(keys)
        return keys
    if order == "uncertain":
        return [c.key for c in sorted(candidates, key=lambda c: (margin(c.probabilities), c.key))]
    if order == "balanced":
        return _balanced(candidates, taken)
    if order == "diverse":
        return _diverse(candidates, taken, seed)
    raise ValueError(f"unknown order {order!r} (one of {', '.join(ORDERS)})")


def _balanced(candidates: list[Candidate], taken) -> list[int]:
    """Round-robin over the labels, fewest labeled first; the least sure unit of each guessed label."""
    queues = {lab: [] for lab in LABELS}
    for c in sorted(candidates, key=lambda c: (margin(c.probabilities), c.key)):
        queues[max(c.probabilities, key=c.probabilities.get)].append(c.key)
    have = {lab: sum(1 for t in taken if t.label == lab) for lab in LABELS}
    heads = {lab: 0 for lab in LABELS}
    out = []
    while len(out) < len(candidates):
        lab = min((lab for lab in LABELS if heads[lab] < len(queues[lab])), key=lambda lab: (have[lab], LABELS.index(lab)))
        out.append(queues[lab][heads[lab]])
        heads[lab] += 1
        have[lab] += 1
    return out


def clusters(texts: list[str], k: int, seed: int = 0) -> list[int]:
    """Cluster of each text: k-means over character 1-3-gram TF-IDF."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(texts) <= k:
        return list(range(len(texts)))
    if k <= 1:
        return [0] * len(texts)
    matrix = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True).fit_transform(texts)
    return KMeans(n_clusters=k, n_init=1, random_state=seed).fit_predict(matrix).tolist()


def _diverse(candidates: list[Candidate], taken, seed: int) -> list[int]:
    """Rounds over clusters: in each, the unit of lowest spread margin; clusters least covered first."""
    every = list(candidates) + list(taken)
    k = min(MAX_CLUSTERS, max(1, len(every) // CLUSTER_SIZE))
    of = clusters([c.text for c in every], k, seed)
    covered, per_report, per_section = {}, {}, {}

    def take(c, cl):
        covered[cl] = covered.get(cl, 0) + 1
        per_report[c.doc_id] = per_report.get(c.doc_id, 0) + 1
        per_section[(c.doc_id, c.section)] = per_section.get((c.doc_id, c.section), 0) + 1

    for c, cl in zip(every[len(candidates) :], of[len(candidates) :]):
        take(c, cl)
    members: dict[int, list[tuple[float, int, Candidate]]] = {}
    for c, cl in zip(candidates, of):
        members.setdefault(cl, []).append((margin(c.probabilities), c.key, c))
    for pool in members.values():
        pool.sort(key=lambda m: (m[0], m[1]))
    out = []
    while members:
        for cl in sorted(members, key=lambda cl: (covered.get(cl, 0), members[cl][0][0], cl)):
            pool = members[cl]
            best, at = None, 0
            for i, (m, key, c) in enumerate(pool):  # by margin: stop once no penalty can catch up
                if best is not None and (m, key) > best:
                    break
                score = (m + SPREAD * (per_report.get(c.doc_id, 0) + per_section.get((c.doc_id, c.section), 0)), key)
                if best is None or score < best:
                    best, at = score, i
            _, _, chosen = pool.pop(at)
            out.append(chosen.key)
            take(chosen, cl)
        members = {cl: pool for cl, pool in members.items() if pool}
    return out


def row_candidates(
    rows: list[dict], probabilities: dict[int, dict[str, float]], *, needs_model: bool = True
) -> tuple[list[Candidate], list[Candidate]]:
    """(unlabeled rows, those the model scored if ``needs_model``; labeled rows) of a labels file."""
    from fazhi.labels.rows import row_label, row_text
    from fazhi.units.normalize import fold

    def make(i, row):
        return Candidate(
            key=i, doc_id=(row.get("doc_id") or "").strip(), section=fold((row.get("section") or "").strip()),
            text=fold(row_text(row)), probabilities=probabilities.get(i), label=row_label(row),
        )  # fmt: skip

    todo = [make(i, r) for i, r in enumerate(rows) if (i in probabilities or not needs_model) and row_text(r) and not row_label(r)]
    done = [make(i, r) for i, r in enumerate(rows) if row_text(r) and row_label(r)]
    return todo, done


def order_rows(order: str, rows: list[dict], probabilities: dict[int, dict[str, float]], *, seed: int = 0) -> list[int]:
    """Rows with text in asking order: the unlabeled ones the order ranks, then every other in file order."""
    from fazhi.labels.rows import row_text

    in_file = [i for i, row in enumerate(rows) if row_text(row)]
    if order == "file":
        return in_file
    todo, done = row_candidates(rows, probabilities, needs_model=order in NEEDS_MODEL)
    first = rank(order, todo, taken=done, seed=seed)
    ranked = set(first)
    return first + [i for i in in_file if i not in ranked]
