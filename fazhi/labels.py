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
