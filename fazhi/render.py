"""Render predictions: a terminal table, CSV or JSON lines (HTML: see htmlview.py)."""
import csv
import json

from fazhi.model import LABELS

FIELDS = [
    "doc_id", "sent_id", "section", "text", "label", "confidence",
    "p_achievement", "p_metric", "p_problem", "p_plan", "figures", "uncertain",
]
FORMATS = ("table", "csv", "jsonl", "html")
COLORS = {"achievement": "green", "metric": "cyan", "problem": "red", "plan": "yellow"}


def format_for(output: str | None, is_tty: bool, requested: str | None) -> str:
    """The format asked for, else from the output file's extension, else table on a terminal."""
    if requested:
        return requested
    if output and output != "-":
        ext = output.rsplit(".", 1)[-1].lower()
        return {"csv": "csv", "html": "html", "htm": "html", "jsonl": "jsonl", "json": "jsonl"}.get(ext, "jsonl")
    return "table" if is_tty else "jsonl"


def write_jsonl(predictions, f) -> None:
    for p in predictions:
        f.write(json.dumps(p.as_dict(), ensure_ascii=False) + "\n")


def write_csv(predictions, f) -> None:
    w = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
    w.writeheader()
    for p in predictions:
        row = p.as_dict()
        row["figures"] = ";".join(row["figures"])
        row["uncertain"] = int(row["uncertain"])
        w.writerow(row)


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
        cells = [str(p.sent_id), f"[{COLORS[p.label]}]{p.label}[/]{mark}", f"{p.confidence:.2f}", escape(p.text), " ".join(p.figures)]
        table.add_row(*([p.doc_id] if many else []), *cells)
    console.print(table)
    if summary:
        write_summary(summary, console)


def write_summary(summary: dict, console) -> None:
    from rich.table import Table

    table = Table(title="units per bucket")
    for name in ("report", "units", *LABELS, "uncertain"):
        table.add_column(name, justify="left" if name == "report" else "right")
    for doc_id, s in summary.items():
        table.add_row(doc_id, str(s["units"]), *(str(s[lab]) for lab in LABELS), str(s["uncertain"]))
    console.print(table)


def summary_lines(summary: dict) -> list[str]:
    """One plain line per report, for stderr when stdout holds CSV or JSON lines."""
    return [
        f"{doc_id}: {s['units']} units — " + ", ".join(f"{lab} {s[lab]}" for lab in LABELS) + f", uncertain {s['uncertain']}"
        for doc_id, s in summary.items()
    ]


def write_evaluation(result: dict, console, title: str = "cross-validation") -> None:
    """Systems side by side, per-label F1, and fazhi's confusion matrix."""
    from rich.table import Table

    systems = [name for name in ("fazhi", "blind", "majority", "keyword_rule") if name in result]
    table = Table(title=title)
    table.add_column("")
    for name in systems:
        table.add_column(name, justify="right")
    for metric in ("macro_f1", "accuracy", "ece"):
        table.add_row(metric, *(f"{result[n][metric]:.3f}" for n in systems))
    for lab in LABELS:
        table.add_row(f"F1 {lab}", *(f"{result[n]['per_label'][lab]['f1']:.3f}" for n in systems))
    table.add_row("units", *(str(result[n]["n"]) for n in systems))
    console.print(table)
    conf = result["fazhi"]["confusion"]
    cm = Table(title="fazhi confusion (rows: true, columns: predicted)")
    cm.add_column("")
    for lab in conf["labels"]:
        cm.add_column(lab, justify="right")
    for lab, row in zip(conf["labels"], conf["matrix"]):
        cm.add_row(lab, *map(str, row))
    console.print(cm)
    for fold in result.get("folds", []):
        params = ", ".join(f"{k}={v}" for k, v in fold["params"].items())
        console.print(f"fold {fold['fold']}: {fold['test']} n={fold['n_test']} macro-F1 {fold['macro_f1']:.3f} {params}")
