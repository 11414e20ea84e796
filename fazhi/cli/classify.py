"""fazhi classify: every sentence with its bucket, confidence and probabilities."""
import sys
from typing import Annotated, Optional

import typer

from fazhi.cli.app import Jobs, ModelDir, Output, Reports, app
from fazhi.cli.common import load_all, write_text


@app.command()
def classify(
    reports: Reports,
    model: ModelDir = None,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="table, csv, jsonl or html (default: table on a terminal, else from -o's extension, else jsonl).")] = None,
    output: Output = None,
    min_confidence: Annotated[float, typer.Option("--min-confidence", help="Mark units below this confidence as uncertain.", min=0.0, max=1.0)] = 0.0,
    jobs: Jobs = 1,
) -> None:
    """Sort every sentence of the reports into achievement, metric, problem, plan."""
    from fazhi.imports import without
    from fazhi.output.predictions import format_for, per_report, summary_lines, write_csv, write_jsonl, write_table

    fmt = format_for(output, sys.stdout.isatty(), fmt)
    with without("pandas"):
        from fazhi.learning.predict import classify as predict
        from fazhi.learning.store import load_model

    pipeline, _ = load_model(model)
    loaded, code = load_all(reports, jobs)
    predictions = predict(loaded, pipeline, min_confidence=min_confidence)
    summary = per_report(predictions)
    if fmt == "html":
        from fazhi.output.html import write_html

        write_text(output, lambda f: write_html(loaded, predictions, f, min_confidence=min_confidence))
    elif fmt == "table":
        write_text(output, lambda f: write_table(predictions, f, summary))
    else:
        write_text(output, lambda f: (write_csv if fmt == "csv" else write_jsonl)(predictions, f))
    if fmt != "table" or output:
        for line in summary_lines(summary):
            typer.echo(line, err=True)
    raise typer.Exit(code)
