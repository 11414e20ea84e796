"""What the commands share: error lines, collecting per-file results, writing output, consoles."""
import contextlib
import sys
from typing import Optional

import typer

from fazhi.errors import USAGE, PARTIAL, FazhiError


def warn(error: FazhiError) -> None:
    typer.echo(f"fazhi: error: {error}", err=True)


def collect(results, advance=lambda: None):
    """The results that are not errors, each error printed; with the exit code:
    0 all good, 1 some failed; exits 2 when none succeeded."""
    good, failed = [], 0
    for result in results:
        if isinstance(result, FazhiError):
            warn(result)
            failed += 1
        else:
            good.append(result)
        advance()
    if not good:
        raise typer.Exit(USAGE)
    return good, (PARTIAL if failed else 0)


def load_all(sources: list[str], jobs: int = 1):
    """The reports that load; errors printed. Exit code: 0 all, 1 some failed, 2 none loaded."""
    from fazhi.units.loading import load_reports

    return collect(result for _, result in load_reports(sources, jobs=jobs))


def write_text(output: Optional[str], write) -> None:
    """Call ``write(f)`` on stdout, or on ``output`` written atomically."""
    if output in (None, "-"):
        write(sys.stdout)
        return
    from fazhi.atomic import atomic_open

    with atomic_open(output, newline="") as f:
        write(f)


def console(err: bool = False):
    from rich.console import Console

    return Console(stderr=err, highlight=False)


def progress(show: bool, total: int, what: str):
    """A context yielding ``advance()``: a rich progress bar on stderr when ``show``, else nothing."""
    if not show:
        return contextlib.nullcontext(lambda: None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    @contextlib.contextmanager
    def bar():
        with Progress(
            TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=console(err=True), transient=True
        ) as p:
            task = p.add_task(what, total=total)
            yield lambda: p.advance(task)

    return bar()


def base_line(base: dict) -> str:
    """What ``fazhi train --base`` says about the base labels beside the user's."""
    line = f"base labels: {len(base['files'])} files; {base['overridden']} base units overridden by yours ({base['overridden_with_another_label']} with another label)"
    if base["replaced_reports"]:
        line += f"; base reports replaced by yours of the same doc_id: {', '.join(base['replaced_reports'])}"
    return line
