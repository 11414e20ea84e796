"""fazhi label: label units by hand, each answer saved at once."""
import sys
from typing import Annotated

import typer

from fazhi.cli.app import ModelDir, app
from fazhi.cli.common import console


@app.command()
def label(
    units: Annotated[str, typer.Argument(help="Labels CSV to label in place (as written by fazhi segment).", show_default=False)],
    model: ModelDir = None,
    order: Annotated[str, typer.Option("--order", help="file: file order; uncertain: unlabeled units the model is least sure of first.")] = "file",
) -> None:
    """Label units by hand: 1-4 achievement/metric/problem/plan, s skip, u undo, n next, q quit; each answer is saved at once."""
    from fazhi.labels.keys import keyboard
    from fazhi.labels.session import run, start
    from fazhi.output.labeling import render

    session = start(units, model, order)
    if session.warning:
        typer.echo(f"fazhi: {session.warning}", err=True)
    screen = console()
    on_terminal = sys.stdin.isatty() and sys.stdout.isatty()
    code = 0
    try:
        with keyboard() as read_key:
            run(session, read_key, lambda view, msg: render(screen, view, msg, clear=on_terminal), screen.print)
    except KeyboardInterrupt:
        code = 130
    s = session.summary()
    typer.echo(f"{s['answered']} answers saved to {units}; {s['remaining']} of {s['total']} units unlabeled", err=True)
    raise typer.Exit(code)
