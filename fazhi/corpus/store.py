"""Rows in and out of the corpus database: one report, its units and predictions, in one
transaction — a run killed half-way leaves the report whole or absent."""
import datetime as dt

from fazhi.corpus.schema import META_FIELDS, transaction
from fazhi.units.segment import make_unit
from fazhi.vocab import LABELS, Report, Unit, bucket_counts

_PRED_COLUMNS = ("report_id", "sent_id", "label", "confidence", *(f"p_{lab}" for lab in LABELS))
_INSERT_PRED = f"INSERT INTO predictions ({', '.join(_PRED_COLUMNS)}) VALUES ({', '.join('?' * len(_PRED_COLUMNS))})"
_INSERT_UNIT = 'INSERT INTO units (report_id, sent_id, section, text, kind, is_heading, start, "end", figures) VALUES (?,?,?,?,?,?,?,?,?)'


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _unit_row(report_id: int, u: Unit) -> tuple:
    figures = ";".join(u.figures) or None
    return (report_id, u.sent_id, u.section, u.text, u.kind, int(u.is_heading), u.start, u.end, figures)


def _prediction_rows(report_id: int, predictions) -> list[tuple]:
    return [
        (report_id, p.sent_id, p.label, p.confidence, *(getattr(p, f"p_{lab}") for lab in LABELS))
        for p in predictions
    ]  # fmt: skip


def _counts(predictions) -> dict:
    return {"n_units": len(predictions), **bucket_counts(p.label for p in predictions)}


def write_report(conn, *, path: str, report: Report, predictions, meta: dict, file_sha256: str,
                 card_sha256: str, traditional: bool) -> int:
    """Store one classified report, replacing any report stored from the same path; its id."""
    stamp = now()
    columns = {
        "path": path, "doc_id": report.doc_id, "title": " ".join(u.text for u in report.units if u.kind == "title") or None,
        "file_sha256": file_sha256, "card_sha256": card_sha256, "traditional": int(traditional),
        **{k: v for f in META_FIELDS for k, v in ((f, meta[f][0]), (f"{f}_from", meta[f][1]))},
        **_counts(predictions), "added_at": stamp, "classified_at": stamp,
    }  # fmt: skip
    names = ", ".join(columns)
    with transaction(conn):
        conn.execute("DELETE FROM reports WHERE path = ?", (path,))
        cur = conn.execute(f"INSERT INTO reports ({names}) VALUES ({', '.join('?' * len(columns))})", tuple(columns.values()))
        report_id = cur.lastrowid
        conn.executemany(_INSERT_UNIT, [_unit_row(report_id, u) for u in report.units])
        conn.executemany(_INSERT_PRED, _prediction_rows(report_id, predictions))
    return report_id


def replace_predictions(conn, report_id: int, predictions, card_sha256: str) -> None:
    """New predictions for a stored report (``corpus update``), in one transaction."""
    counts = _counts(predictions)
    sets = ", ".join(f"{k} = ?" for k in counts)
    with transaction(conn):
        conn.execute("DELETE FROM predictions WHERE report_id = ?", (report_id,))
        conn.executemany(_INSERT_PRED, _prediction_rows(report_id, predictions))
        conn.execute(
            f"UPDATE reports SET {sets}, card_sha256 = ?, classified_at = ? WHERE report_id = ?",
            (*counts.values(), card_sha256, now(), report_id),
        )


def set_meta(conn, report_id: int, meta: dict) -> None:
    """Set metadata fields of a stored report: ``{field: (value, source)}``."""
    if not meta:
        return
    sets = ", ".join(f"{f} = ?, {f}_from = ?" for f in meta)
    values = [x for f in meta for x in meta[f]]
    with transaction(conn):
        conn.execute(f"UPDATE reports SET {sets} WHERE report_id = ?", (*values, report_id))


def stored_units(conn, report_id: int) -> list[Unit]:
    """The units of a stored report, rebuilt as the segmenter made them."""
    doc_id, traditional = conn.execute("SELECT doc_id, traditional FROM reports WHERE report_id = ?", (report_id,)).fetchone()
    rows = conn.execute(
        'SELECT sent_id, section, text, kind, is_heading, start, "end" FROM units WHERE report_id = ? ORDER BY sent_id',
        (report_id,),
    )
    units = []
    for sent_id, section, text, kind, is_heading, start, end in rows:
        u = make_unit(doc_id=doc_id, sent_id=sent_id, text=text, section=section, kind=kind,
                      simplify=bool(traditional), start=start, end=end)  # fmt: skip
        u.is_heading = bool(is_heading)
        units.append(u)
    return units
