"""fazhi summarize: one row per report."""
import sys
from typing import Annotated, Optional

import typer

from fazhi.cli.app import ModelDir, Output, Reports, app
from fazhi.cli.common import check_output, collect, progress, write_text


@app.command()
def summarize(
    reports: Reports,
    output: Output = None,
    model: ModelDir = None,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="table, csv, tsv, jsonl or xlsx (default: table on a terminal, else from -o's extension, else csv).")] = None,
) -> None:
    """One row per report: units per bucket, share of problems, the figures and the plan items."""
    from fazhi.imports import without
    from fazhi.output import summary as out
    from fazhi.output.formats import encoding_for

    fmt = out.format_for(output, sys.stdout.isatty(), fmt)
    check_output(output, reports)
    with without("pandas"):  # scikit-learn imports it when it can: 0.3 s
        from fazhi.learning.store import load_model

        pipeline, _ = load_model(model)
    named = out.expand(reports)
    with progress(len(named) > 5 and sys.stderr.isatty(), len(named), "summarizing") as advance:
        rows, code = collect((result for _, result in out.iter_summaries(named, pipeline)), advance)
    if fmt == "xlsx":
        out.write_workbook(rows, output)
    else:
        writer = {"table": out.write_table, "csv": out.write_csv, "tsv": out.write_tsv, "jsonl": out.write_jsonl}[fmt]
        write_text(output, lambda f: writer(rows, f), encoding_for(fmt, output))
    if output and output != "-":
        typer.echo(f"{len(rows)} reports summarized to {output}", err=True)
    raise typer.Exit(code)
