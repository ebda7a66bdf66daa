"""What ``plait list`` and ``plait validate`` compute and print."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from plait._cli import load, show
from plait._cli.errors import CLIError

if TYPE_CHECKING:
    from plait.driver import Driver, Variable


def tag_filter(pairs: Iterable[str]) -> dict[str, str | list[str] | None]:
    """``--tag`` values → a ``tag_filter``: ``KEY=VALUE`` (a repeated key matches any of its
    values), ``KEY`` alone (any value); different keys must all match."""
    query: dict[str, list[str] | None] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not key:
            raise CLIError(f"--tag '{pair}': expected KEY=VALUE or KEY.", status=2)
        if not sep:
            query[key] = None
        elif key not in query or query[key] is not None:
            query.setdefault(key, []).append(value)  # type: ignore[union-attr]
    return {k: v if v is None or len(v) > 1 else v[0] for k, v in query.items()}


def node_row(node: Variable, config: Mapping[str, Any]) -> dict[str, Any]:
    """One node as a JSON-friendly row. ``file`` (relative to the current folder when inside
    it) and ``line`` locate the function; for an input, the first function that needs it."""
    file, _, line = (node.location or "").rpartition(":")
    kind = load.node_kind(node, config)
    return {
        "name": node.name,
        "kind": kind,
        "type": load.type_label(node.type),
        "module": node.tags.get("module"),
        "tags": show.jsonable(node.tags),
        "file": show.relative(file) if file else None,
        "line": int(line) if line.isdigit() else None,
        "documentation": node.documentation,
        "required_dependencies": sorted(node.required_dependencies),
        "optional_dependencies": sorted(node.optional_dependencies),
        "version": node.version if kind == "function" else None,
    }


def print_nodes(rows: Sequence[Mapping[str, Any]]) -> None:
    """The ``list`` table."""
    cells = [
        (
            r["name"],
            r["kind"],
            r["type"],
            r["module"] or "",
            show.tags_text(r["tags"]),
            f"{r['file']}:{r['line']}" if r["file"] else "",
        )
        for r in rows
    ]
    title = f"{len(rows)} node{'s' if len(rows) != 1 else ''}"
    show.table(title, ["name", "kind", "type", "module", "tags", "file:line"], cells)


def validate(
    modules: Sequence[ModuleType],
    config: Mapping[str, Any],
    outputs: Sequence[str],
    input_pairs: Sequence[str],
    inputs_file: str | None,
) -> dict[str, Any]:
    """Build, look for cycles, and check the request (when outputs or inputs are given).

    Returns ``{"valid", "checks": [{"check", "ok", "message"}], "inputs": {"required",
    "optional"}}``; ``inputs`` lists what the outputs (all nodes if none) need and the config
    does not provide.
    """
    from plait.errors import CycleWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CycleWarning)
        try:
            dr = load.build_driver(modules, config)
        except Exception as exc:  # a graph that does not build is the finding itself
            return _result([_check("build", False, load.describe(exc))], [], [])
    cycles = [str(w.message) for w in caught if issubclass(w.category, CycleWarning)]
    _rewarn(w for w in caught if not issubclass(w.category, CycleWarning))
    checks = [_check("build", True, _counts(dr))]
    checks.append(_check("cycles", not cycles, " ".join(cycles) or "none"))
    if outputs or input_pairs or inputs_file:
        types_ = {v.name: v.type for v in dr.list_available_variables()}
        given = load.inputs_from(input_pairs, inputs_file, types_)
        checks += _check_request(dr, outputs, given, bool(cycles))
    return _result(checks, *_needed_inputs(dr, outputs))


def _check_request(
    dr: Driver, outputs: Sequence[str], given: Mapping[str, Any], cycles: bool
) -> list[dict[str, Any]]:
    """What ``execute`` would say of the request (a cycle already reported is not repeated)."""
    from plait.errors import CycleError, PlaitError

    try:
        dr.validate_execution(outputs or _functions(dr), inputs=given)
    except PlaitError as exc:
        if cycles and isinstance(exc, CycleError) and not outputs:
            return []
        return [_check("request", False, str(exc))]
    what = ", ".join(outputs) if outputs else "every node"
    given_text = f"{len(given)} input{'s' if len(given) != 1 else ''} given"
    return [_check("request", True, f"{what}: nothing missing ({given_text})")]


def _check(name: str, ok: bool, message: str) -> dict[str, Any]:
    return {"check": name, "ok": ok, "message": " ".join(message.split())}


def _result(
    checks: list[dict[str, Any]], required: list[str], optional: list[str]
) -> dict[str, Any]:
    return {
        "valid": all(c["ok"] for c in checks),
        "checks": checks,
        "inputs": {"required": required, "optional": optional},
    }


def _rewarn(records: Iterable[warnings.WarningMessage]) -> None:
    for w in records:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def _functions(dr: Driver) -> list[str]:
    return [v.name for v in dr.list_available_variables() if not v.is_external_input]


def _counts(dr: Driver) -> str:
    kinds = [load.node_kind(v, dr.config) for v in dr.list_available_variables()]
    counts = {k: kinds.count(k) for k in ("function", "input", "config")}
    label = {"function": "function", "input": "input", "config": "config value"}
    return ", ".join(
        f"{n} {label[k]}{'s' if n != 1 else ''}" for k, n in counts.items() if n or k == "function"
    )


def _needed_inputs(dr: Driver, outputs: Sequence[str]) -> tuple[list[str], list[str]]:
    """(required, optional) inputs of ``outputs`` (every node if none), config excluded."""
    from plait.errors import PlaitError

    try:
        nodes = dr.what_is_upstream_of(*outputs) if outputs else dr.list_available_variables()
    except PlaitError:  # unknown outputs: the request check says so
        return [], []
    external = {v.name for v in nodes if v.is_external_input and v.name not in dr.config}
    needed = {d for v in nodes if not v.is_external_input for d in v.required_dependencies}
    required = sorted(external & needed)
    return required, sorted(external - needed)


def print_validation(found: Mapping[str, Any]) -> None:
    """The ``validate`` report: one line per check, the inputs needed, the verdict."""
    for check in found["checks"]:
        mark = "ok  " if check["ok"] else "FAIL"
        show.line(f"{mark}  {check['check']}: {check['message']}")
    required, optional = found["inputs"]["required"], found["inputs"]["optional"]
    if required or optional:
        text = ", ".join(required) or "none"
        show.line(f"inputs: {text}" + (f" (optional: {', '.join(optional)})" if optional else ""))
    problems = sum(not c["ok"] for c in found["checks"])
    show.line("valid" if found["valid"] else f"invalid: {problems} problem(s)")
