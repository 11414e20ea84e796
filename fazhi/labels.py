"""The labels file: units written out to be labeled, and labeled units read back."""
import csv
import io

from fazhi.units import Unit

COLUMNS = ["doc_id", "sent_id", "section", "text", "label", "note"]
VALID = ("achievement", "metric", "problem", "plan", "skip")


def unit_rows(units: list[Unit]) -> list[dict]:
    """Rows of the labels schema with empty labels; non-content units say their kind in ``note``."""
    return [
        {
            "doc_id": u.doc_id,
            "sent_id": u.sent_id,
            "section": u.section,
            "text": u.text,
            "label": "",
            "note": "" if u.is_content else u.kind,
        }
        for u in units
    ]


def write_rows(rows: list[dict], f: io.TextIOBase, columns: list[str] = COLUMNS) -> None:
    writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


# --- reading labeled units back -------------------------------------------------

import hashlib
import os
from dataclasses import dataclass, field

from fazhi.errors import FazhiError

LABELS = ("achievement", "metric", "problem", "plan")
NON_CONTENT = ("title", "signature", "date", "furniture")


@dataclass
class LabeledSet:
    """Labeled units from one or more labels files, grouped into reports in order."""

    units: list[Unit] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # "" for unlabeled rows
    where: list[str] = field(default_factory=list)  # "file:line" of each row
    files: list[str] = field(default_factory=list)
    sha256: dict[str, str] = field(default_factory=dict)

    def trainable(self) -> list[int]:
        """Indices of rows the model learns from: labeled, not skip, content."""
        return [i for i, lab in enumerate(self.labels) if lab in LABELS]

    def counts(self) -> dict[str, int]:
        idx = self.trainable()
        return {lab: sum(1 for i in idx if self.labels[i] == lab) for lab in LABELS}


def read_csv(path: str) -> tuple[list[str], list[dict], str]:
    """(columns, rows, text) of a labels CSV in any encoding fazhi reads; it must
    have ``text`` and ``label`` columns."""
    from fazhi.read import decode, read_bytes

    data = read_bytes(path, "labels CSV")
    if not data.strip():
        raise FazhiError("empty file", path)
    text = decode(data, path)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = list(reader)
        columns = list(reader.fieldnames or [])
    except csv.Error as e:
        raise FazhiError(f"not a readable CSV: {e}", path) from None
    missing = [c for c in ("text", "label") if c not in columns]
    if missing:
        found = ", ".join(sorted(c for c in columns if c)) or "none"
        raise FazhiError(f"missing column(s) {', '.join(missing)} (found: {found})", path)
    return columns, rows, text


def _rows_list(lines: list[int], limit: int = 8) -> str:
    shown = ", ".join(map(str, lines[:limit]))
    return shown + (f" and {len(lines) - limit} more" if len(lines) > limit else "")


def load_labels(paths: list[str], allow_unlabeled: bool = True) -> LabeledSet:
    """Read labels CSVs (``doc_id,sent_id,section,text,label,note`` or just ``text,label``).

    Rows are validated: both columns present, labels in the guide's set, no empty
    text, no duplicate (doc_id, sent_id), the same text under the same section never
    with two labels.
    """
    from fazhi.normalize import fold

    out = LabeledSet()
    seen_text: dict[tuple[str, str], tuple[str, str]] = {}
    for path in paths:
        columns, rows, _ = read_csv(path)
        with open(path, "rb") as f:
            out.sha256[path] = hashlib.sha256(f.read()).hexdigest()
        out.files.append(path)
        stem = os.path.splitext(os.path.basename(path))[0]
        has_doc = "doc_id" in columns and all((r.get("doc_id") or "").strip() for r in rows)
        bad_label, empty_text, keys = [], [], set()
        first_unit = len(out.units)
        for i, row in enumerate(rows):
            line = i + 2
            text = (row.get("text") or "").strip()
            label = (row.get("label") or "").strip().lower()
            if not text:
                empty_text.append(line)
                continue
            if label and label not in VALID:
                bad_label.append((line, label))
                continue
            if not label and not allow_unlabeled:
                bad_label.append((line, "(empty)"))
                continue
            if has_doc:
                doc_id = row["doc_id"].strip()
                try:
                    sent_id = int(row.get("sent_id") or i)
                except ValueError:
                    raise FazhiError(f"sent_id is not a number on line {line}: {row.get('sent_id')!r}", path) from None
            else:
                doc_id, sent_id = f"{stem}#{i}", 0
            if (doc_id, sent_id) in keys:
                raise FazhiError(f"duplicate (doc_id, sent_id) ({doc_id}, {sent_id}) on line {line}", path)
            keys.add((doc_id, sent_id))
            norm = fold(text)
            section = (row.get("section") or "").strip()
            if label in LABELS:
                # the same words may be a plan in one section and an achievement in
                # another; under the same section (or with none) they must agree
                key = (norm, fold(section))
                other = seen_text.get(key)
                if other and other[0] != label:
                    raise FazhiError(
                        f"the same text has two labels: {other[1]} ({other[0]}) and line {line} ({label}): {text[:30]}",
                        path,
                    )
                seen_text.setdefault(key, (label, f"{os.path.basename(path)} line {line}"))
            note = (row.get("note") or "").strip()
            head = note.split(";")[0].strip()
            kind = head if head in NON_CONTENT else "content"  # "title; why" from segment
            if label == "skip" and kind == "content":
                kind = "furniture"  # judged not report content
            out.units.append(
                Unit(doc_id=doc_id, sent_id=sent_id, section=section, text=text, norm=norm, kind=kind)
            )
            out.labels.append(label)
            out.where.append(f"{path}:{line}")
        _simplify_traditional(out, first_unit)
        if empty_text:
            raise FazhiError(f"empty text on line(s) {_rows_list(empty_text)}", path)
        if bad_label:
            lines = [ln for ln, _ in bad_label]
            names = sorted({lab for _, lab in bad_label})
            raise FazhiError(
                f"unknown label {', '.join(names)} on line(s) {_rows_list(lines)} (expected one of {', '.join(VALID)})",
                path,
            )
    if not out.trainable():
        raise FazhiError("no labeled rows (labels: " + ", ".join(LABELS) + ")", ", ".join(paths))
    return out


def _simplify_traditional(out: LabeledSet, start: int) -> None:
    """Units of reports written in traditional characters get a simplified ``norm``."""
    from fazhi.normalize import fold
    from fazhi.report import is_traditional

    docs: dict[str, list[Unit]] = {}
    for u in out.units[start:]:
        docs.setdefault(u.doc_id, []).append(u)
    for units in docs.values():
        if is_traditional("".join(u.text for u in units)):
            for u in units:
                u.norm = fold(u.text, simplify=True)
