"""fazhi segment: reports cut into units, written as a labels CSV with empty labels."""
import typer

from fazhi.cli.app import Jobs, Output, Reports, app
from fazhi.cli.common import load_all, write_text


@app.command()
def segment(reports: Reports, output: Output = None, jobs: Jobs = 1) -> None:
    """Cut reports into units and write them as a labels CSV with empty labels."""
    from fazhi.labels.rows import unit_rows, write_rows

    loaded, code = load_all(reports, jobs)
    rows = [row for report in loaded for row in unit_rows(report.units)]
    write_text(output, lambda f: write_rows(rows, f))
    if output:
        typer.echo(f"{len(rows)} units from {len(loaded)} reports written to {output}", err=True)
    raise typer.Exit(code)
