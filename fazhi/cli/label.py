"""fazhi label: label units by hand, each answer saved at once."""
import sys
from typing import Annotated, Optional

import typer

from fazhi.cli.app import ModelDir, app
from fazhi.cli.common import console


@app.command()
def label(
    units: Annotated[str, typer.Argument(help="Labels CSV to label in place (as written by fazhi segment).", show_default=False)],
    model: ModelDir = None,
    order: Annotated[Optional[str], typer.Option(
        "--order", show_default=False,
        help="random (default; file without a model): a fixed shuffle; file: as in the file; uncertain: the model's least "
        "sure first; diverse: least sure first, spread over reports, sections and clusters of similar units; balanced: "
        "least sure of each guessed label in turn.",
    )] = None,
    retrain_every: Annotated[int, typer.Option(
        "--retrain-every", metavar="N", help="Refit on the base labels and yours every N answers, in the background, and reorder the rest (0: never).",
    )] = 0,
) -> None:
    """Label units by hand: 1-4 achievement/metric/problem/plan, s skip, u undo, n next, q quit; each answer is saved at once."""
    from fazhi.labels.keys import keyboard
    from fazhi.labels.session import run, start
    from fazhi.output.labeling import render

    from fazhi.labels.retrain import Retrainer

    retrainer = Retrainer(retrain_every) if retrain_every else None
    session = start(units, model, order)
    if session.warning:
        typer.echo(f"fazhi: {session.warning}", err=True)
    screen = console()
    on_terminal = sys.stdin.isatty() and sys.stdout.isatty()
    code = 0
    try:
        with keyboard() as read_key:
            run(session, read_key, lambda view, msg: render(screen, view, msg, clear=on_terminal), screen.print, retrainer)
    except KeyboardInterrupt:
        code = 130
    s = session.summary()
    refits = f"; {retrainer.refits} refits" if retrainer else ""
    typer.echo(f"{s['answered']} answers saved to {units}; {s['remaining']} of {s['total']} units unlabeled{refits}", err=True)
    raise typer.Exit(code)
