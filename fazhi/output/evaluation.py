"""The evaluation report: systems side by side, per-label F1, fazhi's confusion matrix, folds."""
from fazhi.vocab import LABELS


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
    if result.get("diagnostics"):
        write_diagnostics(result["diagnostics"], console)


def write_diagnostics(diag: dict, console) -> None:
    """Slices, the worst report and the reliability table."""
    from rich.table import Table

    for column, values in diag.get("slices", {}).items():
        table = Table(title=f"fazhi by {column}", title_justify="left")
        for name, justify in ((column, "left"), ("units", "right"), ("macro_f1", "right"), ("accuracy", "right")):
            table.add_column(name, justify=justify)
        for value, s in values.items():
            table.add_row(value or "(empty)", str(s["n"]), f"{s['macro_f1']:.3f}", f"{s['accuracy']:.3f}")
        console.print(table)
    worst = diag.get("worst_report") or {}
    if worst.get("doc_id"):
        console.print(
            f"worst report: {worst['doc_id']}: {100 * worst['share']:.0f}% of its {worst['units']} units "
            f"wrongly in {worst['wrong_bucket']}"
        )
    table = Table(title="reliability (confidence bins)", title_justify="left")
    for name in ("confidence", "units", "mean confidence", "accuracy"):
        table.add_column(name, justify="right")
    for row in diag.get("reliability", []):
        table.add_row(f"{row['from']:.1f}–{row['to']:.1f}", str(row["n"]), f"{row['confidence']:.3f}", f"{row['accuracy']:.3f}")
    console.print(table)
    if diag.get("cross_report_conflicts"):
        console.print(f"{diag['cross_report_conflicts']} texts carry different labels in different reports")
