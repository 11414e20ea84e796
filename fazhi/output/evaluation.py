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
