"""The one exception the commands raise for a mistake on the command line."""

from __future__ import annotations


class CLIError(Exception):
    """A user mistake (unknown module, bad literal, unknown git ref ...): printed as one line,
    exit status 1 (2 for a usage error)."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status
