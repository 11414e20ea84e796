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
        console.print(f"predicted [bold]{lab}[/] {p[lab]:.2f}, runner-up {other} {p[other]:.2f} (as classify labels it)")
    else:
        console.print(f"predicted {data['predicted']} {p[data['predicted']]:.2f}; explaining [bold]{lab}[/] {p[lab]:.2f} against {other} {p[other]:.2f}")
    for line in how_lines(data["how"]):
        console.print(escape(line))
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


def _best(probs: dict) -> tuple[str, float]:
    label = max(probs, key=probs.get)
    return label, probs[label]


def how_lines(how: dict) -> list[str]:
    """How classify came to its label: which reading was taken, what block decoding did."""
    lines = []
    if how.get("alone") is not None:
        label, p = _best(how["alone"])
        if how["read"] == "alone":
            lines.append(f"read alone: the sentence alone reaches {label} {p:.2f} ≥ {how['sentence_first']:.2f}, so its context is not used")
        else:
            lines.append(f"read with its context: alone the sentence reaches only {label} {p:.2f} < {how['sentence_first']:.2f}")
    if how["explained"] != how["read"]:
        lines.append(f"the features below are of the sentence read {'alone' if how['explained'] == 'alone' else 'with its context'}, not as classify read it")
    before, after = _best(how["before_decoding"]), _best(how["final"])
    if not how["decoded"]:
        lines.append("no block decoding for a sentence on its own; in a report classify also weighs its neighbours (--report FILE explains it there)")
    elif before[0] != after[0]:
        lines.append(
            f"block decoding over the report's {how['units']} units moved it from {before[0]} {before[1]:.2f} to {after[0]} {after[1]:.2f}: "
            "its neighbours, not the features below, decided the label"
        )
    else:
        lines.append(f"block decoding over the report's {how['units']} units: {after[0]} {before[1]:.2f} → {after[1]:.2f}")
    return lines
