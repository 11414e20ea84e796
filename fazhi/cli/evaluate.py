"""fazhi evaluate: cross-validation with baselines beside, or a saved model scored on new labels."""
import json
import sys
from typing import Annotated, Optional

import typer

from fazhi.cli.app import ModelDir, app
from fazhi.cli.common import console, stage_progress
from fazhi.errors import FazhiError


@app.command()
def evaluate(
    labels: Annotated[Optional[list[str]], typer.Argument(help="Labels CSV files to cross-validate on.", show_default=False)] = None,
    folds: Annotated[Optional[int], typer.Option("--folds", "-k", help="Number of folds (default: one per report up to 10 reports, else 5).", min=2)] = None,
    group: Annotated[str, typer.Option(help="doc_id: folds are whole reports; none: units shuffled.")] = "doc_id",
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    blind_section: Annotated[bool, typer.Option("--blind-section", help="Also score units with their section and other report context removed.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")] = False,
    model: ModelDir = None,
    test: Annotated[Optional[str], typer.Option("--test", help="With --model: a labeled file the model did not train on.")] = None,
    search: Annotated[bool, typer.Option(help="Search hyper-parameters inside each training fold.")] = True,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Parallel jobs for the search (-1: all cores).")] = -1,
    by: Annotated[Optional[list[str]], typer.Option("--by", help="Also score each value of this column (default: kind, when the file has it).")] = None,
) -> None:
    """Cross-validate on labeled reports, with baselines beside; or score a saved model with --test."""
    from fazhi.output.evaluation import write_evaluation

    if group not in ("doc_id", "none"):
        raise FazhiError(f"--group must be doc_id or none, not {group!r}")
    if test:
        from fazhi.learning.store import load_model
        from fazhi.learning.train import evaluate_model

        pipeline, _ = load_model(model)
        result = evaluate_model(pipeline, [test], blind=blind_section, by=by)
        title = f"{model or 'model'} on {test}"
    else:
        if not labels:
            raise FazhiError("give a labels CSV to cross-validate on, or --model DIR --test FILE")
        from fazhi.labels.load import load_labels
        from fazhi.learning.hyper import GRID
        from fazhi.learning.train import cross_validate_labels

        with stage_progress(sys.stderr.isatty()) as progress:
            res = cross_validate_labels(
                load_labels(labels), folds=folds, group=group == "doc_id", seed=seed, grid=GRID if search else {},
                blind=blind_section, jobs=jobs, by=by, progress=progress and (lambda done, total: progress("cross-validation, fold", done, total)),
            )  # fmt: skip
        result = res.as_json()
        title = "cross-validation, folds " + ("by report" if group == "doc_id" else "over units")
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
    else:
        write_evaluation(result, console(), title)
