"""fazhi corpus: many reports in one database — add, update, summary, problems, promises, report."""
import sys
from typing import Annotated, Optional

import typer

from fazhi.cli.app import Jobs, ModelDir, Output, Reports, app
from fazhi.cli.common import progress, warn, write_text
from fazhi.errors import PARTIAL, USAGE, FazhiError

corpus_app = typer.Typer(help="Keep many reports in one SQLite database and compare them across years.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")

Db = Annotated[str, typer.Option("--db", help="The corpus database (SQLite).")]
Format = Annotated[Optional[str], typer.Option("--format", "-f", help="table, csv, jsonl or xlsx (default: table on a terminal, else from -o's extension, else csv).")]


def _report_run(result, what: str) -> None:
    parts = [f"{n} {name}" for n, name in ((result.added, "added"), (result.replaced, "replaced"), (result.reclassified, "reclassified"),
             (result.meta_set, "given new metadata"), (result.unchanged, "unchanged"), (result.copies, "copies skipped"),
             (len(result.errors), "failed")) if n]  # fmt: skip
    typer.echo(f"{what}: " + (", ".join(parts) or "nothing to do"), err=True)
    for note in result.notes:
        typer.echo(f"fazhi: {note}", err=True)
    for error in result.errors:
        warn(error)
    if result.errors:
        raise typer.Exit(PARTIAL if result.stored or result.unchanged or result.meta_set else USAGE)


@corpus_app.command("add")
def add(
    reports: Reports,
    db: Db = "fazhi.db",
    model: ModelDir = None,
    jobs: Jobs = 1,
    issuer: Annotated[Optional[str], typer.Option(help="Set the issuer of every report added.")] = None,
    level: Annotated[Optional[str], typer.Option(help="Set the level: province, city, county, township or department.")] = None,
    province: Annotated[Optional[str], typer.Option(help="Set the province.")] = None,
    year: Annotated[Optional[int], typer.Option(help="Set the year the reports are about.")] = None,
    kind: Annotated[Optional[str], typer.Option(help="Set the kind: report, plan, rectification or news.")] = None,
    meta: Annotated[Optional[str], typer.Option(help="A CSV of metadata per file: file, issuer, level, province, year, kind.")] = None,
) -> None:
    """Read, classify and store reports; an unchanged file is skipped, a changed one replaced."""
    from fazhi.corpus.add import corpus_add, count_named

    options = {"issuer": issuer, "level": level, "province": province, "year": year, "kind": kind}
    total = count_named(reports)
    with progress(sys.stderr.isatty() and total > 1, total, "adding") as advance:
        result = corpus_add(reports, db=db, model_dir=model, jobs=jobs, meta=options, meta_csv=meta, advance=advance)
    _report_run(result, db)


@corpus_app.command("update")
def update(
    db: Db = "fazhi.db",
    model: ModelDir = None,
    jobs: Jobs = 1,
    force: Annotated[bool, typer.Option("--all", help="Reclassify every report, not only those another model classified.")] = False,
) -> None:
    """Reclassify the stored reports with a (new) model."""
    from fazhi.corpus.add import corpus_update
    from fazhi.corpus.schema import connect

    conn = connect(db, create=False)
    total = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    conn.close()
    with progress(sys.stderr.isatty() and total > 1, total, "reclassifying") as advance:
        result = corpus_update(db=db, model_dir=model, jobs=jobs, force=force, advance=advance)
    _report_run(result, db)


def write_rows(rows: list[dict], output: Optional[str], fmt: Optional[str], title: str = "") -> None:
    """Rows in the chosen format, to stdout or ``output``."""
    from fazhi.corpus import summary as out

    fmt = out.format_for(output, sys.stdout.isatty(), fmt)
    if fmt == "xlsx":
        if output in (None, "-"):
            raise FazhiError("xlsx needs a file: add -o FILE.xlsx", "--format")
        out.write_xlsx(rows, output)
    elif fmt == "table":
        write_text(output, lambda f: out.write_table(rows, f, title))
    else:
        write_text(output, lambda f: (out.write_csv if fmt == "csv" else out.write_jsonl)(rows, f))
    if output and output != "-":
        typer.echo(f"{len(rows)} rows written to {output}", err=True)


@corpus_app.command("summary")
def summary(
    db: Db = "fazhi.db",
    by: Annotated[str, typer.Option(help="year, issuer, province, level or kind.")] = "year",
    fmt: Format = None,
    output: Output = None,
) -> None:
    """Reports, units per bucket and the share of problems, by year, issuer, province, level or kind."""
    from fazhi.corpus.summary import corpus_summary

    rows = corpus_summary(db=db, by=by)
    write_rows(rows, output, fmt, f"{sum(r['reports'] for r in rows)} reports by {by}")


@corpus_app.command("promises")
def promises(
    db: Db = "fazhi.db",
    issuer: Annotated[Optional[str], typer.Option(help="Only this issuer (南陵县 and 南陵县人民政府 are one).")] = None,
    min_score: Annotated[float, typer.Option("--min-score", help="The score a plan's best outcome needs for the plan to count as kept.", min=0.0, max=1.0)] = 0.3,
    fmt: Format = None,
    output: Output = None,
) -> None:
    """Each plan of a year-N report with the next year's outcome that carries it out, or "no trace"."""
    from fazhi.corpus import promises as pr
    from fazhi.corpus import summary as out

    rows = pr.corpus_promises(db=db, issuer=issuer, min_score=min_score)
    if not rows:
        typer.echo("fazhi: no issuer has reports of two consecutive years (issuer and year known)", err=True)
    chosen = out.format_for(output, sys.stdout.isatty(), fmt)
    shown = [pr.brief(r) for r in rows] if chosen == "table" else rows if chosen == "jsonl" else [pr.flat(r) for r in rows]
    kept = sum(r["status"] == pr.KEPT for r in rows)
    write_rows(shown, output, chosen, f"{kept} of {len(rows)} plans kept")


@corpus_app.command("problems")
def problems(
    db: Db = "fazhi.db",
    min_reports: Annotated[int, typer.Option("--min-reports", help="Show groups admitted by at least this many reports.", min=1)] = 2,
    top: Annotated[Optional[int], typer.Option(help="Show only the first so many groups.", min=1)] = None,
    level: Annotated[Optional[str], typer.Option(help="Only reports of this level: province, city, county, township or department.")] = None,
    distance: Annotated[float, typer.Option(help="Group units whose average cosine distance is below this (smaller: tighter groups).", min=0.05, max=1.0)] = 0.9,
    fmt: Format = None,
    output: Output = None,
) -> None:
    """Problems that different reports admit, grouped by what they say: top terms, the most central sentence, reports and years."""
    from fazhi.corpus import problems as pb
    from fazhi.corpus import summary as out
    from fazhi.corpus.meta import LEVELS

    if level and level not in LEVELS:
        raise FazhiError(f"level must be one of {', '.join(LEVELS)}", "--level")
    rows = pb.corpus_problems(db=db, min_reports=min_reports, distance=distance, level=level, top=top)
    chosen = out.format_for(output, sys.stdout.isatty(), fmt)
    write_rows(rows if chosen == "jsonl" else [pb.flat(r) for r in rows], output, chosen, f"{len(rows)} problems admitted by {min_reports}+ reports")


@corpus_app.command("report")
def report(
    db: Db = "fazhi.db",
    output: Annotated[str, typer.Option("-o", "--output", help="The HTML file to write.")] = "corpus.html",
    top: Annotated[int, typer.Option(help="How many recurring problems to show.", min=1)] = 10,
) -> None:
    """One self-contained HTML page: problem share per year and level, recurring problems, promises kept."""
    from fazhi.corpus.page import corpus_report

    data = corpus_report(db=db, output=output, top=top)
    typer.echo(f"{data['totals']['reports']} reports drawn to {output}", err=True)
