"""The typer application and the option types the commands share."""
from typing import Annotated, Optional

import typer

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
Jobs = Annotated[int, typer.Option("--jobs", "-j", help="Read and segment the files in this many processes.", min=1)]
ModelDir = Annotated[Optional[str], typer.Option("--model", "-m", help="Model folder (default: the shipped model/).")]


@app.callback()
def _root() -> None:
    """Sort the sentences of law-based-government reports into achievement, metric, problem and plan."""
