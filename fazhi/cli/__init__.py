"""The command line: one module per command, each parsing options, calling fazhi's
library and printing; nothing else lives here."""
import sys

import typer

from fazhi.cli import classify, corpus, evaluate, explain, label, segment, summarize, train  # noqa: F401  (registers the commands)
from fazhi.cli.app import app
from fazhi.cli.common import warn
from fazhi.errors import USAGE, FazhiError


def main() -> None:
    try:
        app()
    except FazhiError as e:
        warn(e)
        sys.exit(USAGE)
    except KeyboardInterrupt:
        typer.echo("fazhi: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
