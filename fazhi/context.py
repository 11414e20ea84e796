"""Feature records: what the model reads about each unit, built from its report.

A record is a plain dict, so the whole model is an ordinary scikit-learn
Pipeline over a list of records. Context (section, neighbours, position) comes
from the other units of the same report; ``blind`` removes it all.
"""
from fazhi.figures import find_figures
from fazhi.normalize import fold
from fazhi.units import Unit

CONTEXT_FIELDS = ("section", "prev", "next")


def report_records(units: list[Unit], blind: bool = False) -> list[dict]:
    """One record per content unit of one report, in order."""
    content = [u for u in units if u.is_content]
    n = len(content)
    out = []
    for i, u in enumerate(content):
        record = {
            "text": u.norm,
            "section": fold(u.section),
            "prev": content[i - 1].norm if i > 0 else "",
            "next": content[i + 1].norm if i + 1 < n else "",
            "position": i / (n - 1) if n > 1 else -1.0,
            "is_heading": u.is_heading,
            "figures": len(find_figures(u.text)),
        }
        out.append(blind_record(record) if blind else record)
    return out


def blind_record(record: dict) -> dict:
    """The record with its section and every other piece of report context removed."""
    return {**record, **{k: "" for k in CONTEXT_FIELDS}, "position": -1.0}


def records_by_report(units: list[Unit], blind: bool = False) -> tuple[list[dict], list[int]]:
    """Records for units of many reports (grouped by doc_id, in sent_id order).

    Returns the records and, for each, the index of its unit in ``units``.
    """
    groups: dict[str, list[int]] = {}
    for i, u in enumerate(units):
        groups.setdefault(u.doc_id, []).append(i)
    records, index = [], []
    for idx in groups.values():
        idx.sort(key=lambda i: units[i].sent_id)
        content = [i for i in idx if units[i].is_content]
        records += report_records([units[i] for i in idx], blind)
        index += content
    return records, index
