"""Chains of small transforms: ``@pipe_input`` (alias ``@pipe``), ``@pipe_output``, ``@mutate``.

A chain is a sequence of ``step(fn, *args, **kwargs)``; each step becomes one node whose first
parameter takes the previous value. Node names follow Hamilton: ``<namespace>.with_<fn>``
(``with_<fn>_1`` for a repeat), or the name given with ``.named(...)``.

* ``@pipe_input(step(a), step(b))`` on ``def f(x, ...)``: ``x → f.with_a → f.with_b → f``.
* ``@pipe_output(step(a))`` on ``def f(...)``: ``f.raw → f.with_a → f`` (the raw node renamed).
* ``@mutate(f, g)`` on ``def _a(...)``: adds ``step(_a)`` to a ``pipe_output`` of ``f`` and of
  ``g`` when the module is imported (functions elsewhere in the module gain steps).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection
from types import MappingProxyType
from typing import Any

from plait._model.errors import InvalidDecoratorError, warn_user
from plait._model.node import Dependency, Node
from plait._model.types import types_match
from plait._modifiers.base import MODIFIERS_ATTR, NodeInjector, NodeTransformer, TargetType, where
from plait._modifiers.configuration import hamilton_exclude
from plait._modifiers.step import (
    Applicable,
    UnsupportedDecoratorError,
    apply_to,
    chain_transforms,
    type_name,
)
from plait._modifiers.subdag import check_unique


def _check_last_type(fn: Callable[..., Any], nodes: list[Node], param: str, wants: Any) -> None:
    if nodes and not types_match(wants, nodes[-1].type):
        raise InvalidDecoratorError(
            f"{where(fn)}: the last step of the pipe into '{param}' returns "
            f"'{type_name(nodes[-1].type)}', but '{param}' is annotated '{type_name(wants)}'. "
            "Make the annotations agree."
        )


class pipe_input(NodeInjector):
    """Run steps on a parameter's value before the function sees it.

    ``on_input`` chooses the parameter (default: the first); ``namespace`` prefixes the step
    nodes (``...``: the function's name; None: no prefix).
    """

    def __init__(
        self,
        *transforms: Applicable,
        namespace: Any = ...,
        on_input: str | None = None,
        collapse: bool = False,
        _chain: bool = False,
    ) -> None:
        _check_unsupported(self.name, collapse, _chain)
        if on_input is not None and not isinstance(on_input, str):
            raise UnsupportedDecoratorError(
                f"@{self.name}: on_input takes one parameter name; got {on_input!r}. To pipe "
                "into several parameters, use step(...).on_input('param') per step."
            )
        if on_input is not None and any(t.on_input_param for t in transforms):
            raise InvalidDecoratorError(
                f"@{self.name}: set on_input either on the decorator or on the steps, not both."
            )
        self.transforms = transforms
        self.namespace = namespace
        self.target = on_input

    def validate(self, fn: Callable[..., Any]) -> None:
        names = list(inspect.signature(fn).parameters)
        if not names:
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)}: the function has no parameters, so there is no "
                "input to pipe. Add the parameter the steps should transform."
            )
        for param in {self.target, *(t.on_input_param for t in self.transforms)} - {None}:
            if param not in names:
                raise InvalidDecoratorError(
                    f"@{self.name} on {where(fn)}: on_input='{param}' is not a parameter; it "
                    f"has {names}."
                )
        for applicable in self.transforms:
            applicable.validate(True, self.namespace is ..., fn)

    def optional_config(self) -> dict[str, Any]:
        return {key: None for t in self.transforms for key in t.get_config_elements()}

    def _targets(self, fn: Callable[..., Any]) -> dict[str, list[Applicable]]:
        names = list(inspect.signature(fn).parameters)
        default = self.target or names[0]
        by_param: dict[str, list[Applicable]] = {}
        for applicable in self.transforms:
            by_param.setdefault(applicable.on_input_param or default, []).append(applicable)
        return {p: by_param[p] for p in names if p in by_param}

    def inject_nodes(
        self, params: dict[str, Any], config: dict[str, Any], fn: Callable[..., Any]
    ) -> tuple[list[Node], dict[str, str]]:
        targets = self._targets(fn)
        nodes: list[Node] = []
        renames: dict[str, str] = {}
        for param, transforms in targets.items():
            if param not in params:
                raise InvalidDecoratorError(
                    f"@{self.name} on {where(fn)}: parameter '{param}' is computed by another "
                    "decorator of this function, so it cannot be piped."
                )
            namespace = self.namespace
            if len(targets) > 1:
                namespace = param if namespace in (..., None) else f"{namespace}_{param}"
            chain, last = chain_transforms(param, transforms, namespace, config, fn)
            _check_last_type(fn, chain, param, params[param])
            nodes += chain
            if chain:
                renames[param] = last
        check_unique(nodes, fn, self.name)
        return nodes, renames


class pipe(pipe_input):
    """Deprecated name of :class:`pipe_input` (as in Hamilton)."""

    def __init__(
        self,
        *transforms: Applicable,
        namespace: Any = ...,
        on_input: str | None = None,
        collapse: bool = False,
        _chain: bool = False,
    ) -> None:
        warn_user("@pipe is deprecated (as in Hamilton); use @pipe_input.", DeprecationWarning)
        super().__init__(
            *transforms, namespace=namespace, on_input=on_input, collapse=collapse, _chain=_chain
        )

    @property
    def name(self) -> str:
        return "pipe"


class pipe_output(NodeTransformer):
    """Run steps on the function's output: ``f.raw → f.with_a → ... → f``.

    ``on_output`` (or ``step(...).on_output``, not both) chooses which outputs are piped
    (default: the final ones); ``namespace`` prefixes the step nodes (``...``: the output's name).
    """

    def __init__(
        self,
        *transforms: Applicable,
        namespace: Any = ...,
        on_output: TargetType = None,
        collapse: bool = False,
        _chain: bool = False,
    ) -> None:
        _check_unsupported(self.name, collapse, _chain)
        if on_output is ...:
            raise InvalidDecoratorError(
                f"@{self.name}: on_output takes None, a name or a list of names, not '...'."
            )
        if on_output is not None and any(t.target is not None for t in transforms):
            raise InvalidDecoratorError(
                f"@{self.name}: set on_output either on the decorator or on the steps, not both."
            )
        super().__init__(target=on_output)
        self.transforms = tuple(transforms)
        self.namespace = namespace
        self.collapse = collapse
        self.chain = _chain

    def validate(self, fn: Callable[..., Any]) -> None:
        for applicable in self.transforms:
            applicable.validate(True, self.namespace is ..., fn)

    def optional_config(self) -> dict[str, Any]:
        return {key: None for t in self.transforms for key in t.get_config_elements()}

    def transform_dag(
        self, nodes: Collection[Node], config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        names = {n.name for n in nodes}
        for applicable in self.transforms:
            target = applicable.target
            wanted = [target] if isinstance(target, str) else list(target or [])  # type: ignore[arg-type]
            missing = [t for t in wanted if t not in names]
            if missing:
                raise InvalidDecoratorError(
                    f"@{self.name} on {where(fn)}: step(...).on_output names {missing}, which "
                    f"the function does not produce (it makes {sorted(names)})."
                )
        out = super().transform_dag(nodes, config, fn)
        check_unique(out, fn, self.name)
        return out

    def transform_node(
        self, node: Node, config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        transforms = [t for t in self.transforms if _targets(t.target, node.name)]
        if not transforms:
            return [node]
        namespace = node.name if self.namespace is ... else self.namespace
        raw = node.evolve(name=f"{node.name}.raw")
        chain, last = chain_transforms(raw.name, transforms, namespace, config, fn, node.type)
        if not chain:
            return [node]
        final = Node(
            name=node.name,
            type=chain[-1].type,
            callable=_identity,
            inputs=(Dependency(last, chain[-1].type),),
            tags=MappingProxyType({"module": fn.__module__}),
            positional=False,
        )
        return [raw, *chain, final]


def _identity(**kwargs: Any) -> Any:
    """The final node of a pipe: passes on the last step's value (its single input)."""
    (value,) = kwargs.values()
    return value


def _targets(target: TargetType, name: str) -> bool:
    if target is None:
        return True
    return name == target if isinstance(target, str) else name in target  # type: ignore[operator]


def _check_unsupported(who: str, collapse: bool, chain: bool) -> None:
    if collapse or chain:
        option = "collapse=True" if collapse else "_chain=True"
        raise UnsupportedDecoratorError(
            f"@{who}: {option} is not implemented (nor in Hamilton); leave it out."
        )


class mutate:
    """Add the decorated function as a ``pipe_output`` step of other functions of its module.

    ``@mutate(f, apply_to(g, k=value(2)), k=value(1))`` on ``def _scale(x, k)`` pipes ``f``'s
    and ``g``'s outputs through ``_scale`` (``f.with_scale``). Applied when the module is
    imported; the decorated function itself is left out of the graph.
    """

    def __init__(
        self,
        *target_functions: Applicable | Callable[..., Any],
        collapse: bool = False,
        _chain: bool = False,
        **mutating_function_kwargs: Any,
    ) -> None:
        _check_unsupported("mutate", collapse, _chain)
        self.remote_applicables = tuple(
            t if isinstance(t, Applicable) else apply_to(t) for t in target_functions
        )
        self.mutating_function_kwargs = mutating_function_kwargs
        self.restrict_to_single_module = True

    def validate_same_module(self, mutating_fn: Callable[..., Any]) -> None:
        """The targets must live in the mutating function's module."""
        for remote in self.remote_applicables:
            target = remote.target_fn
            if target is None or getattr(target, "__module__", None) != mutating_fn.__module__:
                raise InvalidDecoratorError(
                    f"@mutate on {where(mutating_fn)}: target "
                    f"{where(target) if target else None} is not in module "
                    f"'{mutating_fn.__module__}'. Mutate only functions of the same module."
                )

    def __call__(self, mutating_fn: Callable[..., Any]) -> Callable[..., Any]:
        self.validate_same_module(mutating_fn)
        steps = []
        for remote in self.remote_applicables:
            kwargs = remote.kwargs or self.mutating_function_kwargs
            new_step = remote._replace(fn=mutating_fn, kwargs=dict(kwargs))
            new_step.validate(True, True, mutating_fn)
            steps.append((remote.target_fn, new_step))
        for target_fn, new_step in steps:
            _add_output_step(target_fn, new_step)
        if not mutating_fn.__name__.startswith("_"):  # '_' functions are never nodes anyway
            hamilton_exclude()(mutating_fn)
        return mutating_fn


def _add_output_step(target_fn: Any, new_step: Applicable) -> None:
    """Append ``new_step`` to the target's ``pipe_output`` (replacing it), or add one."""
    recorded = target_fn.__dict__.get(MODIFIERS_ATTR, [])
    for i, decorator in enumerate(recorded):
        if isinstance(decorator, pipe_output):
            updated = pipe_output.__new__(pipe_output)
            updated.__dict__.update(decorator.__dict__)
            updated.transforms = (*decorator.transforms, new_step)
            recorded[i] = updated
            return
    pipe_output(new_step)(target_fn)
