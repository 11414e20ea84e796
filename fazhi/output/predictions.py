"""Predictions written out: a terminal table, CSV, TSV, JSON lines or an Excel workbook
(HTML: ``fazhi.output.html``)."""
import csv
import json

from fazhi.output.colors import TERMINAL
from fazhi.vocab import LABELS, bucket_counts

FIELDS = [
    "doc_id", "sent_id", "section", "text", "label", "confidence",
    "p_achievement", "p_metric", "p_problem", "p_plan", "figures", "uncertain",
]
FORMATS = ("table", "csv", "tsv", "jsonl", "html", "xlsx")
SUMMARY_COLUMNS = ["report", "units", *LABELS, "uncertain"]


def format_for(output: str | None, is_tty: bool, requested: str | None) -> str:
    """classify's format: asked for, else from -o's extension, else table on a terminal, else jsonl."""
    from fazhi.output.formats import choose_format

    return choose_format(output, is_tty, requested, formats=FORMATS, piped="jsonl")


def write_jsonl(predictions, f) -> None:
    for p in predictions:
        f.write(json.dumps(p.as_dict(), ensure_ascii=False) + "\n")


def flat_row(p) -> dict:
    """A prediction as a row of the CSV: figures joined with ``;``, uncertain as 0/1."""
    row = p.as_dict()
    row["figures"] = ";".join(row["figures"])
    row["uncertain"] = int(row["uncertain"])
    return row


def write_csv(predictions, f, delimiter: str = ",") -> None:
    w = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n", delimiter=delimiter)
    w.writeheader()
    for p in predictions:
        w.writerow(flat_row(p))


def write_tsv(predictions, f) -> None:
    write_csv(predictions, f, delimiter="\t")


def write_workbook(predictions, path: str, summary: dict) -> None:
    """An Excel workbook: a sheet of units (the CSV's columns) and a sheet of reports."""
    from fazhi.output.excel import Sheet, write_workbook as write

    reports = [{"report": doc_id, **s} for doc_id, s in summary.items()]
    write(path, [
        Sheet("units", [flat_row(p) for p in predictions], FIELDS, {"section": 30, "text": 80, "figures": 20}),
        Sheet("reports", reports, SUMMARY_COLUMNS, {"report": 30}),
    ])  # fmt: skip


def write_table(predictions, f, summary: dict | None = None, width: int | None = None) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(file=f, width=width, highlight=False)
    many = len({p.doc_id for p in predictions}) > 1
    table = Table(expand=True, show_lines=False)
    if many:
        table.add_column("doc", no_wrap=True, max_width=18)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("label", no_wrap=True)
    table.add_column("conf", justify="right", no_wrap=True)
    table.add_column("text", ratio=1, overflow="fold")
    table.add_column("figures", max_width=18, overflow="fold")
    for p in predictions:
        mark = "?" if p.uncertain else ""
        cells = [str(p.sent_id), f"[{TERMINAL[p.label]}]{p.label}[/]{mark}", f"{p.confidence:.2f}", escape(p.text), " ".join(p.figures)]
        table.add_row(*([p.doc_id] if many else []), *cells)
    console.print(table)
    if summary:
        write_summary(summary, console)


def write_summary(summary: dict, console) -> None:
    from rich.table import Table

    table = Table(title="units per bucket")
    for name in SUMMARY_COLUMNS:
        table.add_column(name, justify="left" if name == "report" else "right")
    for doc_id, s in summary.items():
        table.add_row(doc_id, str(s["units"]), *(str(s[lab]) for lab in LABELS), str(s["uncertain"]))
    console.print(table)


def per_report(predictions) -> dict[str, dict]:
    """Per report: units, units per bucket, and how many are uncertain."""
    docs: dict[str, list] = {}
    for p in predictions:
        docs.setdefault(p.doc_id, []).append(p)
    return {
        doc_id: {"units": len(ps), **bucket_counts(p.label for p in ps), "uncertain": sum(p.uncertain for p in ps)}
        for doc_id, ps in docs.items()
    }


def summary_lines(summary: dict) -> list[str]:
    """One plain line per report, for stderr when stdout holds CSV or JSON lines."""
    return [
        f"{doc_id}: {s['units']} units — " + ", ".join(f"{lab} {s[lab]}" for lab in LABELS) + f", uncertain {s['uncertain']}"
        for doc_id, s in summary.items()
    ]
