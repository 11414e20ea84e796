"""The command line: parse options, call fazhi's library, print. Nothing else."""
import sys
from typing import Annotated, Optional

import typer

from fazhi.errors import PARTIAL, USAGE, FazhiError

app = typer.Typer(
    name="fazhi",
    help="Sort the sentences of law-based-government reports into achievement, metric, problem and plan.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

Reports = Annotated[list[str], typer.Argument(help="Report files, folders or globs; - for stdin.", show_default=False)]
Output = Annotated[Optional[str], typer.Option("-o", "--output", help="Write here instead of stdout.")]


@app.callback()
def _root() -> None:
    """Sort the sentences of law-based-government reports into achievement, metric, problem and plan."""


def _warn(error: FazhiError) -> None:
    typer.echo(f"fazhi: error: {error}", err=True)


def _load_all(sources: list[str]):
    """The reports that load; errors printed. Exit code: 0 all, 1 some failed, 2 none loaded."""
    from fazhi.report import iter_reports

    reports, failed = [], 0
    for _, result in iter_reports(sources):
        if isinstance(result, FazhiError):
            _warn(result)
            failed += 1
        else:
            reports.append(result)
    if not reports:
        raise typer.Exit(USAGE)
    return reports, (PARTIAL if failed else 0)


def _write_text(output: Optional[str], write) -> None:
    """Call ``write(f)`` on stdout, or on ``output`` written atomically."""
    if output in (None, "-"):
        write(sys.stdout)
        return
    from fazhi.atomic import atomic_open

    with atomic_open(output, newline="") as f:
        write(f)


@app.command()
def segment(reports: Reports, output: Output = None) -> None:
    """Cut reports into units and write them as a labels CSV with empty labels."""
    from fazhi.labels import unit_rows, write_rows

    loaded, code = _load_all(reports)
    rows = [row for report in loaded for row in unit_rows(report.units)]
    _write_text(output, lambda f: write_rows(rows, f))
    if output:
        typer.echo(f"{len(rows)} units from {len(loaded)} reports written to {output}", err=True)
    raise typer.Exit(code)


def main() -> None:
    try:
        app()
    except FazhiError as e:
        _warn(e)
        sys.exit(USAGE)
    except KeyboardInterrupt:
        typer.echo("fazhi: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
