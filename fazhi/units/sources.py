"""The reports a command names: files, folders walked, globs expanded; one doc_id each."""
import glob
import os

from fazhi.errors import FazhiError

REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")


def expand_sources(sources: list[str]) -> list[str]:
    """Paths of the reports named: files as given, folders walked, globs expanded."""
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




def doc_id_for(source: str) -> str:
    """A report's id on its own: its file name without extension, ``-`` for stdin."""
    if source == "-":
        return "-"
    name = os.path.basename(os.path.normpath(source))
    stem, _ = os.path.splitext(name)
    return stem or name


def doc_ids(paths: list[str]) -> list[str]:
    """One distinct id per path: the file's stem, or where stems collide the shortest
    distinct tail of the path (``adir/news``, ``bdir/news``); a path named twice gets ``~2``."""
    ids = [doc_id_for(p) for p in paths]
    parts = [_tail_parts(p) for p in paths]
    depth = [1] * len(paths)
    while True:
        groups: dict[str, list[int]] = {}
        for i, d in enumerate(ids):
            groups.setdefault(d, []).append(i)
        clashes = [
            g for g in groups.values()
            if len({tuple(parts[i]) for i in g}) > 1 and any(depth[i] < len(parts[i]) for i in g)
        ]  # fmt: skip
        if not clashes:
            break
        for g in clashes:
            for i in g:
                depth[i] = min(depth[i] + 1, len(parts[i]))
                ids[i] = "/".join(parts[i][-depth[i]:])
    seen: dict[str, int] = {}
    for i, d in enumerate(ids):
        seen[d] = seen.get(d, 0) + 1
        if seen[d] > 1:
            ids[i] = f"{d}~{seen[d]}"
    return ids


def _tail_parts(path: str) -> list[str]:
    """The components of a path, its file name without extension last."""
    if path == "-":
        return ["-"]
    parts = os.path.normpath(os.path.abspath(path)).split(os.sep)
    parts[-1] = doc_id_for(path)
    return [p for p in parts if p]
