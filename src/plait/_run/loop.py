"""The run: one flat loop over a plan's steps, values in a list of slots.

No recursion, no per-node hook checks, no dict per call for plain functions. A user function's
exception propagates unchanged (same type, same traceback) with a PEP 678 note naming the node
and its ``file:line``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from plait._model.errors import annotate_node_failure
from plait._model.node import Node
from plait._plan.blocks import Block
from plait._plan.plan import CALL0, CALL1, CALLBLOCK, CALLKW, CALLN, Plan, Step


def run_plan(
    plan: Plan,
    inputs: Mapping[str, Any],
    overrides: Mapping[str, Any] | None,
    executor: Any = None,
) -> dict[str, Any]:
    """Execute ``plan`` and return ``{output name: value}`` in the requested order.

    ``executor`` (``submit(fn, *args) -> Future``) runs the items of Parallelizable blocks;
    None runs them inline.
    """
    vals = load_sources(plan, inputs, overrides)
    _run_steps(plan, vals, executor)
    return {name: vals[slot] for name, slot in zip(plan.outputs, plan.output_slots, strict=False)}


def load_sources(
    plan: Plan, inputs: Mapping[str, Any], overrides: Mapping[str, Any] | None
) -> list[Any]:
    """The slot list with inputs, config values and overrides filled in."""
    vals: list[Any] = [None] * plan.n_slots
    for name, slot in plan.input_slots:
        vals[slot] = inputs[name]
    for slot, value in plan.constants:
        vals[slot] = value
    if overrides:
        for name, slot in plan.override_slots:
            vals[slot] = overrides[name]
    return vals


def _run_steps(plan: Plan | Block, vals: list[Any], executor: Any = None) -> None:
    """The loop. ``executor`` (anything with ``submit``) runs the items of Parallelizable
    blocks; None runs them inline, one after the other."""
    step: Step | None = None
    try:
        for step in plan.steps:
            fn, out, mode, arg, free = step
            if mode == CALLN:
                vals[out] = fn(*arg(vals))
            elif mode == CALL1:
                vals[out] = fn(vals[arg])
            elif mode == CALL0:
                vals[out] = fn()
            elif mode == CALLKW:
                names, slots = arg
                vals[out] = fn(**{n: vals[s] for n, s in zip(names, slots, strict=False)})
            else:
                run_block(fn, vals, executor)  # type: ignore[arg-type]  # mode 4: fn is a Block
            if free:
                for s in free:
                    vals[s] = None
    except Exception as exc:
        if step is not None and step[2] != CALLBLOCK:
            node = plan.step_nodes[plan.steps.index(step)]
            annotate_node_failure(exc, node.name, str(node.get_origin() or "<unknown>"))
        raise


def run_block(
    block: Block,
    vals: list[Any],
    executor: Any = None,
    items: Any = None,
    item_runner: Any = None,
) -> None:
    """Run a Parallelizable block: its sub-plan once per item, values gathered in yield order.

    ``executor`` needs ``submit(fn, *args) -> Future``; one that also has
    ``submit_many(fn, [args, ...]) -> [Future, ...]`` gets all the block's items at once
    (drawn first), for clusters where one batch costs less than a submit per item.

    ``items`` (default: call the Parallelizable node) and ``item_runner`` (default
    :func:`run_item`) let the hooked loop run the same block with hooks around its nodes.
    """
    expand = block.expand
    assert expand.callable is not None
    if items is None:
        items = expand_items(block, vals)
    run_one = run_item if item_runner is None else item_runner
    ext = [vals[s] for s in block.ext_slots]
    gathered: list[list[Any]] = [[] for _ in block.collect_local]
    if executor is None:
        for index, item in enumerate(items):
            _gather(gathered, run_one(block, ext, item, index))
    else:
        futures: list[Any] = []
        try:
            submit_many = getattr(executor, "submit_many", None)
            if submit_many is not None:  # the executor sends a block's items in one batch
                branches = [(block, ext, item, index) for index, item in enumerate(items)]
                futures = list(submit_many(run_one, branches))
            else:
                for index, item in enumerate(items):
                    futures.append(executor.submit(run_one, block, ext, item, index))
            for future in futures:
                _gather(gathered, future.result())
        except BaseException as exc:
            _stop(executor, futures, interrupted=not isinstance(exc, Exception))
            raise
    for slot, values in zip(block.out_slots, gathered, strict=True):
        vals[slot] = values


def _stop(executor: Any, futures: list[Any], interrupted: bool) -> None:
    """A branch failed or the run was interrupted: cancel the items not started; on an
    interrupt (Ctrl-C) also tell the executor to stop running ones (``abort()``, if it has it)."""
    for future in futures:
        future.cancel()
    abort = getattr(executor, "abort", None) if interrupted else None
    if abort is not None:
        abort()


def expand_items(block: Block, vals: list[Any]) -> Any:
    """Call the Parallelizable node; its result is iterated lazily, item by item."""
    expand = block.expand
    assert expand.callable is not None
    kwargs = {n: vals[s] for n, s in zip(block.expand_names, block.expand_args, strict=True)}
    try:
        return noted_items(iter(expand.callable(**kwargs)), expand)
    except Exception as exc:
        annotate_node_failure(exc, expand.name, str(expand.get_origin() or "<unknown>"))
        raise


def noted_items(items: Iterator[Any], expand: Node) -> Iterator[Any]:
    """``items``, with the Parallelizable node's note on an error raised while drawing one
    (a generator's body runs item by item, after the node was called)."""
    try:
        yield from items
    except Exception as exc:
        annotate_node_failure(exc, expand.name, str(expand.get_origin() or "<unknown>"))
        raise


def run_item(
    block: Block,
    ext: list[Any],
    item: Any,
    index: int,
    steps: Callable[[Block, list[Any]], None] | None = None,
) -> tuple[Any, ...]:
    """One branch: the block's steps on a fresh local slot list; the gathered values.

    ``steps`` runs the block's steps (default: the hook-free loop; the hooked loop passes its own).
    """
    local = [*ext, *([None] * (block.n_local - len(ext)))]
    local[block.item_slot] = item
    try:
        if steps is None:
            _run_steps(block, local)
        else:
            steps(block, local)
    except Exception as exc:
        note_branch(exc, block.expand.name, index)
        raise
    return tuple(local[s] for s in block.collect_local)


def _gather(gathered: list[list[Any]], values: tuple[Any, ...]) -> None:
    for bucket, value in zip(gathered, values, strict=True):
        bucket.append(value)


def note_branch(exc: BaseException, expand: str, index: int) -> None:
    add_note = getattr(exc, "add_note", None)
    if add_note is not None:
        add_note(f"plait: in branch {index} (item {index} yielded by Parallelizable '{expand}')")
