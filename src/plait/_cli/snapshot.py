"""A dataflow's nodes as ``{name: {"kind", "version"}}``, for ``plait diff``.

Run as ``python -m plait._cli.snapshot`` it reads ``{"modules": [[name, root], ...],
"config": "<repr of a dict>"}`` on stdin, imports the modules from their roots (the old code,
exported from git), and prints their snapshot as JSON; any failure is one line on stderr and
exit status 1. That keeps the old code out of the process that holds the new code.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plait._cli import load
from plait._cli.errors import CLIError

if TYPE_CHECKING:
    from plait.driver import Driver


def of(dr: Driver) -> dict[str, dict[str, Any]]:
    """Each node's kind and code version (inputs have none: an input is the same input
    whatever code consumes it)."""
    out: dict[str, dict[str, Any]] = {}
    for node in dr.list_available_variables():
        kind = load.node_kind(node, dr.config)
        out[node.name] = {"kind": kind, "version": node.version if kind == "function" else None}
    return out


def main() -> int:
    """Snapshot the modules named on stdin; print JSON."""
    try:
        request = json.loads(sys.stdin.read())
        config = ast.literal_eval(request["config"])
        refs = [load.ModuleRef(name, name, Path(root)) for name, root in request["modules"]]
        modules = [load.import_ref(ref) for ref in refs]
        dr = load.build_driver(modules, config)
        sys.stdout.write(json.dumps(of(dr)))
    except Exception as exc:  # reported by the parent as one line
        message = str(exc) if isinstance(exc, CLIError) else load.describe(exc)
        sys.stderr.write(" ".join(message.split()) + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
