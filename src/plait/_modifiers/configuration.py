"""Config-driven decorators: ``@config.when`` and friends, ``@hamilton_exclude``.

``@config.when(region="uk") def price__uk(...)`` keeps the function only when the config says
so, and names its node ``price`` (the text before the last ``__``). Several variants of one
node coexist in a module; the config picks one. plait adds ``@config.default``: a variant used
when no other variant of the same node is selected by the config.

The decorated function is never mutated: resolution returns a renamed copy.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Collection
from typing import Any

from plait._model.errors import InvalidDecoratorError
from plait._modifiers.base import NodeResolver, where

#: Tag on nodes of ``@config.default`` variants (dropped when another variant is selected).
CONFIG_DEFAULT_TAG = "plait.config_default"
#: Tag listing the config keys a ``@config.*`` decision used (Hamilton's key).
CONFIG_TAG = "hamilton.config"


def sanitize_function_name(name: str) -> str:
    """The node name of a ``name__suffix`` function: the text before the last ``__``."""
    cut = name.rfind("__")
    return name[:cut] if cut != -1 else name


def _renamed(fn: Callable[..., Any], name: str, config_used: list[str] | None) -> Any:
    """A copy of ``fn`` named ``name`` that remembers the config keys it was chosen by."""
    assert isinstance(fn, types.FunctionType)
    copy = types.FunctionType(fn.__code__, fn.__globals__, name, fn.__defaults__, fn.__closure__)
    copy.__dict__.update(fn.__dict__)
    copy.__kwdefaults__ = fn.__kwdefaults__
    copy.__annotations__ = fn.__annotations__
    copy.__qualname__ = fn.__qualname__
    copy.__doc__ = fn.__doc__
    copy.__module__ = fn.__module__
    copy.__original_name__ = fn.__name__  # type: ignore[attr-defined]
    copy.__plait_original__ = fn  # type: ignore[attr-defined]  # so execute([fn]) finds the node
    copy.__config_decorated__ = config_used if config_used is not None else ["__UNKNOWN__"]  # type: ignore[attr-defined]
    return copy


class config(NodeResolver):
    """Keep a function only for some configurations.

    ``config(resolves)`` takes a predicate over the config; usually one of the constructors is
    used: :meth:`when`, :meth:`when_not`, :meth:`when_in`, :meth:`when_not_in`, :meth:`default`.
    """

    def __init__(
        self,
        resolves: Callable[[dict[str, Any]], bool],
        target_name: str | None = None,
        config_used: list[str] | None = None,
    ) -> None:
        self.does_resolve = resolves
        self.target_name = target_name
        self._config_used = config_used

    def required_config(self) -> list[str] | None:
        return None if self._config_used is None else []

    def optional_config(self) -> dict[str, Any] | None:
        return None if self._config_used is None else dict.fromkeys(self._config_used)

    def validate(self, fn: Callable[..., Any]) -> None:
        if fn.__name__.endswith("__"):
            raise InvalidDecoratorError(
                f"@config on {where(fn)}: the name ends with '__', so no node name is left "
                "after removing the suffix. Name it like 'price__uk'."
            )

    def resolve(self, fn: Callable[..., Any], config: dict[str, Any]) -> Callable[..., Any] | None:
        if not self.does_resolve(config):
            return None
        name = self.target_name or sanitize_function_name(fn.__name__)
        return _renamed(fn, name, self._config_used)  # type: ignore[no-any-return]

    @staticmethod
    def when(name: str | None = None, **key_value_pairs: Any) -> config:
        """Keep the function when every key equals its value in the config."""

        def resolves(cfg: dict[str, Any]) -> bool:
            return all(cfg.get(k) == v for k, v in key_value_pairs.items())

        return config(resolves, target_name=name, config_used=list(key_value_pairs))

    @staticmethod
    def when_not(name: str | None = None, **key_value_pairs: Any) -> config:
        """Keep the function when no key equals its value in the config."""

        def resolves(cfg: dict[str, Any]) -> bool:
            return all(cfg.get(k) != v for k, v in key_value_pairs.items())

        return config(resolves, target_name=name, config_used=list(key_value_pairs))

    @staticmethod
    def when_in(name: str | None = None, **key_value_group_pairs: Collection[Any]) -> config:
        """Keep the function when every key's config value is one of the listed values."""

        def resolves(cfg: dict[str, Any]) -> bool:
            return all(cfg.get(k) in vs for k, vs in key_value_group_pairs.items())

        return config(resolves, target_name=name, config_used=list(key_value_group_pairs))

    @staticmethod
    def when_not_in(name: str | None = None, **key_value_group_pairs: Collection[Any]) -> config:
        """Keep the function when no key's config value is one of the listed values."""

        def resolves(cfg: dict[str, Any]) -> bool:
            return all(cfg.get(k) not in vs for k, vs in key_value_group_pairs.items())

        return config(resolves, target_name=name, config_used=list(key_value_group_pairs))

    @staticmethod
    def default(name: str | None = None) -> config:
        """The variant to use when no other ``@config`` variant of this node is selected.

        A plait extension: in Hamilton, a node whose variants all fail to match silently
        disappears (and is later reported as a missing input).
        """
        return _DefaultVariant(name)


class _DefaultVariant(config):
    """Always resolves; its nodes carry :data:`CONFIG_DEFAULT_TAG` and yield to other variants."""

    def __init__(self, target_name: str | None) -> None:
        super().__init__(lambda cfg: True, target_name=target_name, config_used=[])

    @property
    def name(self) -> str:
        return "config.default"

    def resolve(self, fn: Callable[..., Any], config: dict[str, Any]) -> Callable[..., Any] | None:
        renamed = super().resolve(fn, config)
        if renamed is not None:
            renamed.__plait_config_default__ = True  # type: ignore[attr-defined]
        return renamed


class hamilton_exclude(NodeResolver):
    """Leave a public function out of the graph (for helpers used by ``@does``, ``step`` ...)."""

    def resolve(self, fn: Callable[..., Any], config: dict[str, Any]) -> Callable[..., Any] | None:
        return None
