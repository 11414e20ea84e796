"""The command line: parse options, call fazhi's library, print. Nothing else."""
import sys
from typing import Annotated, Optional

import typer

from fazhi.errors import PARTIAL, USAGE, FazhiError

app = typer.Typer(
    name="fazhi",
    help="Sort the sentences of law-based-government reports into achievement, metric, problem and plan.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

Reports = Annotated[list[str], typer.Argument(help="Report files, folders or globs; - for stdin.", show_default=False)]
Output = Annotated[Optional[str], typer.Option("-o", "--output", help="Write here instead of stdout.")]
Jobs = Annotated[int, typer.Option("--jobs", "-j", help="Read and segment the files in this many processes.", min=1)]


@app.callback()
def _root() -> None:
    """Sort the sentences of law-based-government reports into achievement, metric, problem and plan."""


def _warn(error: FazhiError) -> None:
    typer.echo(f"fazhi: error: {error}", err=True)


def _load_all(sources: list[str], jobs: int = 1):
    """The reports that load; errors printed. Exit code: 0 all, 1 some failed, 2 none loaded."""
    from fazhi.report import load_reports

    return _collect(result for _, result in load_reports(sources, jobs))


def _collect(results, advance=lambda: None):
    """The results that are not errors, each error printed; with the exit code:
    0 all good, 1 some failed; exits 2 when none succeeded."""
    good, failed = [], 0
    for result in results:
        if isinstance(result, FazhiError):
            _warn(result)
            failed += 1
        else:
            good.append(result)
        advance()
    if not good:
        raise typer.Exit(USAGE)
    return good, (PARTIAL if failed else 0)


def _write_text(output: Optional[str], write) -> None:
    """Call ``write(f)`` on stdout, or on ``output`` written atomically."""
    if output in (None, "-"):
        write(sys.stdout)
        return
    from fazhi.atomic import atomic_open

    with atomic_open(output, newline="") as f:
        write(f)


@app.command()
def segment(reports: Reports, output: Output = None, jobs: Jobs = 1) -> None:
    """Cut reports into units and write them as a labels CSV with empty labels."""
    from fazhi.labels import unit_rows, write_rows

    loaded, code = _load_all(reports, jobs)
    rows = [row for report in loaded for row in unit_rows(report.units)]
    _write_text(output, lambda f: write_rows(rows, f))
    if output:
        typer.echo(f"{len(rows)} units from {len(loaded)} reports written to {output}", err=True)
    raise typer.Exit(code)


ModelDir = Annotated[Optional[str], typer.Option("--model", "-m", help="Model folder (default: the shipped model/).")]


def _console(err: bool = False):
    from rich.console import Console

    return Console(stderr=err, highlight=False)


@app.command()
def train(
    labels: Annotated[list[str], typer.Argument(help="Labels CSV files (doc_id,sent_id,section,text,label,note or text,label).")],
    output: Annotated[str, typer.Option("-o", "--output", help="Model folder to write.")] = "model",
    seed: Annotated[int, typer.Option(help="Random seed: same data and seed give the same model.")] = 0,
    search: Annotated[bool, typer.Option(help="Search hyper-parameters inside the training folds.")] = True,
    cv: Annotated[bool, typer.Option(help="Cross-validate and record the scores in the card.")] = True,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Parallel jobs for the search (-1: all cores).")] = -1,
) -> None:
    """Fit a model on labeled units, cross-validate it, save it with its card."""
    from fazhi.train import train as fit_model

    card = fit_model(labels, output, seed=seed, search=search, cv=cv, jobs=jobs)
    counts = ", ".join(f"{k} {v}" for k, v in card["counts"].items())
    typer.echo(f"trained on {card['n_units']} units from {card['n_reports']} reports ({counts})", err=True)
    if card["cv"]:
        s = card["cv"]
        line = ", ".join(f"{name} {s[name]['macro_f1']:.3f}" for name in ("fazhi", "blind", "majority", "keyword_rule") if name in s)
        typer.echo(f"{s['scheme']} macro-F1: {line}", err=True)
    typer.echo(f"model written to {output}/ (sha256 {card['model_sha256'][:12]})", err=True)


@app.command()
def classify(
    reports: Reports,
    model: ModelDir = None,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="table, csv, jsonl or html (default: table on a terminal, else from -o's extension, else jsonl).")] = None,
    output: Output = None,
    min_confidence: Annotated[float, typer.Option("--min-confidence", help="Mark units below this confidence as uncertain.", min=0.0, max=1.0)] = 0.0,
    jobs: Jobs = 1,
) -> None:
    """Sort every sentence of the reports into achievement, metric, problem, plan."""
    from fazhi.imports import without

    with without("pandas"):
        from fazhi.predict import classify as predict, summarize_predictions
        from fazhi.render import FORMATS, format_for, summary_lines, write_csv, write_jsonl, write_table
        from fazhi.store import load_model

    if fmt and fmt not in FORMATS:
        raise FazhiError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})", "--format")
    pipeline, _ = load_model(model)
    loaded, code = _load_all(reports, jobs)
    predictions = predict(loaded, pipeline, min_confidence)
    summary = summarize_predictions(predictions)
    fmt = format_for(output, sys.stdout.isatty(), fmt)
    if fmt == "html":
        from fazhi.htmlview import write_html

        _write_text(output, lambda f: write_html(loaded, predictions, f, min_confidence=min_confidence))
    elif fmt == "table":
        _write_text(output, lambda f: write_table(predictions, f, summary))
    else:
        _write_text(output, lambda f: (write_csv if fmt == "csv" else write_jsonl)(predictions, f))
    if fmt != "table" or output:
        for line in summary_lines(summary):
            typer.echo(line, err=True)
    raise typer.Exit(code)


@app.command()
def evaluate(
    labels: Annotated[Optional[list[str]], typer.Argument(help="Labels CSV files to cross-validate on.", show_default=False)] = None,
    folds: Annotated[Optional[int], typer.Option("--folds", "-k", help="Number of folds (default: one per report up to 10 reports, else 5).", min=2)] = None,
    group: Annotated[str, typer.Option(help="doc_id: folds are whole reports; none: units shuffled.")] = "doc_id",
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    blind_section: Annotated[bool, typer.Option("--blind-section", help="Also score units with their section and other report context removed.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")] = False,
    model: ModelDir = None,
    test: Annotated[Optional[str], typer.Option("--test", help="With --model: a labeled file the model did not train on.")] = None,
    search: Annotated[bool, typer.Option(help="Search hyper-parameters inside each training fold.")] = True,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Parallel jobs for the search (-1: all cores).")] = -1,
) -> None:
    """Cross-validate on labeled reports, with baselines beside; or score a saved model with --test."""
    import json

    from fazhi.render import write_evaluation

    if group not in ("doc_id", "none"):
        raise FazhiError(f"--group must be doc_id or none, not {group!r}")
    if test:
        from fazhi.labels import load_labels
        from fazhi.store import load_model
        from fazhi.evaluate import score_model
        from fazhi.train import training_data

        pipeline, _ = load_model(model)
        labeled = load_labels([test])
        X, y, _ = training_data(labeled)
        result = score_model(pipeline, X, y)
        if blind_section:
            result["blind"] = score_model(pipeline, training_data(labeled, blind=True)[0], y)["fazhi"]
        title = f"{model or 'model'} on {test}"
    else:
        if not labels:
            raise FazhiError("give a labels CSV to cross-validate on, or --model DIR --test FILE")
        from fazhi.labels import load_labels
        from fazhi.model import GRID
        from fazhi.train import cross_validate_labels

        labeled = load_labels(labels)
        res = cross_validate_labels(
            labeled, folds=folds, group=group == "doc_id", seed=seed, grid=GRID if search else {}, blind=blind_section, jobs=jobs
        )
        result = res.as_json()
        title = "cross-validation, folds " + ("by report" if group == "doc_id" else "over units")
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
    else:
        write_evaluation(result, _console(), title)


@app.command()
def label(
    units: Annotated[str, typer.Argument(help="Labels CSV to label in place (as written by fazhi segment).", show_default=False)],
    model: ModelDir = None,
    order: Annotated[str, typer.Option("--order", help="file: file order; uncertain: unlabeled units the model is least sure of first.")] = "file",
) -> None:
    """Label units by hand: 1-4 achievement/metric/problem/plan, s skip, u undo, n next, q quit; each answer is saved at once."""
    from fazhi.labeler import keyboard, render, run, start

    session = start(units, model, order)
    if session.warning:
        typer.echo(f"fazhi: {session.warning}", err=True)
    console = _console()
    on_terminal = sys.stdin.isatty() and sys.stdout.isatty()
    code = 0
    try:
        with keyboard() as read_key:
            run(session, read_key, lambda view, msg: render(console, view, msg, clear=on_terminal), console.print)
    except KeyboardInterrupt:
        code = 130
    s = session.summary()
    typer.echo(f"{s['answered']} answers saved to {units}; {s['remaining']} of {s['total']} units unlabeled", err=True)
    raise typer.Exit(code)


def _explain_tables(data: dict, console) -> None:
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


@app.command()
def explain(
    sentence: Annotated[Optional[str], typer.Argument(help="The sentence; leave out to list the strongest features of each label.", show_default=False)] = None,
    model: ModelDir = None,
    section: Annotated[str, typer.Option("--section", help="The top-level heading the sentence sits under (default: none).")] = "",
    top: Annotated[int, typer.Option("--top", "-n", help="Features shown each way (per label without a sentence).", min=1)] = 10,
    against: Annotated[Optional[str], typer.Option("--label", help="Explain this label instead of the predicted one.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")] = False,
) -> None:
    """The features that pushed a sentence toward its label and away from the runner-up; or each label's strongest features."""
    import json

    from fazhi.explain import check_sentence, explain_sentence, top_features
    from fazhi.store import load_model

    if sentence is None and (section or against):
        raise FazhiError("--section and --label need a sentence to explain")
    if sentence is not None:
        check_sentence(sentence)
    pipeline, _ = load_model(model)
    data = top_features(pipeline, top) if sentence is None else explain_sentence(pipeline, sentence, section, top, label=against)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
    else:
        _explain_tables(data, _console())


@app.command()
def summarize(
    reports: Reports,
    output: Output = None,
    model: ModelDir = None,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="table, csv or jsonl (default: table on a terminal, else jsonl for a .jsonl/.json -o, else csv).")] = None,
) -> None:
    """One row per report: units per bucket, share of problems, the figures and the plan items."""
    from fazhi.imports import without

    with without("pandas"):
        from fazhi.store import load_model
        from fazhi.summarize import expand, format_for, iter_summaries, write_csv, write_jsonl, write_table

    fmt = format_for(output, sys.stdout.isatty(), fmt)
    pipeline, _ = load_model(model)
    paths = expand(reports)
    with _progress(len(paths) > 5 and sys.stderr.isatty(), len(paths), "summarizing") as advance:
        rows, code = _collect((result for _, result in iter_summaries(paths, pipeline)), advance)
    writer = {"table": write_table, "csv": write_csv, "jsonl": write_jsonl}[fmt]
    _write_text(output, lambda f: writer(rows, f))
    if output and output != "-":
        typer.echo(f"{len(rows)} reports summarized to {output}", err=True)
    raise typer.Exit(code)


def _progress(show: bool, total: int, what: str):
    """A context yielding ``advance()``: a rich progress bar on stderr when ``show``, else nothing."""
    import contextlib

    if not show:
        return contextlib.nullcontext(lambda: None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    @contextlib.contextmanager
    def bar():
        with Progress(
            TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=_console(err=True), transient=True
        ) as progress:
            task = progress.add_task(what, total=total)
            yield lambda: progress.advance(task)

    return bar()


def main() -> None:
    try:
        app()
    except FazhiError as e:
        _warn(e)
        sys.exit(USAGE)
    except KeyboardInterrupt:
        typer.echo("fazhi: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
