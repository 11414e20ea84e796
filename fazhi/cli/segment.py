"""fazhi segment: reports cut into units, written as a labels CSV with empty labels."""
import typer

from fazhi.cli.app import Jobs, Output, Reports, app
from fazhi.cli.common import check_output, load_all, write_text


@app.command()
def segment(reports: Reports, output: Output = None, jobs: Jobs = 1) -> None:
    """Cut reports into units and write them as a labels CSV with empty labels."""
    from fazhi.labels.rows import unit_rows, write_rows
    from fazhi.output.formats import encoding_for, file_format

    if output not in (None, "-"):
        file_format(output, ("csv",))
    check_output(output, reports)
    loaded, code = load_all(reports, jobs)
    rows = [row for report in loaded for row in unit_rows(report.units)]
    write_text(output, lambda f: write_rows(rows, f), encoding_for("csv", output))
    if output:
        typer.echo(f"{len(rows)} units from {len(loaded)} reports written to {output}", err=True)
    raise typer.Exit(code)
