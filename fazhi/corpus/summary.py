"""Counts from the corpus database: reports, units per bucket and the share of problems,
by year, issuer, province, level or kind; written as a table, CSV, JSON lines or xlsx."""
import csv
import json

from fazhi.corpus.schema import DEFAULT_DB, connect
from fazhi.errors import FazhiError
from fazhi.vocab import LABELS

BY = ("year", "issuer", "province", "level", "kind")
FORMATS = ("table", "csv", "jsonl", "xlsx")
UNKNOWN = "unknown"


def corpus_summary(*, db: str = DEFAULT_DB, by: str = "year") -> list[dict]:
    """One row per value of ``by`` (unknown last): reports, issuers, units, units per
    bucket, problem_share and plan_share, from the stored predictions."""
    if by not in BY:
        raise FazhiError(f"cannot summarize by {by!r} (one of {', '.join(BY)})", "--by")
    conn = connect(db, create=False)
    try:
        sums = ", ".join(f"SUM({lab})" for lab in LABELS)
        rows = conn.execute(
            f"SELECT {by}, COUNT(*), COUNT(DISTINCT issuer), SUM(n_units), {sums} FROM reports "
            f"GROUP BY {by} ORDER BY {by} IS NULL, {by}"
        ).fetchall()
    finally:
        conn.close()
    out = []
    for key, reports, issuers, units, *counts in rows:
        units = units or 0
        row = {by: UNKNOWN if key is None else key, "reports": reports, "issuers": issuers, "units": units}
        row.update({lab: n or 0 for lab, n in zip(LABELS, counts)})
        row["problem_share"] = round(row["problem"] / units, 4) if units else 0.0
        row["plan_share"] = round(row["plan"] / units, 4) if units else 0.0
        out.append(row)
    return out


def format_for(output: str | None, is_tty: bool, requested: str | None) -> str:
    """The format asked for, else from -o's extension (.xlsx too), else table on a terminal, else csv."""
    from fazhi.output.formats import choose_format

    if not requested and output and output.lower().endswith(".xlsx"):
        return "xlsx"
    return choose_format(output, is_tty, requested, formats=FORMATS, piped="csv")


def write_csv(rows: list[dict], f) -> None:
    if not rows:
        return
    w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)


def write_jsonl(rows: list[dict], f) -> None:
    for row in rows:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_xlsx(rows: list[dict], path: str, sheet: str = "summary") -> None:
    """An Excel workbook at ``path``, written atomically."""
    import io

    import pandas as pd

    from fazhi.atomic import atomic_open

    buffer = io.BytesIO()
    pd.DataFrame(rows).to_excel(buffer, sheet_name=sheet, index=False, engine="openpyxl")
    with atomic_open(path, "wb") as f:
        f.write(buffer.getvalue())


def write_table(rows: list[dict], f, title: str = "", width: int | None = None) -> None:
    """A rich table of any rows: numbers right-aligned, shares as percentages."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=f, width=width, highlight=False)
    table = Table(title=title or None)
    columns = list(rows[0]) if rows else []
    for name in columns:
        numeric = all(isinstance(r[name], (int, float)) for r in rows)
        table.add_column(name.replace("_share", " %"), justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*(_cell(k, v) for k, v in row.items()))
    console.print(table)


def _cell(key: str, value) -> str:
    if key.endswith("_share"):
        return f"{100 * value:.1f}"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)
