"""Decorators record themselves; the builder resolves them in one fixed phase order.

Every decorator is an instance of one of the lifecycle classes below (Hamilton's names, so
custom decorators written for Hamilton port unchanged). Applying a decorator only validates it
against the function and appends it to ``fn.__plait_modifiers__``; nothing else happens until a
driver is built, when :func:`plait._modifiers.resolve.resolve_function` runs the phases:

    resolve → create → inject → expand → transform → decorate

Each phase is a pure transform (function or nodes in, nodes out) and can be tested without a
driver, e.g. ``tag(owner="x").decorate_node(Node.from_fn(f))``.

Imports only ``plait._model``.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Collection, Iterable
from types import EllipsisType
from typing import Any, TypeAlias

from plait._model.errors import InvalidDecoratorError
from plait._model.errors import MissingConfigParametersException as MissingConfigParametersException
from plait._model.node import Node, Origin
from plait._model.settings import ENABLE_POWER_USER_MODE

#: Attribute holding a function's decorators, in the order they were applied (bottom-up).
MODIFIERS_ATTR = "__plait_modifiers__"

#: Tag a transformer puts on nodes that must not count as the subDAG's final nodes.
NON_FINAL_TAG = "hamilton.non_final_node"

#: What a transformer applies to: None (final nodes), ``...`` (all), a name, or names.
TargetType: TypeAlias = "str | Collection[str] | EllipsisType | None"

#: Phases in the order they run.
PHASES = ("resolve", "create", "inject", "expand", "transform", "decorate")

# Hamilton's exception names, as aliases of plait's classes.
InvalidDecoratorException = InvalidDecoratorError


def where(fn: Callable[..., Any]) -> str:
    """``function 'name' at file:line`` for error messages about a decorated function."""
    return Origin.of(fn).describe()


class NodeTransformLifecycle(abc.ABC):
    """Base of every decorator: records itself on the function it decorates."""

    @classmethod
    @abc.abstractmethod
    def get_lifecycle_name(cls) -> str:
        """The phase this decorator belongs to (one of :data:`PHASES`)."""

    @classmethod
    @abc.abstractmethod
    def allows_multiple(cls) -> bool:
        """Whether a function may carry several decorators of this phase."""

    @abc.abstractmethod
    def validate(self, fn: Callable[..., Any]) -> None:
        """Raise :class:`InvalidDecoratorError` if this decorator cannot apply to ``fn``."""

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        if not callable(fn) or not hasattr(fn, "__code__"):
            raise InvalidDecoratorError(
                f"@{self.name} decorates functions; got {type(fn).__qualname__}: {fn!r}."
            )
        self.validate(fn)
        recorded: list[NodeTransformLifecycle] = fn.__dict__.setdefault(MODIFIERS_ATTR, [])
        phase = self.get_lifecycle_name()
        if not self.allows_multiple():
            clash = [d for d in recorded if d.get_lifecycle_name() == phase]
            if clash:
                raise InvalidDecoratorError(
                    f"{where(fn)} has both @{clash[0].name} and @{self.name}; only one "
                    f"decorator of the '{phase}' kind may apply to a function. Keep one."
                )
        recorded.append(self)
        return fn

    def required_config(self) -> list[str] | None:
        """Config keys this decorator needs (None: pass the whole config)."""
        return []

    def optional_config(self) -> dict[str, Any] | None:
        """Config keys this decorator may use, with their defaults."""
        return {}

    @property
    def name(self) -> str:
        """The decorator's name as users write it."""
        return type(self).__name__


class NodeResolver(NodeTransformLifecycle):
    """Decides from the config whether (and as which function) ``fn`` takes part."""

    @abc.abstractmethod
    def resolve(self, fn: Callable[..., Any], config: dict[str, Any]) -> Callable[..., Any] | None:
        """Return the function to use, or None to drop it from the graph."""

    def validate(self, fn: Callable[..., Any]) -> None:
        return None

    @classmethod
    def get_lifecycle_name(cls) -> str:
        return "resolve"

    @classmethod
    def allows_multiple(cls) -> bool:
        return True


class NodeCreator(NodeTransformLifecycle, abc.ABC):
    """Makes the initial nodes of a function (default: one node, see ``Node.from_fn``)."""

    @abc.abstractmethod
    def generate_nodes(self, fn: Callable[..., Any], config: dict[str, Any]) -> list[Node]:
        """The nodes ``fn`` defines."""

    def validate(self, fn: Callable[..., Any]) -> None:
        return None

    @classmethod
    def get_lifecycle_name(cls) -> str:
        return "create"

    @classmethod
    def allows_multiple(cls) -> bool:
        return False


class SubDAGModifier(NodeTransformLifecycle, abc.ABC):
    """Turns the nodes made so far into other nodes."""

    @abc.abstractmethod
    def transform_dag(
        self, nodes: Collection[Node], config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        """The new nodes."""


class NodeInjector(SubDAGModifier, abc.ABC):
    """Adds nodes that feed some of the function's parameters (e.g. ``pipe_input``)."""

    @staticmethod
    def find_injectable_params(nodes: Collection[Node]) -> dict[str, Any]:
        """Parameters no node of ``nodes`` produces: ``{name: annotation}``."""
        produced = {n.name for n in nodes}
        out: dict[str, Any] = {}
        for node in nodes:
            for dep in node.inputs:
                if dep.name not in produced:
                    out[dep.name] = dep.type
        return out

    def transform_dag(
        self, nodes: Collection[Node], config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        params = self.find_injectable_params(nodes)
        injected, renames = self.inject_nodes(params, config, fn)
        out = [n.reassign_inputs(input_names=renames) if renames else n for n in nodes]
        return [*injected, *out]

    @abc.abstractmethod
    def inject_nodes(
        self, params: dict[str, Any], config: dict[str, Any], fn: Callable[..., Any]
    ) -> tuple[list[Node], dict[str, str]]:
        """Return the new nodes and the parameter renames (``{param: new input name}``)."""

    def validate(self, fn: Callable[..., Any]) -> None:
        return None

    @classmethod
    def get_lifecycle_name(cls) -> str:
        return "inject"

    @classmethod
    def allows_multiple(cls) -> bool:
        return True


class NodeExpander(SubDAGModifier):
    """Expands the function's single node into several (e.g. ``parameterize``)."""

    def transform_dag(
        self, nodes: Collection[Node], config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        if len(nodes) != 1:
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)} expands one node, but earlier decorators "
                f"produced {len(nodes)} ({', '.join(n.name for n in nodes)}). Reorder or "
                "split the decorators."
            )
        (node,) = nodes
        return self.expand_node(node, config, fn)

    @abc.abstractmethod
    def expand_node(
        self, node: Node, config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        """The nodes ``node`` becomes."""

    def validate(self, fn: Callable[..., Any]) -> None:
        return None

    @classmethod
    def get_lifecycle_name(cls) -> str:
        return "expand"

    @classmethod
    def allows_multiple(cls) -> bool:
        return False


class NodeTransformer(SubDAGModifier):
    """Transforms selected nodes (``target``) of the subDAG, each into one or more nodes.

    ``target``: None = the final nodes (no other node of this function consumes them);
    ``...`` = all nodes; a name or a collection of names = those nodes.
    """

    NON_FINAL_TAG = NON_FINAL_TAG

    def __init__(self, target: TargetType) -> None:
        _check_target(target, type(self).__name__)
        self.target = target

    @staticmethod
    def select_nodes(target: TargetType, nodes: Collection[Node]) -> list[Node]:
        """The nodes ``target`` names (see the class docstring)."""
        if target is None:
            consumed = {d.name for n in nodes for d in n.inputs}
            return [n for n in nodes if n.name not in consumed and not n.tags.get(NON_FINAL_TAG)]
        if target is Ellipsis:
            return list(nodes)
        wanted = {target} if isinstance(target, str) else set(target)
        found = [n for n in nodes if n.name in wanted]
        missing = wanted - {n.name for n in found}
        if missing:
            raise InvalidDecoratorError(
                f"target {sorted(missing)} names no node of this function; its nodes are "
                f"{sorted(n.name for n in nodes)}."
            )
        return found

    @staticmethod
    def compliment(all_nodes: Collection[Node], chosen: Collection[Node]) -> list[Node]:
        """The nodes not chosen (Hamilton's spelling)."""
        ids = {id(n) for n in chosen}
        return [n for n in all_nodes if id(n) not in ids]

    def transform_targets(
        self, targets: Iterable[Node], config: dict[str, Any], fn: Callable[..., Any]
    ) -> list[Node]:
        """Transform each target node."""
        out: list[Node] = []
        for node in targets:
            out.extend(self.transform_node(node, config, fn))
        return out

    def transform_dag(
        self, nodes: Collection[Node], config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        try:
            chosen = self.select_nodes(self.target, nodes)
        except InvalidDecoratorError as exc:
            raise InvalidDecoratorError(f"@{self.name} on {where(fn)}: {exc}") from None
        return [*self.compliment(nodes, chosen), *self.transform_targets(chosen, config, fn)]

    @abc.abstractmethod
    def transform_node(
        self, node: Node, config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        """The nodes ``node`` becomes."""

    def validate(self, fn: Callable[..., Any]) -> None:
        return None

    @classmethod
    def get_lifecycle_name(cls) -> str:
        return "transform"

    @classmethod
    def allows_multiple(cls) -> bool:
        return True


class SingleNodeNodeTransformer(NodeTransformer, abc.ABC):
    """A transformer for functions that produce exactly one final node."""

    def __init__(self) -> None:
        super().__init__(target=None)

    def transform_targets(
        self, targets: Iterable[Node], config: dict[str, Any], fn: Callable[..., Any]
    ) -> list[Node]:
        targets = list(targets)
        if len(targets) != 1:
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)} applies to one final node, found "
                f"{len(targets)}: {[n.name for n in targets]}."
            )
        return list(self.transform_node(targets[0], config, fn))


class NodeDecorator(NodeTransformer, abc.ABC):
    """Changes nodes one to one (e.g. ``tag``); ``target_`` selects which."""

    def __init__(self, target: TargetType = None) -> None:
        super().__init__(target)

    def transform_node(
        self, node: Node, config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        return [self.decorate_node(node)]

    @abc.abstractmethod
    def decorate_node(self, node: Node) -> Node:
        """The changed node."""

    def validate(self, fn: Callable[..., Any]) -> None:
        return None

    @classmethod
    def get_lifecycle_name(cls) -> str:
        return "decorate"

    @classmethod
    def allows_multiple(cls) -> bool:
        return True


class DynamicResolver(NodeTransformLifecycle):
    """Produces a decorator from the config at build time (``@resolve``)."""

    @abc.abstractmethod
    def resolve(self, config: dict[str, Any], fn: Callable[..., Any]) -> NodeTransformLifecycle:
        """The decorator to apply."""

    @classmethod
    def get_lifecycle_name(cls) -> str:
        return "dynamic"

    @classmethod
    def allows_multiple(cls) -> bool:
        return True

    def validate(self, fn: Callable[..., Any]) -> None:
        return None


def _check_target(target: Any, who: str) -> None:
    if target is None or target is Ellipsis or isinstance(target, str):
        return
    if isinstance(target, Collection) and all(isinstance(t, str) for t in target):
        return
    raise InvalidDecoratorError(
        f"@{who}: target must be None, ..., a node name or a collection of names; got {target!r}."
    )


def filter_config(config: dict[str, Any], decorator: NodeTransformLifecycle) -> dict[str, Any]:
    """The part of ``config`` a decorator declared (required keys plus optional with defaults)."""
    required = decorator.required_config()
    if required is None:
        return config
    optional = dict(decorator.optional_config() or {})
    optional.setdefault(ENABLE_POWER_USER_MODE, False)
    missing = sorted(set(required) - set(config) - set(optional))
    if missing:
        raise MissingConfigParametersException(
            f"@{decorator.name} needs config key(s) {missing}; add them with "
            "Builder().with_config({...})."
        )
    out = {key: config[key] for key in required}
    for key, default in optional.items():
        out[key] = config.get(key, default)
    return out
