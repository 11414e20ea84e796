"""Base labels beside a user's own: the labels the shipped model learned from, with the
user's label winning wherever the same text under the same section is labeled in both."""
from dataclasses import dataclass, field

from fazhi.labels.load import LabeledSet, load_labels
from fazhi.units.normalize import fold
from fazhi.vocab import Unit


def base_paths() -> list[str]:
    """The base labels files installed with the package (``fazhi/base/``)."""
    from importlib.resources import files

    from fazhi.base import FILES

    folder = files("fazhi.base")
    return [str(folder / name) for name in FILES]


def unit_key(unit: Unit) -> tuple[str, str]:
    """What makes two labeled units the same: the normalized text and section."""
    return unit.norm, fold(unit.section)


@dataclass
class Merged:
    """The user's labeled units and the base's, and what the user's replaced."""

    labeled: LabeledSet
    base: LabeledSet
    overridden: int = 0  # base units dropped: the user labeled the same text under the same section
    changed: int = 0  # of those, how many the user labeled otherwise
    replaced_reports: list[str] = field(default_factory=list)  # base reports whose doc_id the user's files carry


def overridden_rows(base_units: list[Unit], base_labels: list[str], user_labels: dict[tuple[str, str], str]) -> list[int]:
    """Indices of the labeled base units whose key the user labeled too."""
    return [i for i, (u, lab) in enumerate(zip(base_units, base_labels)) if lab and unit_key(u) in user_labels]


def with_base(user: LabeledSet, base: LabeledSet) -> Merged:
    """The user's rows and the base's rows the user did not override, base rows fit-only.

    A base report whose doc_id also names one of the user's reports gives way whole: the
    user's copy of it replaces it (two reports never share a doc_id)."""
    labels = {unit_key(u): lab for u, lab in zip(user.units, user.labels) if lab}
    drop = set(overridden_rows(base.units, base.labels, labels))
    changed = sum(1 for i in drop if labels[unit_key(base.units[i])] != base.labels[i])
    user_docs = {u.doc_id for u in user.units}
    replaced = sorted({u.doc_id for u in base.units if u.doc_id in user_docs})
    keep = [i for i, u in enumerate(base.units) if i not in drop and u.doc_id not in user_docs]
    kept = base.subset(keep)
    merged = LabeledSet(
        units=user.units + kept.units,
        labels=user.labels + kept.labels,
        where=user.where + kept.where,
        extra=user.extra + kept.extra,
        files=user.files + kept.files,
        sha256={**user.sha256, **kept.sha256},
        fit_only=[False] * len(user.units) + [True] * len(kept.units),
    )
    merged.cross_report_conflicts = user.cross_report_conflicts
    return Merged(merged, base, overridden=len(drop), changed=changed, replaced_reports=replaced)


def load_with_base(paths: list[str], base: list[str] | None = None) -> Merged:
    """The user's labels files with the base labels (``base_paths()`` by default)."""
    return with_base(load_labels(paths), load_labels(base or base_paths()))
