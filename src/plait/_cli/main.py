"""The ``plait`` console script: run the commands; turn every failure into one line.

``main`` imports ``click`` and the commands when called (``import plait`` never does). An
error (an unknown module, a bad literal, an unknown output, a git ref not found, an exception
raised by a node) is printed as ``plait: error: ...`` on one line of stderr, exit status 1
(2 for a usage mistake); ``--debug`` shows the traceback instead. Warnings are one line too.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

PROG = "plait"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _error(message: str) -> None:
    sys.stderr.write(f"{PROG}: error: {_one_line(message)}\n")


@contextlib.contextmanager
def _short_warnings() -> Iterator[None]:
    """Print each warning as ``plait: warning: ...`` (no source line, no file:line)."""

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        sys.stderr.write(f"{PROG}: warning: {_one_line(str(message))}\n")

    saved = warnings.showwarning
    warnings.showwarning = show
    try:
        yield
    finally:
        warnings.showwarning = saved


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        from plait._cli.commands import cli
    except ModuleNotFoundError as exc:
        if exc.name not in ("click", "rich"):
            raise
        _error(f"the plait command needs '{exc.name}': pip install \"plait[cli]\"")
        return 1
    with _short_warnings():
        return _run(cli, args, debug="--debug" in args)


def _run(cli: Any, args: list[str], debug: bool) -> int:
    import click

    from plait._cli.errors import CLIError
    from plait._cli.load import describe

    try:
        status = cli.main(args, prog_name=PROG, standalone_mode=False)
    except click.exceptions.Abort:
        _error("aborted")
        return 130
    except click.ClickException as exc:
        return _click_error(exc)
    except CLIError as exc:
        if debug:
            raise
        _error(str(exc))
        return exc.status
    except Exception as exc:
        if debug:
            raise
        from plait.errors import PlaitError

        _error(str(exc) if isinstance(exc, PlaitError) else describe(exc))
        return 1
    return status if isinstance(status, int) else 0


def _click_error(exc: Any) -> int:
    """A usage mistake: one line and a pointer to the help (just the help for bare ``plait``)."""
    import click

    no_args = getattr(click.exceptions, "NoArgsIsHelpError", ())
    if isinstance(exc, no_args) and exc.ctx is not None:  # click >= 8.2: `plait` alone
        sys.stdout.write(exc.ctx.get_help() + "\n")
        return 0
    message = exc.format_message().rstrip(".")
    if isinstance(exc, click.UsageError) and exc.ctx is not None:
        message += f"; see '{exc.ctx.command_path} --help'"
    _error(message + ".")
    return int(exc.exit_code)


if __name__ == "__main__":
    sys.exit(main())
