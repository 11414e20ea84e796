"""One report: read, cleaned and segmented — the first steps of every command."""
from fazhi.errors import FazhiError
from fazhi.reading.read import read_text
from fazhi.units.normalize import clean
from fazhi.units.script import is_traditional
from fazhi.units.segment import segment
from fazhi.vocab import Report


def segment_report(raw: str, *, doc_id: str = "-", source: str = "-") -> Report:
    """A report from its raw text; a traditional-script report gets simplified ``norm``s."""
    text = clean(raw)
    units = segment(text, doc_id=doc_id, simplify=is_traditional(text))
    if not any(u.is_content for u in units):
        raise FazhiError("no sentence found in the report", source)
    return Report(doc_id=doc_id, text=text, units=units, source=source)


def load_report(source: str, *, doc_id: str | None = None) -> Report:
    """A report from a path, or ``-`` for stdin; ``doc_id`` defaults to the file name's stem."""
    from fazhi.units.sources import doc_id_for

    return segment_report(read_text(source), doc_id=doc_id or doc_id_for(source), source=source)
