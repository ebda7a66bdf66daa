"""The driver's Graphviz views: check the request, select nodes, draw, write the file.

Each function takes the driver and ``args``, the keyword arguments of the driver method that
called it (``locals()`` of a facade method; unknown keys are ignored). ``plait._viz.render``
(and so the ``graphviz`` package) is imported on first use; without it, ``ImportError`` names
the ``pip install`` extra.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from plait._model.errors import InvalidArgumentError, PlaitError
from plait._plan.plan import make_plan
from plait._viz import dot, select

if TYPE_CHECKING:
    from plait._api.driver import Driver
    from plait._viz.render import Digraph

_OPTION_NAMES = frozenset(f.name for f in dataclasses.fields(dot.Options))


def _render() -> ModuleType:
    try:
        from plait._viz import render
    except ModuleNotFoundError as exc:
        if exc.name != "graphviz":
            raise
        raise ImportError(
            "Drawing the dataflow needs the 'graphviz' package, which is not installed. "
            'Install it with: pip install "plait[visualization]" (the Graphviz programs '
            "too, to render images: e.g. apt-get install graphviz)."
        ) from exc
    return render


def options(args: Mapping[str, Any]) -> dot.Options:
    """The drawing options among ``args`` (Hamilton's ``show_schema`` included)."""
    chosen = {k: v for k, v in args.items() if k in _OPTION_NAMES and v is not None}
    return dot.Options(**chosen)


def draw(dr: Driver, selection: select.Selection, args: Mapping[str, Any]) -> Digraph:
    """Draw ``selection`` of the driver's graph; write it if ``args`` has an output path."""
    render = _render()
    tag_filter = args.get("tag_filter")
    if tag_filter:
        keep = {v.name for v in dr.list_available_variables(tag_filter=tag_filter)}
        selection = select.only(dr.graph, selection, keep)
    digraph: Digraph = render.to_digraph(dot.build(dr.graph, selection, options(args)))
    render.save(
        digraph, args.get("output_file_path"), args.get("render_kwargs"), args.get("keep_dot")
    )
    return digraph


def display_all(dr: Driver, args: Mapping[str, Any]) -> Digraph:
    """Every node."""
    return draw(dr, select.everything(dr.graph), args)


def display_upstream(dr: Driver, names: Sequence[str], args: Mapping[str, Any]) -> Digraph:
    """The named nodes and what they depend on."""
    dr._known(names)
    return draw(dr, select.upstream_of(dr.graph, names), args)


def display_downstream(dr: Driver, names: Sequence[str], args: Mapping[str, Any]) -> Digraph:
    """The named nodes, what depends on them, and the inputs of those."""
    dr._known(names)
    return draw(dr, select.downstream_of(dr.graph, names), args)


def path_between(dr: Driver, upstream: str, downstream: str, args: Mapping[str, Any]) -> Digraph:
    """The nodes on paths from ``upstream`` to ``downstream``, drawn in the path colour."""
    dr._known((upstream, downstream))
    strict = bool(args.get("strict_path_visualization"))
    selection = select.path_between(dr.graph, upstream, downstream, strict)
    if not selection.names:
        raise InvalidArgumentError(
            f"No path from '{upstream}' to '{downstream}': '{downstream}' does not depend on "
            f"'{upstream}'. dr.what_is_downstream_of('{upstream}') lists what does."
        )
    return draw(dr, selection, args)


def execution(dr: Driver, final_vars: Sequence[Any], args: Mapping[str, Any]) -> Digraph:
    """What computing ``final_vars`` runs: outputs highlighted, overrides hatched."""
    inputs: Mapping[str, Any] | None = args.get("inputs")
    overrides: Mapping[str, Any] = args.get("overrides") or {}
    outputs = [dr._output_name(v) for v in final_vars]
    dr._known([o for o in outputs if inputs is None or o not in inputs])
    if not args.get("bypass_validation"):
        _validate(dr, outputs, inputs or {}, overrides)
    provided = None if inputs is None else frozenset(inputs)
    return draw(dr, select.execution(dr.graph, outputs, provided, frozenset(overrides)), args)


def _validate(
    dr: Driver, outputs: Collection[str], inputs: Mapping[str, Any], overrides: Mapping[str, Any]
) -> None:
    """Raise what planning the run would raise, with a hint to bypass validation."""
    try:
        plan = make_plan(
            dr.graph, tuple(outputs), inputs.keys(), overrides.keys(), dr._door.checker_factory
        )
        plan.check_inputs(inputs)
    except PlaitError as exc:
        if exc.args and isinstance(exc.args[0], str):
            hint = " Or pass bypass_validation=True to draw it anyway."
            exc.args = (exc.args[0] + hint, *exc.args[1:])
        raise
