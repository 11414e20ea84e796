"""fazhi train: fit a model on labeled units, cross-validate it, save it with its card."""
import sys
from typing import Annotated

import typer

from fazhi.cli.app import app
from fazhi.cli.common import stage_progress


@app.command()
def train(
    labels: Annotated[list[str], typer.Argument(help="Labels CSV files (doc_id,sent_id,section,text,label,note or text,label).", metavar="LABELS.csv...", show_default=False)],
    output: Annotated[str, typer.Option("-o", "--output", help="Model folder to write: new or empty, or a model folder with --force.", metavar="DIR", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace the model folder -o names.")] = False,
    seed: Annotated[int, typer.Option(help="Random seed: same data and seed give the same model.")] = 0,
    search: Annotated[bool, typer.Option(help="Search hyper-parameters inside the training folds.")] = True,
    cv: Annotated[bool, typer.Option(help="Cross-validate and record the scores in the card.")] = True,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Parallel jobs for the search (-1: all cores).")] = -1,
    base: Annotated[bool, typer.Option("--base", help="Fit on the labels the shipped model learned from too; yours win where both label the same text under the same section.")] = False,
) -> None:
    """Fit a model on labeled units, cross-validate it, save it with its card."""
    from fazhi.cli.common import base_line
    from fazhi.learning.train import train as fit_model

    with stage_progress(sys.stderr.isatty()) as progress:
        card = fit_model(labels, output, seed=seed, search=search, cv=cv, jobs=jobs, force=force, progress=progress, base=base)
    if base:
        typer.echo(base_line(card["data"]["base"]), err=True)
    counts = ", ".join(f"{k} {v}" for k, v in card["counts"].items())
    typer.echo(f"trained on {card['n_units']} units from {card['n_reports']} reports ({counts})", err=True)
    if card["cv"]:
        s = card["cv"]
        line = ", ".join(f"{name} {s[name]['macro_f1']:.3f}" for name in ("fazhi", "blind", "majority", "keyword_rule") if name in s)
        typer.echo(f"{s['scheme']} macro-F1: {line}", err=True)
    for warning in card["warnings"]:
        typer.echo(f"fazhi: warning: {warning}", err=True)
    typer.echo(f"model written to {output}/ (sha256 {card['model_sha256'][:12]})", err=True)
