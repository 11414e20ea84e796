"""Write files atomically: a temp file beside the target, then rename; and check, before
anything runs, that an output path can be written and names no input.

New files get the permissions the user's umask gives (0644 under umask 022), a
replaced file keeps its own. The three context managers are plain generators wrapped
by ``contextlib.contextmanager`` at the end, not decorated: bench/mutation.sh leaves
decorated functions alone.
"""
import contextlib
import os
import shutil
import tempfile

from fazhi.errors import FazhiError


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode(path: str, new: int) -> int:
    """The permissions of ``path`` if it exists, else ``new`` under the umask."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return new & ~_umask()


def _parent(path: str) -> str:
    return os.path.dirname(os.path.abspath(path))  # never empty: an absolute path has a folder


def _cannot(path: str, e: OSError) -> FazhiError:
    return FazhiError(f"cannot write here: {e.strerror or e}", path)


def _atomic_path(path: str):
    """Yield a temp path (with ``path``'s extension: some writers go by it); on success
    rename it to ``path``, on error remove it."""
    mode = _mode(path, 0o666)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".fazhi-", suffix=".tmp" + os.path.splitext(path)[1], dir=_parent(path))
    except OSError as e:
        raise _cannot(path, e) from None
    os.close(fd)
    try:
        os.chmod(tmp, mode)
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _atomic_open(path: str, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None):
    """Open a temp file for writing; it replaces ``path`` only when the block succeeds."""
    if "b" in mode:
        encoding = None
    with atomic_path(path) as tmp:
        with open(tmp, mode, encoding=encoding, newline=newline) as f:
            yield f


def _atomic_dir(path: str):
    """Yield a temp folder; on success it replaces the folder ``path`` whole."""
    parent = _parent(path)
    mode = _mode(path, 0o777)
    try:
        tmp = tempfile.mkdtemp(prefix=".fazhi-", dir=parent)
    except OSError as e:
        raise _cannot(path, e) from None
    try:
        os.chmod(tmp, mode)
        yield tmp
        if os.path.isdir(path):
            old = tempfile.mkdtemp(prefix=".fazhi-old-", dir=parent)
            os.rmdir(old)
            os.replace(path, old)
            try:
                os.replace(tmp, path)
            except BaseException:
                os.replace(old, path)  # the old folder back in place
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


atomic_path = contextlib.contextmanager(_atomic_path)
atomic_open = contextlib.contextmanager(_atomic_open)
atomic_dir = contextlib.contextmanager(_atomic_dir)


# --- checks before anything runs ------------------------------------------------------


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _writable_folder(parent: str, path: str) -> None:
    """The folder exists and a file can be made in it (tried: permissions, read-only disks)."""
    if not os.path.isdir(parent):
        raise FazhiError(f"no such folder: {parent}", path)
    try:
        fd, probe = tempfile.mkstemp(prefix=".fazhi-", suffix=".tmp", dir=parent)
    except OSError as e:
        raise _cannot(path, e) from None
    os.close(fd)
    os.unlink(probe)


def check_output_file(path: str | None, inputs: list[str] = ()) -> None:
    """Refuse an output file that is a folder, lies in a missing or unwritable folder,
    or is one of ``inputs``; ``None`` and ``-`` are stdout."""
    if path in (None, "-"):
        return
    if os.path.isdir(path):
        raise FazhiError("is a folder: name a file to write", path)
    for source in inputs:
        if source != "-" and os.path.exists(source) and _same_file(source, path):
            raise FazhiError("is also an input: writing there would overwrite it; name another output", path)
    _writable_folder(_parent(path), path)


def check_output_folder(path: str, inputs: list[str] = (), *, marker: str, force: bool = False) -> None:
    """Refuse a model folder to write that is a file, lies in a missing or unwritable folder,
    holds one of ``inputs``, is a folder of something else (not empty, no ``marker`` file
    in it), or (without ``force``) is a model folder already."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise FazhiError("is a file, not a model folder", path)
    real = os.path.realpath(path)
    for source in inputs:
        if source != "-" and os.path.commonpath([os.path.realpath(source), real]) == real:
            raise FazhiError(f"holds the input {source}: writing the model there would remove it; name another folder", path)
    if os.path.isdir(path) and os.listdir(path):
        if not os.path.exists(os.path.join(path, marker)):
            raise FazhiError(f"is a folder but not a fazhi model folder (no {marker}): name a new or empty folder", path)
        if not force:
            raise FazhiError("is a model folder already: give --force to replace it", path)
    _writable_folder(_parent(path), path)
