"""One row per report: units per bucket, share of problems, the figures and the plan items.

The table an analyst compares a hundred reports with. ``summarize`` is the Python
twin of ``fazhi summarize``; rows hold lists (``figures``, ``plan_items``) that
the CSV and the terminal table join with ``;`` and `` | ``.
"""
import csv
import json

from fazhi.errors import FazhiError
from fazhi.model import LABELS
from fazhi.predict import classify

COLUMNS = [
    "doc_id", "units", *LABELS, "problem_share", "n_figures", "figures", "n_plan_items", "plan_items",
]
FORMATS = ("table", "csv", "jsonl")
FIGURE_SEP = ";"
PLAN_SEP = " | "


def row_from_predictions(doc_id: str, predictions) -> dict:
    """The row of one report from its predictions."""
    counts = {lab: sum(p.label == lab for p in predictions) for lab in LABELS}
    units = len(predictions)
    figures = [f for p in predictions if p.label == "metric" for f in p.figures]
    plans = [p.text for p in predictions if p.label == "plan"]
    return {
        "doc_id": doc_id,
        "units": units,
        **counts,
        "problem_share": round(counts["problem"] / units, 4) if units else 0.0,
        "n_figures": len(figures),
        "figures": figures,
        "n_plan_items": len(plans),
        "plan_items": plans,
    }


def summarize_report(report, model) -> dict:
    """The row of one report, classified on its own."""
    return row_from_predictions(report.doc_id, classify([report], model))


def summarize(reports, model=None) -> list[dict]:
    """One row per report (the shipped model by default), in the order given."""
    if model is None:
        from fazhi.store import load_model

        model, _ = load_model()
    return [summarize_report(r, model) for r in reports]


def expand(sources: list[str]) -> list[str | FazhiError]:
    """The report paths named by files, folders and globs; a source that names none is its error."""
    from fazhi.report import expand_each

    return [error or path for path, error in expand_each(sources)]


def iter_summaries(paths: list[str | FazhiError], model):
    """Yield ``(source, row or FazhiError)`` per path from ``expand``, never raising for one file."""
    from fazhi.report import load_report

    for path in paths:
        if isinstance(path, FazhiError):
            yield path.path, path
            continue
        try:
            report = load_report(path)
        except FazhiError as e:
            yield path, e
            continue
        yield path, summarize_report(report, model)


def format_for(output: str | None, is_tty: bool, requested: str | None) -> str:
    """The format asked for, else from -o's extension (jsonl/json, else csv), else table on a terminal, else csv."""
    if requested:
        if requested not in FORMATS:
            raise FazhiError(f"unknown format {requested!r} (one of {', '.join(FORMATS)})", "--format")
        return requested
    if output and output != "-":
        return "jsonl" if output.lower().endswith((".jsonl", ".json")) else "csv"
    return "table" if is_tty else "csv"


def flat_row(row: dict) -> dict:
    """The row with its lists joined, as in the CSV."""
    return {**row, "figures": FIGURE_SEP.join(row["figures"]), "plan_items": PLAN_SEP.join(row["plan_items"])}


def write_csv(rows: list[dict], f) -> None:
    w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow(flat_row(row))


def write_jsonl(rows: list[dict], f) -> None:
    for row in rows:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_table(rows: list[dict], f, width: int | None = None) -> None:
    """A rich table: counts, problem share and figures; the plan items' texts are in the CSV."""
    from rich.console import Console
    from rich.table import Table

    from fazhi.render import COLORS

    console = Console(file=f, width=width, highlight=False)
    table = Table(title=f"{len(rows)} reports", expand=True)
    table.add_column("report", no_wrap=True)
    table.add_column("units", justify="right")
    for lab in LABELS:
        table.add_column(f"[{COLORS[lab]}]{lab}[/]", justify="right")
    table.add_column("problem %", justify="right")
    table.add_column("figures", justify="right")
    table.add_column("plan items", justify="right")
    table.add_column("first figures", ratio=1, no_wrap=True, overflow="ellipsis")
    for row in rows:
        table.add_row(
            row["doc_id"],
            str(row["units"]),
            *(str(row[lab]) for lab in LABELS),
            f"{100 * row['problem_share']:.1f}",
            str(row["n_figures"]),
            str(row["n_plan_items"]),
            " ".join(row["figures"]),
        )
    console.print(table)
