"""Rows of a labels CSV: units written out to be labeled, a file read back, rows turned into units."""
import csv
import io
import os

from fazhi.errors import FazhiError
from fazhi.vocab import CONTENT, NON_CONTENT, SKIP, Unit

COLUMNS = ["doc_id", "sent_id", "section", "text", "label", "note"]


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


def read_csv(path: str) -> tuple[list[str], list[dict], str]:
    """(columns, rows, text) of a labels CSV in any encoding fazhi reads; it must
    have ``text`` and ``label`` columns."""
    return read_csv_as_written(path)[:3]


def read_csv_as_written(path: str) -> tuple[list[str], list[dict], str, str, bytes]:
    """``read_csv`` and how the file was written: its codec and byte order mark."""
    from fazhi.reading.text import detect, read_bytes

    data = read_bytes(path, "labels CSV")
    if not data.strip():
        raise FazhiError("empty file", path)
    text, codec, bom = detect(data, path)
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
    return columns, rows, text, codec, bom


def row_text(row: dict) -> str:
    return (row.get("text") or "").strip()


def row_label(row: dict) -> str:
    return (row.get("label") or "").strip().lower()


def note_kind(row: dict) -> str:
    """The non-content kind ``fazhi segment`` wrote in ``note`` ("title" or "title; why"), else ""."""
    head = (row.get("note") or "").split(";")[0].strip()
    return head if head in NON_CONTENT else ""


def row_kind(row: dict) -> str:
    """The kind in ``note``; else ``furniture`` for a row labeled skip (judged not report
    content); else ``content``."""
    return note_kind(row) or ("furniture" if row_label(row) == SKIP else CONTENT)


def rows_to_units(rows: list[dict], path: str = "") -> tuple[list[Unit], list[int]]:
    """Units of the rows that have text, and for each the index of its row: the one way
    labels rows become units. Rows without doc_ids are one-unit reports ``FILE#ROW``; a
    report written in traditional characters gets simplified ``norm``s."""
    from fazhi.units.script import is_traditional
    from fazhi.units.segment import make_unit

    stem = os.path.splitext(os.path.basename(path))[0] or "-"
    has_doc = bool(rows) and all((r.get("doc_id") or "").strip() for r in rows)
    found = []
    for i, row in enumerate(rows):
        if not row_text(row):
            continue
        if has_doc:
            try:
                sent_id = int(row.get("sent_id") or i)
            except ValueError:
                raise FazhiError(f"sent_id is not a number on line {i + 2}: {row.get('sent_id')!r}", path) from None
            doc_id = row["doc_id"].strip()
        else:
            doc_id, sent_id = f"{stem}#{i}", 0
        found.append((i, doc_id, sent_id))
    texts: dict[str, list[str]] = {}
    for i, doc_id, _ in found:
        texts.setdefault(doc_id, []).append(row_text(rows[i]))
    traditional = {d for d, t in texts.items() if is_traditional("".join(t))}
    units = [
        make_unit(
            doc_id=doc_id, sent_id=sent_id, text=row_text(rows[i]), section=(rows[i].get("section") or "").strip(),
            kind=row_kind(rows[i]), simplify=doc_id in traditional,
        )  # fmt: skip
        for i, doc_id, sent_id in found
    ]
    return units, [i for i, _, _ in found]
