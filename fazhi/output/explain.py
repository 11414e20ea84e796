"""The explanation of a prediction, or each label's strongest features, as terminal tables."""


def write_explanation(data: dict, console) -> None:
    from rich.markup import escape
    from rich.table import Table

    if "top" in data:
        for lab in data["labels"]:
            console.print(f"strongest features of {lab}")
            table = Table()
            table.add_column("#", justify="right")
            table.add_column("feature")
            table.add_column("weight", justify="right")
            for i, f in enumerate(data["top"][lab], 1):
                table.add_row(str(i), escape(f["display"]), f"{f['weight']:+.3f}")
            console.print(table)
        return
    lab, other, lin = data["label"], data["runner_up"], data["linear"]
    p = data["probabilities"]
    console.print(f"「{escape(data['text'])}」  section: {escape(data['section']) or '(none)'}")
    if lab == data["predicted"]:
        console.print(f"predicted [bold]{lab}[/] {p[lab]:.2f}, runner-up {other} {p[other]:.2f}")
    else:
        console.print(f"predicted {data['predicted']} {p[data['predicted']]:.2f}; explaining [bold]{lab}[/] {p[lab]:.2f} against {other} {p[other]:.2f}")
    for title, rows in ((f"toward {lab}", data["toward"]), (f"toward {other} (away from {lab})", data["away"])):
        table = Table(title=title, title_justify="left")
        table.add_column("#", justify="right")
        table.add_column("feature")
        table.add_column("value", justify="right")
        table.add_column("contribution", justify="right")
        for i, f in enumerate(rows, 1):
            table.add_row(str(i), escape(f["display"]), f"{f['value']:.3f}", f"{f['contribution']:+.3f}")
        console.print(table)
    console.print(
        f"linear score {lab} − {other}: {lin['difference']:+.3f} = features {lin['features_sum']:+.3f} "
        f"({lin['features']} present) + intercepts {lin['intercept_difference']:+.3f}"
    )
