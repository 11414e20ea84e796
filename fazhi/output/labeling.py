"""The labeler's screen: one unit, its neighbours, the model's guess, the keys."""
from fazhi.labels.session import HELP_LINE, View


def render(console, view: View, message: str = "", clear: bool = False) -> None:
    """One screen: where the unit is, its neighbours dimmed, the unit, the model's guess, the keys."""
    from rich.markup import escape

    if clear:
        console.clear()
    where = f"{view.doc_id} #{view.sent_id}" if view.doc_id else f"row {view.row + 2}"
    console.print(f"[bold]{view.done}/{view.total} labeled[/]  ·  {escape(where)}  ·  order: {view.order}")
    console.print(f"[cyan]section:[/] {escape(view.section) or '[dim](none)[/]'}")
    console.print()
    for text, label in view.before:
        console.print(f"[dim]  {escape(text)}" + (f"  {escape('[' + label + ']')}" if label else "") + "[/]")
    console.print(f"[bold]▶ {escape(view.text)}[/]")
    for text, label in view.after:
        console.print(f"[dim]  {escape(text)}" + (f"  {escape('[' + label + ']')}" if label else "") + "[/]")
    console.print()
    if view.probabilities:
        ranked = sorted(view.probabilities.items(), key=lambda kv: -kv[1])
        rest = ", ".join(f"{lab} {p:.2f}" for lab, p in ranked[1:3])
        console.print(f"model: [bold]{view.guess}[/] {view.confidence:.2f}  [dim]({rest})[/]")
    if view.hint:
        console.print(f"[yellow]hint: {escape(view.hint)}[/]")
    if message:
        console.print(f"[green]{escape(message)}[/]")
    console.print(f"[dim]{HELP_LINE}[/]")
