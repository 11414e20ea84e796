"""fazhi explain: the features behind a prediction, or each label's strongest features."""
from typing import Annotated, Optional

import typer

from fazhi.cli.app import ModelDir, app
from fazhi.cli.common import console
from fazhi.errors import FazhiError


@app.command()
def explain(
    sentence: Annotated[Optional[str], typer.Argument(help="The sentence; leave out to list the strongest features of each label.", show_default=False)] = None,
    model: ModelDir = None,
    section: Annotated[str, typer.Option("--section", help="The top-level heading the sentence sits under (default: none).")] = "",
    top: Annotated[int, typer.Option("--top", "-n", help="Features shown each way (per label without a sentence).", min=1)] = 10,
    against: Annotated[Optional[str], typer.Option("--label", help="Explain this label instead of the predicted one.")] = None,
    report: Annotated[Optional[str], typer.Option("--report", help="Explain the sentence where it stands in this report, as classify labels it there.", metavar="FILE")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")] = False,
) -> None:
    """The features that pushed a sentence toward the label classify gives it and away from the runner-up; or each label's strongest features."""
    import json

    from fazhi.learning.explain import check_sentence, explain_sentence, top_features
    from fazhi.learning.store import load_model
    from fazhi.output.explain import write_explanation

    if sentence is None and (section or against or report):
        raise FazhiError("--section, --label and --report need a sentence to explain")
    if report and section:
        raise FazhiError("--section comes from the report with --report: give one of them")
    if sentence is not None:
        check_sentence(sentence)
    loaded = None
    if report:
        from fazhi.units.report import load_report

        loaded = load_report(report)
    pipeline, _ = load_model(model)
    data = top_features(pipeline, n=top) if sentence is None else explain_sentence(pipeline, sentence, section=section, top=top, label=against, report=loaded)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
    else:
        write_explanation(data, console())
