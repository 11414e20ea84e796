"""Reports: read, cleaned, split where a file holds several, and segmented — the first
steps of every command."""
from fazhi.errors import FazhiError
from fazhi.reading.read import read_text
from fazhi.units import patterns as P
from fazhi.units.lines import TITLE_PART, Line, join_lines
from fazhi.units.normalize import report_lines
from fazhi.units.script import is_traditional
from fazhi.units.segment import segment
from fazhi.vocab import Report


def _title_at(lines: list[Line], i: int) -> int | None:
    """Where a report's title ending on line ``i`` starts: ``i``, or ``i - 1`` for an
    issuer set over its title ("青崖市人民政府" / "关于2021年度…的报告"); None for no title."""
    if P.REPORT_TITLE.match(lines[i].text):
        return i
    prev = lines[i - 1].text if i else ""
    if lines[i].text.startswith(("关于", "關於")) and TITLE_PART.match(prev) and P.REPORT_TITLE.match(prev + lines[i].text):
        return i - 1
    return None


def split_reports(lines: list[Line]) -> list[list[Line]]:
    """The reports in one text: a report's title line after content starts the next one,
    unless the report before names it in 《》 (a cover letter and what it sends)."""
    starts, seen = [0], False
    for i, ln in enumerate(lines):
        t = _title_at(lines, i) if seen else None
        if t is not None and t > starts[-1]:
            title = "".join(x.text for x in lines[t : i + 1])
            if f"《{title}》" not in "".join(x.text for x in lines[starts[-1] : t]):
                starts.append(t)
                seen = False
        if P.SENTENCE_END_CHARS.search(ln.text):
            seen = True
    if len(starts) > 1 and not any(P.SENTENCE_END_CHARS.search(x.text) for x in lines[starts[-1] :]):
        starts.pop()  # a title with nothing under it stays with the report before
    return [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)])]


def segment_reports(raw: str, *, doc_id: str = "-", source: str = "-") -> list[Report]:
    """The reports of a raw text, one for each it holds: ``doc_id``, then ``doc_id#2``,
    ``doc_id#3`` …; a traditional-script report gets simplified ``norm``s."""
    reports = []
    for k, lines in enumerate(split_reports(report_lines(raw))):
        rid = doc_id if k == 0 else f"{doc_id}#{k + 1}"
        paragraphs = join_lines(lines)
        text = "\n".join(p.text for p in paragraphs)
        marks = {i: p.mark for i, p in enumerate(paragraphs) if p.mark}
        units = segment(text, doc_id=rid, simplify=is_traditional(text), marks=marks)
        if not any(u.is_content for u in units):
            raise FazhiError("no sentence found in the report", source)
        reports.append(Report(doc_id=rid, text=text, units=units, source=source))
    if not reports:
        raise FazhiError("no sentence found in the report", source)
    return reports


def _one(reports: list[Report], source: str) -> Report:
    if len(reports) > 1:
        raise FazhiError(f"holds {len(reports)} reports; read it with load_reports or segment_reports", source)
    return reports[0]


def segment_report(raw: str, *, doc_id: str = "-", source: str = "-") -> Report:
    """The one report of a raw text; a text holding several raises (see :func:`segment_reports`)."""
    return _one(segment_reports(raw, doc_id=doc_id, source=source), source)


def load_file_reports(source: str, *, doc_id: str | None = None) -> list[Report]:
    """The reports in a file, or ``-`` for stdin; ``doc_id`` defaults to the file name's stem."""
    from fazhi.units.sources import doc_id_for

    return segment_reports(read_text(source), doc_id=doc_id or doc_id_for(source), source=source)


def load_report(source: str, *, doc_id: str | None = None) -> Report:
    """The one report in a file, or ``-`` for stdin; a file holding several raises."""
    return _one(load_file_reports(source, doc_id=doc_id), source)
