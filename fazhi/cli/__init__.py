"""The command line: one module per command, each parsing options, calling fazhi's
library and printing; nothing else lives here."""
import sys

import typer

from fazhi.cli import classify, corpus, evaluate, explain, label, segment, summarize, train  # noqa: F401  (registers the commands)
from fazhi.cli.app import app
from fazhi.cli.common import warn
from fazhi.errors import USAGE, FazhiError


def _click_class(name: str) -> type:
    """A class of the click typer runs on (its own copy, or click itself), by name."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)


def usage_line(error) -> str:
    """A click usage error as one line, with where to look for help."""
    message = " ".join(error.format_message().split())
    ctx = getattr(error, "ctx", None)
    where = ctx.command_path if ctx is not None else "fazhi"
    return f"fazhi: error: {message} (see {where} --help)"


def main() -> None:
    try:
        code = app(standalone_mode=False, prog_name="fazhi")
    except FazhiError as e:
        warn(e)
        sys.exit(USAGE)
    except _click_class("ClickException") as e:
        if type(e).__name__ == "NoArgsIsHelpError" and getattr(e, "ctx", None) is not None:
            typer.echo(e.ctx.get_help())  # no command: the help, as a usage error
        else:
            typer.echo(usage_line(e), err=True)
        sys.exit(e.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("fazhi: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(code if isinstance(code, int) else 0)
