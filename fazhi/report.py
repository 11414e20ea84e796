"""Read, clean and segment one report: the first three steps of every command."""
from fazhi.errors import FazhiError
from fazhi.normalize import clean
from fazhi.read import doc_id_for, read_text
from fazhi.segment import segment
from fazhi.units import Report


def segment_report(raw: str, doc_id: str = "-", source: str = "-") -> Report:
    """A report from its raw text."""
    text = clean(raw)
    units = segment(text, doc_id)
    if not any(u.is_content for u in units):
        raise FazhiError("no sentence found in the report", source)
    return Report(doc_id=doc_id, text=text, units=units, source=source)


def load_report(source: str) -> Report:
    """A report from a path, or ``-`` for stdin."""
    return segment_report(read_text(source), doc_id_for(source), source)


REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")


def expand_sources(sources: list[str]) -> list[str]:
    """Paths of the reports named: files as given, folders walked, globs expanded."""
    import glob
    import os

    out: list[str] = []
    for source in sources:
        if source == "-" or os.path.isfile(source):
            out.append(source)
        elif os.path.isdir(source):
            found = sorted(
                os.path.join(root, name)
                for root, dirs, files in os.walk(source)
                for name in files
                if name.lower().endswith(REPORT_SUFFIXES) and not name.startswith(".")
            )
            if not found:
                raise FazhiError("folder holds no report (.txt .md .html .htm .docx .pdf)", source)
            out.extend(found)
        elif glob.has_magic(source) and glob.glob(source):
            out.extend(sorted(p for p in glob.glob(source, recursive=True) if os.path.isfile(p)))
        else:
            out.append(source)  # missing: reported when read
    return out


def iter_reports(sources: list[str]):
    """Yield ``(source, Report or FazhiError)`` for each report named, never raising for one file."""
    for source in expand_sources(sources):
        try:
            yield source, load_report(source)
        except FazhiError as e:
            yield source, e
