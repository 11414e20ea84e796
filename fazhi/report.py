"""Read, clean and segment one report: the first three steps of every command."""
import re

from fazhi.errors import FazhiError
from fazhi.normalize import clean
from fazhi.read import doc_id_for, read_text
from fazhi.segment import segment
from fazhi.units import Report


# common characters written differently in traditional and simplified script
_TRAD = re.compile(
    "[區實進執設務規項會審議辦對責機決強調關監導體領業學爲為動習組門問員單時職專題點權訴現報嚴應協縣"
    "環國織過檢將評處級資經傳營貫徹網衆眾顧糾標訪況負統與認計場內堅優論結見創紛濟記圍積識聯舉續類訓約產條爭預運護]"
)
_SIMP = re.compile(
    "[区实进执设务规项会审议办对责机决强调关监导体领业学为动习组门问员单时职专题点权诉现报严应协县"
    "环国织过检将评处级资经传营贯彻网众顾纠标访况负统与认计场内坚优论结见创纷济记围积识联举续类训约产条争预运护]"
)


def is_traditional(text: str) -> bool:
    """True when the text is written in traditional characters."""
    trad = len(_TRAD.findall(text))
    return trad >= 3 and trad > len(_SIMP.findall(text))


def segment_report(raw: str, doc_id: str = "-", source: str = "-") -> Report:
    """A report from its raw text; a traditional-script report gets simplified ``norm``s."""
    text = clean(raw)
    units = segment(text, doc_id, simplify=is_traditional(text))
    if not any(u.is_content for u in units):
        # a lone phrase ("加强执法队伍建设") reads like a title; it is the content
        for u in units:
            if u.kind == "title":
                u.kind = "content"
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


def expand_each(sources: list[str]) -> list[tuple[str, FazhiError | None]]:
    """``(path, None)`` for each report named; ``(source, error)`` for a source that names none."""
    out: list[tuple[str, FazhiError | None]] = []
    for source in sources:
        try:
            out += [(path, None) for path in expand_sources([source])]
        except FazhiError as e:
            out.append((source, e))
    return out


def iter_reports(sources: list[str]):
    """Yield ``(source, Report or FazhiError)`` for each report named, never raising for one file."""
    for path, error in expand_each(sources):
        yield path, error or _load_or_error(path)


def _load_or_error(source: str):
    try:
        return load_report(source)
    except FazhiError as e:
        return e


def _load_chunk(sources: list[str]) -> list:
    return [_load_or_error(s) for s in sources]


def _load_parallel(paths: list[str], jobs: int) -> list:
    """``_load_or_error`` of each path, in order, by this process and ``jobs - 1`` workers.

    The workers take chunks from the front; this process takes the chunks no worker has
    started from the back, so it never idles and sends nothing to itself.
    """
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, min(16, len(paths) // (4 * jobs)))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    results: list = [None] * len(chunks)
    with ProcessPoolExecutor(max_workers=jobs - 1) as pool:
        futures = [pool.submit(_load_chunk, chunk) for chunk in chunks]
        for k in range(len(chunks) - 1, -1, -1):
            if not futures[k].cancel():
                break  # a worker has it, and every chunk before it
            results[k] = _load_chunk(chunks[k])
        for k, future in enumerate(futures):
            if results[k] is None:
                results[k] = future.result()
    return [r for chunk in results for r in chunk]


def load_reports(sources: list[str], jobs: int = 1) -> list:
    """``(source, Report or FazhiError)`` for each report named, in the order of :func:`iter_reports`;
    with ``jobs`` > 1 the files are read and segmented in that many processes (stdin in this one)."""
    if jobs <= 1:
        return list(iter_reports(sources))
    named = expand_each(sources)  # (path, None) to load, or (source, FazhiError)
    todo = [path for path, error in named if error is None and path != "-"]
    loaded: list = _load_parallel(todo, min(jobs, len(todo))) if len(todo) > 1 else []
    done = iter(loaded)
    out = []
    for path, result in named:
        if result is None:
            result = next(done) if loaded and path != "-" else _load_or_error(path)
        out.append((path, result))
    return out
