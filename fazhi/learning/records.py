"""Feature records: what the model reads about each unit, built from its report.

A record (``fazhi.vocab.Record``) is one unit with its context, so the whole
model is an ordinary scikit-learn Pipeline over a list of records. Context (section, neighbours, position, the
report's year and kind) comes from the other units of the same report;
``blind`` removes it all, leaving the sentence alone.
"""
import re

from fazhi.units.normalize import fold
from fazhi.vocab import Record, Unit

_YEAR = re.compile(r"(?<!\d)(20\d{2})(?:年|\s*年度)")
_TITLE = re.compile(r"《[^》]*》|<[^>]*>|〈[^〉]*〉|（\d{4}[-—–－]\d{4}年?）|\(\d{4}[-—–－]\d{4}年?\)|\d{4}[-—–－]\d{4}年?")
_KIND_RULES = (
    ("rectification", re.compile(r"整改")),
    ("news", re.compile(r"记者|本报讯|获悉|通讯员")),
    ("plan", re.compile(r"工作要点|工作安排|工作计划|工作思路|打算|任务清单")),
    ("report", re.compile(r"报告|总结|情况")),
)


def years_in(text: str) -> list[int]:
    """Years the unit speaks of, leaving out those inside titles and ranges (2021-2025)."""
    return [int(y) for y in _YEAR.findall(_TITLE.sub(" ", text))]


def report_year(doc_id: str, units: list[Unit]) -> int | None:
    """The year the report is about: from its title, else its file name, else its opening."""
    titles = [u.norm for u in units if u.kind == "title"]
    for text in titles:
        found = years_in(text) or [int(y) for y in re.findall(r"(?<!\d)(20\d{2})(?!\d)", text)]
        if found:
            return min(found)  # "2021年总结和2022年安排" is about 2021
    m = re.search(r"(?<!\d)(20\d{2})(?!\d)", doc_id)
    if m:
        return int(m.group(1))
    opening = [y for u in units[:4] if u.is_content for y in years_in(u.norm)]
    return min(opening) if opening else None


def report_kind(units: list[Unit]) -> str:
    """plan, rectification, news or report — from the report's title lines only; "" when it
    has none. A word in the body (工作要点 in the opening sentence) never sets the kind:
    it is a prior for every unit, and one keyword must not turn a report into a plan."""
    head = " ".join(u.norm for u in units if u.kind == "title")
    for kind, pattern in _KIND_RULES:
        if pattern.search(head):
            if kind == "plan" and re.search(r"总结|报告|情况", head):
                return "report"  # a summary with next year's plan attached
            return kind
    return ""


def report_records(units: list[Unit], *, blind: bool = False) -> list[Record]:
    """One record per content unit of one report, in order."""
    content = [u for u in units if u.is_content]
    n = len(content)
    doc_id = content[0].doc_id if content else ""
    year = report_year(doc_id, units)
    kind = report_kind(units)
    out = []
    for i, u in enumerate(content):
        years = years_in(u.norm)
        record = Record(
            text=u.norm,
            section=fold(u.section),
            prev=content[i - 1].norm if i > 0 else "",
            next=content[i + 1].norm if i + 1 < n else "",
            position=i / (n - 1) if n > 1 else -1.0,
            is_heading=u.is_heading,
            figures=len(u.figures),
            doc=doc_id,
            doc_kind=kind,
            year_future=bool(year and any(y > year for y in years)),
            year_same=bool(year and any(y == year for y in years)),
            year_known=year is not None,
        )
        out.append(record.blind() if blind else record)
    return out


def records_by_report(units: list[Unit], *, blind: bool = False) -> tuple[list[Record], list[int]]:
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
        records += report_records([units[i] for i in idx], blind=blind)
        index += content
    return records, index
