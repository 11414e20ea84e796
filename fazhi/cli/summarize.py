"""fazhi summarize: one row per report."""
import sys
from typing import Annotated, Optional

import typer

from fazhi.cli.app import ModelDir, Output, Reports, app
from fazhi.cli.common import collect, progress, write_text


@app.command()
def summarize(
    reports: Reports,
    output: Output = None,
    model: ModelDir = None,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="table, csv or jsonl (default: table on a terminal, else jsonl for a .jsonl/.json -o, else csv).")] = None,
) -> None:
    """One row per report: units per bucket, share of problems, the figures and the plan items."""
    from fazhi.imports import without
    from fazhi.output.summary import expand, format_for, iter_summaries, write_csv, write_jsonl, write_table

    fmt = format_for(output, sys.stdout.isatty(), fmt)
    with without("pandas"):
        from fazhi.learning.store import load_model

    pipeline, _ = load_model(model)
    named = expand(reports)
    with progress(len(named) > 5 and sys.stderr.isatty(), len(named), "summarizing") as advance:
        rows, code = collect((result for _, result in iter_summaries(named, pipeline)), advance)
    writer = {"table": write_table, "csv": write_csv, "jsonl": write_jsonl}[fmt]
    write_text(output, lambda f: writer(rows, f))
    if output and output != "-":
        typer.echo(f"{len(rows)} reports summarized to {output}", err=True)
    raise typer.Exit(code)
