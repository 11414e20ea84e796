"""Labeled units read back from labels CSVs, validated, grouped into reports."""
import hashlib
import os
from dataclasses import dataclass, field

from fazhi.errors import FazhiError
from fazhi.labels.rows import COLUMNS as SCHEMA
from fazhi.labels.rows import read_csv, row_label, rows_to_units
from fazhi.units.normalize import fold
from fazhi.vocab import LABELS, VALID, Unit, bucket_counts


@dataclass
class LabeledSet:
    """Labeled units from one or more labels files, grouped into reports in order."""

    units: list[Unit] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # "" for unlabeled rows
    where: list[str] = field(default_factory=list)  # "file:line" of each row
    extra: list[dict] = field(default_factory=list)  # each row's columns beyond the schema (kind …)
    files: list[str] = field(default_factory=list)
    sha256: dict[str, str] = field(default_factory=dict)
    cross_report_conflicts: int = 0  # texts labeled one way in one report, another way in another
    fit_only: list[bool] = field(default_factory=list)  # rows fitted on, never scored (the base labels); empty: none

    def is_fit_only(self, i: int) -> bool:
        return bool(self.fit_only) and self.fit_only[i]

    def trainable(self) -> list[int]:
        """Indices of rows the model learns from: labeled, not skip, content."""
        return [i for i, lab in enumerate(self.labels) if lab in LABELS]

    def counts(self) -> dict[str, int]:
        return bucket_counts(self.labels[i] for i in self.trainable())

    def subset(self, keep: list[int]) -> "LabeledSet":
        """The rows at ``keep``, with the same files."""
        pick = lambda xs: [xs[i] for i in keep]  # noqa: E731
        fit_only = pick(self.fit_only) if self.fit_only else []
        return LabeledSet(pick(self.units), pick(self.labels), pick(self.where), pick(self.extra), self.files, self.sha256, fit_only=fit_only)

    def columns(self) -> list[str]:
        """The extra columns every row has (``kind`` in written documents)."""
        names = [set(e) for e in self.extra]
        return sorted(set.intersection(*names)) if names else []


def _rows_list(lines: list[int], limit: int = 8) -> str:
    shown = ", ".join(map(str, lines[:limit]))
    return shown + (f" and {len(lines) - limit} more" if len(lines) > limit else "")


def load_labels(paths: list[str]) -> LabeledSet:
    """Read labels CSVs (``doc_id,sent_id,section,text,label,note`` or just ``text,label``).

    Rows are validated: both columns present, labels in the guide's set, no empty
    text, no duplicate (doc_id, sent_id) across all the files, and within one report
    the same text under the same section never with two labels. Across reports it may
    differ (a heading opens achievements in one report and plans in a work plan); the
    set counts those texts.
    """
    out = LabeledSet()
    keys: dict[tuple[str, int], str] = {}
    seen: dict[tuple[str, str, str], tuple[str, str]] = {}
    by_text: dict[tuple[str, str], set[str]] = {}
    for path in paths:
        _, rows, _ = read_csv(path)
        with open(path, "rb") as f:
            out.sha256[path] = hashlib.sha256(f.read()).hexdigest()
        out.files.append(path)
        _check_rows(rows, path)
        units, index = rows_to_units(rows, path)
        name = os.path.basename(path)
        has_doc = bool(rows) and all((r.get("doc_id") or "").strip() for r in rows)
        for u, i in zip(units, index):
            line, label = i + 2, row_label(rows[i])
            if (u.doc_id, u.sent_id) in keys:
                raise FazhiError(f"duplicate (doc_id, sent_id) ({u.doc_id}, {u.sent_id}) on line {line}, first at {keys[(u.doc_id, u.sent_id)]}", path)
            keys[(u.doc_id, u.sent_id)] = f"{name} line {line}"
            if label in LABELS:
                section = fold(u.section)
                key = (u.doc_id if has_doc else path, u.norm, section)  # a file without doc_ids is one scope
                other = seen.setdefault(key, (label, f"{name} line {line}"))
                if other[0] != label:
                    raise FazhiError(
                        f"the same text has two labels{f' in report {u.doc_id}' if has_doc else ''}: {other[1]} ({other[0]}) and line {line} ({label}): {u.text[:30]}",
                        path,
                    )
                by_text.setdefault((u.norm, section), set()).add(label)
            out.units.append(u)
            out.labels.append(label)
            out.where.append(f"{path}:{line}")
            out.extra.append({k: (v or "").strip() for k, v in rows[i].items() if k and k not in SCHEMA})
    if not out.trainable():
        raise FazhiError("no labeled rows (labels: " + ", ".join(LABELS) + ")", ", ".join(paths))
    out.cross_report_conflicts = sum(len(labels) > 1 for labels in by_text.values())
    return out


def _check_rows(rows: list[dict], path: str) -> None:
    """Every row has text and a label of the guide's set (or none)."""
    empty = [i + 2 for i, r in enumerate(rows) if not (r.get("text") or "").strip()]
    if empty:
        raise FazhiError(f"empty text on line(s) {_rows_list(empty)}", path)
    bad = [(i + 2, row_label(r)) for i, r in enumerate(rows) if row_label(r) and row_label(r) not in VALID]
    if bad:
        names = sorted({lab for _, lab in bad})
        raise FazhiError(
            f"unknown label {', '.join(names)} on line(s) {_rows_list([ln for ln, _ in bad])} (expected one of {', '.join(VALID)})",
            path,
        )
