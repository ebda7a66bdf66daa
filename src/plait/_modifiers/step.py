"""``step(fn, ...)``: one transform of a pipe, and how a chain of steps becomes nodes.

Used by ``@pipe_input``, ``@pipe_output`` and ``@mutate`` (:mod:`plait._modifiers.pipe`). A
step's node is named ``<namespace>.with_<fn>`` (``with_<fn>_1`` for a repeat of the same
function), or as given with ``.named(...)``; its first parameter takes the piped value.
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from typing import Any

from plait._model.errors import GraphError, InvalidDecoratorError
from plait._model.node import Node, Origin
from plait._model.types import types_match
from plait._modifiers.base import TargetType, where
from plait._modifiers.subdag import dependency_kind

_CHAINED = object()  # placeholder for the piped value when binding a step's arguments


class UnsupportedDecoratorError(InvalidDecoratorError, NotImplementedError):
    """An option Hamilton declares but does not implement (``collapse=True``, ...)."""


class DecoratorArgumentTypeError(InvalidDecoratorError, TypeError):
    """A decorator got the wrong kind of argument where Hamilton raised ``TypeError``."""


def type_name(t: Any) -> str:
    """A short name of a type for messages."""
    return getattr(t, "__qualname__", None) or repr(t)


class _Condition:
    """A ``when*`` condition of a step: a predicate over the config and the keys it reads."""

    def __init__(self, holds: Callable[[dict[str, Any]], bool], keys: list[str]) -> None:
        self.holds = holds
        self.keys = keys

    def __call__(self, config: dict[str, Any]) -> bool:
        return self.holds(config)

    @property
    def optional_config(self) -> dict[str, Any]:
        """The keys read, with default None (Hamilton's ``ConfigResolver`` shape)."""
        return dict.fromkeys(self.keys)


class Applicable:
    """One ``step``: a function, its bound arguments, and when/where/how it applies."""

    def __init__(
        self,
        fn: Callable[..., Any] | None,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        target_fn: Callable[..., Any] | None = None,
        _resolvers: list[Any] | None = None,
        _name: str | None = None,
        _namespace: Any = ...,
        _target: TargetType = None,
        _on_input: str | None = None,
    ) -> None:
        if isinstance(fn, str) or isinstance(target_fn, str):
            raise DecoratorArgumentTypeError(
                f"step()/apply_to() take functions, not names: got {fn or target_fn!r}."
            )
        if "_name" in kwargs:
            raise InvalidDecoratorError("step(): '_name' cannot be passed as an argument.")
        self.fn = fn
        self.target_fn = target_fn
        self.args = args
        self.kwargs = dict(kwargs)
        self.resolvers: list[Any] = list(_resolvers or [])
        self.name = _name
        self.namespace = _namespace
        self.target = _target
        self.on_input_param = _on_input

    def _replace(self, **changes: Any) -> Applicable:
        new = Applicable.__new__(Applicable)
        new.__dict__.update(self.__dict__, **changes)
        return new

    def when(self, **key_value_pairs: Any) -> Applicable:
        """Apply only when every key equals its value in the config."""
        return self._add_condition(key_value_pairs, lambda got, want: got == want)

    def when_not(self, **key_value_pairs: Any) -> Applicable:
        """Apply only when no key equals its value in the config."""
        return self._add_condition(key_value_pairs, lambda got, want: got != want)

    def when_in(self, **key_value_group_pairs: Collection[Any]) -> Applicable:
        """Apply only when every key's config value is one of the listed values."""
        return self._add_condition(key_value_group_pairs, lambda got, want: got in want)

    def when_not_in(self, **key_value_group_pairs: Collection[Any]) -> Applicable:
        """Apply only when no key's config value is one of the listed values."""
        return self._add_condition(key_value_group_pairs, lambda got, want: got not in want)

    def _add_condition(
        self, wanted: dict[str, Any], test: Callable[[Any, Any], bool]
    ) -> Applicable:
        def holds(config: dict[str, Any]) -> bool:
            return all(test(config.get(key), want) for key, want in wanted.items())

        return self._replace(resolvers=[*self.resolvers, _Condition(holds, list(wanted))])

    def namespaced(self, namespace: Any) -> Applicable:
        """Set the namespace (``...``: the decorated function's name; None: no namespace)."""
        return self._replace(namespace=namespace)

    def named(self, name: str, namespace: Any = ...) -> Applicable:
        """Name the step's node; ``namespace=...`` keeps the current namespace."""
        namespace = self.namespace if namespace is ... else namespace
        return self._replace(name=name if name is not None else self.name, namespace=namespace)

    def on_output(self, target: TargetType) -> Applicable:
        """``pipe_output``/``mutate``: apply only to these outputs of the function."""
        return self._replace(target=target if target is not None else self.target)

    def on_input(self, target: str) -> Applicable:
        """``pipe_input``: pipe this step into parameter ``target`` (a plait extension)."""
        if not isinstance(target, str):
            raise InvalidDecoratorError(
                f"step(...).on_input() takes a parameter name; got {target!r}."
            )
        return self._replace(on_input_param=target)

    def resolves(self, config: dict[str, Any]) -> bool:
        """Whether the ``when*`` conditions hold for ``config``."""
        return all(resolver(config) for resolver in self.resolvers)

    def get_config_elements(self) -> list[str]:
        """The config keys the ``when*`` conditions read."""
        return [key for resolver in self.resolvers for key in resolver.keys]

    def resolve_namespace(self, default_namespace: str) -> tuple[str, ...]:
        """The namespace as a tuple: ``...`` → the default, None → none."""
        if self.namespace is ...:
            return (default_namespace,)
        return () if self.namespace is None else (self.namespace,)

    def validate(
        self,
        chain_first_param: bool,
        allow_custom_namespace: bool,
        decorated: Callable[..., Any] | None = None,
    ) -> None:
        """Check at decoration time that the step's function can be called as described."""
        fn = self.fn
        assert fn is not None
        context = where(decorated) if decorated is not None else "step()"
        step_desc = _describe(fn)
        try:
            Node.from_fn(fn)
        except GraphError as exc:
            raise InvalidDecoratorError(f"{context}: {step_desc} cannot be a node: {exc}") from None
        params = list(inspect.signature(fn).parameters.values())
        if not params:
            raise InvalidDecoratorError(
                f"{context}: {step_desc} takes no parameters; its first parameter must take "
                "the piped value."
            )
        if params[0].kind is inspect.Parameter.KEYWORD_ONLY and chain_first_param:
            raise InvalidDecoratorError(
                f"{context}: the first parameter of {step_desc} is keyword-only; it must be "
                "positional to take the piped value."
            )
        self._check_binds(context, step_desc, chain_first_param)
        if self.namespace is not ... and not allow_custom_namespace:
            raise InvalidDecoratorError(
                f"{context}: {step_desc} sets its own namespace while the decorator sets "
                "namespace=...; set it in one place only."
            )

    def _check_binds(self, context: str, step_desc: str, chain_first_param: bool) -> None:
        assert self.fn is not None
        args = ((_CHAINED,) if chain_first_param else ()) + tuple(self.args)
        try:
            inspect.signature(self.fn).bind(*args, **self.kwargs)
        except TypeError as exc:
            raise InvalidDecoratorError(
                f"{context}: {step_desc} cannot take arguments {self.args} {self.kwargs} after "
                f"the piped value ({exc}). Pass one value per remaining parameter."
            ) from None
        groups = [k for k, v in self.kwargs.items() if str(dependency_kind(v)).startswith("GROUP")]
        if groups:
            raise InvalidDecoratorError(
                f"{context}: {step_desc} got group(...) for {groups}; steps take source(...), "
                "value(...) or plain values."
            )

    def bind_function_args(
        self, current_param: str | None
    ) -> tuple[dict[str, str], dict[str, Any]]:
        """``({param: upstream node}, {param: literal})`` with the piped value first."""
        assert self.fn is not None
        args = ((_CHAINED,) if current_param is not None else ()) + tuple(self.args)
        bound = inspect.signature(self.fn).bind(*args, **self.kwargs).arguments
        upstream: dict[str, str] = {}
        literal: dict[str, Any] = {}
        for param, given in bound.items():
            kind = dependency_kind(given)
            if given is _CHAINED:
                upstream[param] = current_param  # type: ignore[assignment]
            elif kind == "UPSTREAM":
                upstream[param] = given.source
            else:
                literal[param] = given.value if kind == "LITERAL" else given
        return upstream, literal


def _describe(step_fn: Callable[..., Any]) -> str:
    return f"step({step_fn.__name__}) (defined at {Origin.of(step_fn)})"


def step(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Applicable:
    """One transform of a pipe: ``fn(piped_value, *args, **kwargs)``.

    Arguments may be ``source("node")``, ``value(constant)`` or plain constants.
    """
    return Applicable(fn=fn, args=args, kwargs=kwargs)


def apply_to(fn_: Callable[..., Any], **mutating_fn_kwargs: Any) -> Applicable:
    """For ``@mutate``: apply the decorated function to ``fn_``'s output, with these arguments."""
    return Applicable(fn=None, args=(), kwargs=mutating_fn_kwargs, target_fn=fn_)


def chain_transforms(
    target_arg: str,
    transforms: Sequence[Applicable],
    namespace: Any,
    config: dict[str, Any],
    fn: Callable[..., Any],
    first_type: Any = None,
) -> tuple[list[Node], str]:
    """One node per step that applies under ``config``, each fed by the previous one.

    Returns the nodes and the name of the last one (``target_arg`` if none applied).
    ``first_type`` (if known) is checked against the first step's piped parameter.
    """
    counts: Counter[str] = Counter()
    nodes: list[Node] = []
    prev_type = first_type
    for applicable in transforms:
        if namespace is not ...:
            applicable = applicable.namespaced(namespace)
        if not applicable.resolves(config):
            continue
        node = _step_node(applicable, target_arg, counts, fn)
        chained = next(d for d in node.inputs if d.name == target_arg)
        if prev_type is not None and not types_match(chained.type, prev_type):
            raise _step_type_error(fn, applicable, chained.type, prev_type)
        nodes.append(node)
        target_arg, prev_type = node.name, node.type
    return nodes, target_arg


def _step_node(
    applicable: Applicable, target_arg: str, counts: Counter[str], fn: Callable[..., Any]
) -> Node:
    step_fn = applicable.fn
    assert step_fn is not None
    base = step_fn.__name__
    default = f"with{'' if base.startswith('_') else '_'}{base}"
    if counts[base]:
        default += f"_{counts[base]}"
    counts[base] += 1
    name = applicable.name if applicable.name is not None else default
    full_name = ".".join((*applicable.resolve_namespace(fn.__name__), name))
    upstream, literal = applicable.bind_function_args(target_arg)
    node = Node.from_fn(step_fn).reassign_inputs(input_names=upstream, input_values=literal)
    return node.evolve(name=full_name, originating_functions=())


def _step_type_error(
    fn: Callable[..., Any], applicable: Applicable, wants: Any, gets: Any
) -> InvalidDecoratorError:
    step_fn = applicable.fn
    assert step_fn is not None
    return InvalidDecoratorError(
        f"{where(fn)}: {_describe(step_fn)} takes the piped value as '{type_name(wants)}', "
        f"but it receives '{type_name(gets)}'. Change the step's first parameter annotation "
        "or reorder the steps."
    )
