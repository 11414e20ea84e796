"""fazhi classify: every sentence with its bucket, confidence and probabilities."""
import sys
from typing import Annotated, Optional

import typer

from fazhi.cli.app import Jobs, ModelDir, Output, Reports, app
from fazhi.cli.common import check_output, load_all, write_text


@app.command()
def classify(
    reports: Reports,
    model: ModelDir = None,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="table, csv, tsv, jsonl, html or xlsx (default: table on a terminal, else from -o's extension, else jsonl).")] = None,
    output: Output = None,
    min_confidence: Annotated[float, typer.Option("--min-confidence", help="Mark units below this confidence as uncertain.", min=0.0, max=1.0)] = 0.0,
    jobs: Jobs = 1,
) -> None:
    """Sort every sentence of the reports into achievement, metric, problem, plan."""
    from fazhi.imports import without
    from fazhi.output.formats import encoding_for
    from fazhi.output import predictions as out

    fmt = out.format_for(output, sys.stdout.isatty(), fmt)
    check_output(output, reports)
    with without("pandas"):  # scikit-learn imports it when it can: 0.3 s
        from fazhi.learning.predict import classify as predict
        from fazhi.learning.store import load_model

        pipeline, _ = load_model(model)
    loaded, code = load_all(reports, jobs)
    predictions = predict(loaded, pipeline, min_confidence=min_confidence)
    summary = out.per_report(predictions)
    if fmt == "xlsx":
        out.write_workbook(predictions, output, summary)
    elif fmt == "html":
        from fazhi.output.html import write_html

        write_text(output, lambda f: write_html(loaded, predictions, f, min_confidence=min_confidence))
    elif fmt == "table":
        write_text(output, lambda f: out.write_table(predictions, f, summary))
    else:
        writer = {"csv": out.write_csv, "tsv": out.write_tsv, "jsonl": out.write_jsonl}[fmt]
        write_text(output, lambda f: writer(predictions, f), encoding_for(fmt, output))
    if fmt != "table" or output:
        for line in out.summary_lines(summary):
            typer.echo(line, err=True)
    raise typer.Exit(code)
