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


def write_text(output: Optional[str], write, encoding: str = "utf-8") -> None:
    """Call ``write(f)`` on stdout, or on ``output`` written atomically in ``encoding``."""
    if output in (None, "-"):
        write(sys.stdout)
        return
    from fazhi.atomic import atomic_open

    with atomic_open(output, newline="", encoding=encoding) as f:
        write(f)


def check_output(output: Optional[str], sources: list[str]) -> None:
    """Before anything runs: ``output`` is a file that can be written and names none of
    the reports ``sources`` name."""
    from fazhi.atomic import check_output_file
    from fazhi.units.sources import expand_each

    check_output_file(output, [path for path, error in expand_each(sources) if error is None])


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


@contextlib.contextmanager
def stage_progress(show: bool):
    """Yields ``progress(what, done, total)`` drawing one rich bar per stage on stderr
    (a fold of cross-validation, say) when ``show``; else yields None and draws nothing."""
    if not show:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console(err=True)) as bars:
        tasks: dict[str, int] = {}

        def update(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bars.add_task(what, total=total)
            bars.update(tasks[what], completed=done, total=total)

        yield update


def base_line(base: dict) -> str:
    """What ``fazhi train --base`` says about the base labels beside the user's."""
    line = f"base labels: {len(base['files'])} files; {base['overridden']} base units overridden by yours ({base['overridden_with_another_label']} with another label)"
    if base["replaced_reports"]:
        line += f"; base reports replaced by yours of the same doc_id: {', '.join(base['replaced_reports'])}"
    return line
