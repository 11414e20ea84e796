"""One row per report: units per bucket, share of problems, the figures and the plan items.

The table an analyst compares a hundred reports with. ``summarize`` is the Python
twin of ``fazhi summarize``; rows hold lists (``figures``, ``plan_items``) that
the CSV and the terminal table join with ``;`` and `` | ``.
"""
import csv
import json

from fazhi.errors import FazhiError
from fazhi.output.colors import TERMINAL
from fazhi.vocab import LABELS, bucket_counts

COLUMNS = [
    "doc_id", "units", *LABELS, "problem_share", "n_figures", "figures", "n_plan_items", "plan_items",
]
FORMATS = ("table", "csv", "tsv", "jsonl", "xlsx")
FIGURE_SEP = ";"
PLAN_SEP = " | "


def row_from_predictions(doc_id: str, predictions) -> dict:
    """The row of one report from its predictions."""
    counts = bucket_counts(p.label for p in predictions)
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
    from fazhi.learning.predict import classify

    return row_from_predictions(report.doc_id, classify([report], model))


def summarize(reports, model=None) -> list[dict]:
    """One row per report (the shipped model by default), in the order given."""
    if model is None:
        from fazhi.learning.store import load_model

        model, _ = load_model()
    return [summarize_report(r, model) for r in reports]


def expand(sources: list[str]) -> list[tuple[str, str | None, FazhiError | None]]:
    """``(path, doc_id, None)`` per report named; ``(source, None, error)`` for a source naming none."""
    from fazhi.units.loading import named_reports

    return named_reports(sources)


def iter_summaries(named: list, model):
    """Yield ``(source, row or FazhiError)`` per report of each entry of ``expand`` (a file may
    hold several), never raising for one file."""
    from fazhi.units.loading import each_report, load_or_error

    for path, doc_id, error in named:
        for _, result in each_report(path, error or load_or_error(path, doc_id)):
            yield path, result if isinstance(result, FazhiError) else summarize_report(result, model)


def format_for(output: str | None, is_tty: bool, requested: str | None) -> str:
    """summarize's format: asked for, else from -o's extension, else table on a terminal, else csv."""
    from fazhi.output.formats import choose_format

    return choose_format(output, is_tty, requested, formats=FORMATS, piped="csv")


def flat_row(row: dict) -> dict:
    """The row with its lists joined, as in the CSV."""
    return {**row, "figures": FIGURE_SEP.join(row["figures"]), "plan_items": PLAN_SEP.join(row["plan_items"])}


def write_csv(rows: list[dict], f, delimiter: str = ",") -> None:
    w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n", delimiter=delimiter)
    w.writeheader()
    for row in rows:
        w.writerow(flat_row(row))


def write_tsv(rows: list[dict], f) -> None:
    write_csv(rows, f, delimiter="\t")


def write_workbook(rows: list[dict], path: str) -> None:
    """An Excel workbook with one sheet: a row per report."""
    from fazhi.output.excel import Sheet, write_workbook as write

    write(path, [Sheet("reports", [flat_row(r) for r in rows], COLUMNS, {"doc_id": 30, "figures": 40, "plan_items": 80})])


def write_jsonl(rows: list[dict], f) -> None:
    for row in rows:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_table(rows: list[dict], f, width: int | None = None) -> None:
    """A rich table: counts, problem share and figures; the plan items' texts are in the CSV."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=f, width=width, highlight=False)
    table = Table(title=f"{len(rows)} reports", expand=True)
    table.add_column("report", no_wrap=True)
    table.add_column("units", justify="right")
    for lab in LABELS:
        table.add_column(f"[{TERMINAL[lab]}]{lab}[/]", justify="right")
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
