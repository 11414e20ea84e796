"""The typer application and the option types the commands share."""
from typing import Annotated, Optional

import typer

app = typer.Typer(
    name="fazhi",
    help="Sort the sentences of law-based-government reports into achievement, metric, problem and plan.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: flags shown as flags, not as `--json <bool>`
    context_settings={"help_option_names": ["-h", "--help"]},
)

Reports = Annotated[list[str], typer.Argument(help="Report files, folders or globs; - for stdin.", show_default=False)]
Output = Annotated[Optional[str], typer.Option("-o", "--output", help="Write this file instead of stdout; its extension names the format.", metavar="FILE")]
Jobs = Annotated[int, typer.Option("--jobs", "-j", help="Read and segment the files in this many processes.", min=1)]
ModelDir = Annotated[Optional[str], typer.Option("--model", "-m", help="Model folder (default: the shipped model).", metavar="DIR")]


def _version(value: bool) -> None:
    if value:
        from fazhi import __version__

        typer.echo(f"fazhi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print fazhi's version and exit.", callback=_version, is_eager=True)] = False,
) -> None:
    """Sort the sentences of law-based-government reports into achievement, metric, problem and plan."""
