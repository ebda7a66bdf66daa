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
from plait._modifiers.step import DecoratorArgumentTypeError

#: Tag on nodes of ``@config.default`` variants (dropped when another variant is selected).
CONFIG_DEFAULT_TAG = "plait.config_default"
#: Tag listing the config keys a ``@config.*`` decision used (Hamilton's key).
CONFIG_TAG = "hamilton.config"


def sanitize_function_name(name: str) -> str:
    """The node name of a ``name__suffix`` function: the text before the last ``__``."""
    cut = name.rfind("__")
    return name[:cut] if cut != -1 else name


def _renamed(fn: Callable[..., Any], name: str, config_used: list[str] | None) -> Any:
    """A copy of ``fn`` named ``name`` that remembers the config keys it was chosen by.

    ``config_used`` None means "unknown" (a custom predicate): Hamilton's ``__UNKNOWN__``.
    """
    assert isinstance(fn, types.FunctionType)
    copy = types.FunctionType(fn.__code__, fn.__globals__, name, fn.__defaults__, fn.__closure__)
    copy.__dict__.update(fn.__dict__)
    copy.__kwdefaults__ = fn.__kwdefaults__
    copy.__annotations__ = fn.__annotations__
    copy.__qualname__ = fn.__qualname__
    copy.__doc__ = fn.__doc__
    copy.__module__ = fn.__module__
    copy.__original_name__ = getattr(fn, "__original_name__", fn.__name__)  # type: ignore[attr-defined]
    # so that execute([fn]) finds the node, also when several @config decorators are stacked
    copy.__plait_original__ = getattr(fn, "__plait_original__", fn)  # type: ignore[attr-defined]
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
        self._kind = "config"
        self._value_groups: dict[str, Any] = {}  # when_in / when_not_in, checked in validate

    @property
    def name(self) -> str:
        return self._kind

    def required_config(self) -> list[str] | None:
        return None if self._config_used is None else []

    def optional_config(self) -> dict[str, Any] | None:
        return None if self._config_used is None else dict.fromkeys(self._config_used)

    def validate(self, fn: Callable[..., Any]) -> None:
        if fn.__name__.endswith("__"):
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)}: the name ends with '__'; the node is named by "
                "the text before the last '__', so nothing would be left. Name it like "
                "'price__uk'."
            )
        if not callable(self.does_resolve):
            raise DecoratorArgumentTypeError(
                f"@config on {where(fn)}: expected a predicate over the config (a function "
                f"taking the config dict and returning a bool), got {self.does_resolve!r}."
            )
        if self.target_name is not None and not (
            isinstance(self.target_name, str) and self.target_name
        ):
            raise DecoratorArgumentTypeError(
                f"@{self.name} on {where(fn)}: name= gives the node's name, a non-empty "
                f"string; got {self.target_name!r}."
            )
        for key, group in self._value_groups.items():
            text = isinstance(group, (str, bytes))
            if text or not isinstance(group, Collection):
                why = "; a string would match its substrings" if text else ""
                raise DecoratorArgumentTypeError(
                    f"@{self.name} on {where(fn)}: {key}={group!r} must list the values (a "
                    f"list, tuple or set), e.g. {key}=[{group!r}]{why}."
                )

    def resolve(self, fn: Callable[..., Any], config: dict[str, Any]) -> Callable[..., Any] | None:
        if not self.does_resolve(config):
            return None
        name = self.target_name or sanitize_function_name(fn.__name__)
        return _renamed(fn, name, self._config_used)  # type: ignore[no-any-return]

    @staticmethod
    def when(name: str | None = None, **key_value_pairs: Any) -> config:
        """Keep the function when every key equals its value in the config (absent = None)."""

        def resolves(cfg: dict[str, Any]) -> bool:
            return all(cfg.get(k) == v for k, v in key_value_pairs.items())

        return _made("config.when", resolves, name, key_value_pairs)

    @staticmethod
    def when_not(name: str | None = None, **key_value_pairs: Any) -> config:
        """Keep the function when no key equals its value in the config (absent = None)."""

        def resolves(cfg: dict[str, Any]) -> bool:
            return all(cfg.get(k) != v for k, v in key_value_pairs.items())

        return _made("config.when_not", resolves, name, key_value_pairs)

    @staticmethod
    def when_in(name: str | None = None, **key_value_group_pairs: Collection[Any]) -> config:
        """Keep the function when every key's config value is one of the listed values."""

        def resolves(cfg: dict[str, Any]) -> bool:
            return all(cfg.get(k) in vs for k, vs in key_value_group_pairs.items())

        return _made("config.when_in", resolves, name, key_value_group_pairs, groups=True)

    @staticmethod
    def when_not_in(**key_value_group_pairs: Collection[Any]) -> config:
        """Keep the function when no key's config value is one of the listed values.

        It takes no ``name=``: as in Hamilton, ``name`` here is a config key like any other.
        """

        def resolves(cfg: dict[str, Any]) -> bool:
            return all(cfg.get(k) not in vs for k, vs in key_value_group_pairs.items())

        return _made("config.when_not_in", resolves, None, key_value_group_pairs, groups=True)

    @staticmethod
    def default(name: str | None = None) -> config:
        """The variant to use when no other ``@config`` variant of this node is selected.

        A plait extension: in Hamilton, a node whose variants all fail to match silently
        disappears (and is later reported as a missing input).
        """
        return _DefaultVariant(name)


def _made(
    kind: str,
    resolves: Callable[[dict[str, Any]], bool],
    name: str | None,
    pairs: dict[str, Any],
    groups: bool = False,
) -> config:
    """A ``config`` reading the keys of ``pairs``, named ``kind`` in messages."""
    made = config(resolves, target_name=name, config_used=list(pairs))
    made._kind = kind
    if groups:
        made._value_groups = pairs
    return made


class _DefaultVariant(config):
    """Always resolves; its nodes carry :data:`CONFIG_DEFAULT_TAG` and yield to other variants."""

    def __init__(self, target_name: str | None) -> None:
        super().__init__(lambda cfg: True, target_name=target_name, config_used=[])
        self._kind = "config.default"

    def resolve(self, fn: Callable[..., Any], config: dict[str, Any]) -> Callable[..., Any] | None:
        renamed = super().resolve(fn, config)
        assert renamed is not None  # a default always resolves
        renamed.__plait_config_default__ = True  # type: ignore[attr-defined]
        del renamed.__config_decorated__  # type: ignore[attr-defined]  # reads no key: no tag
        return renamed


class hamilton_exclude(NodeResolver):
    """Leave a public function out of the graph (for helpers used by ``@does``, ``step`` ...).

    ``plait.function_modifiers.hamilton_exclude`` is an instance, used bare
    (``@hamilton_exclude``); ``@hamilton_exclude()`` works too (Hamilton raises ``TypeError``).
    """

    def __call__(self, fn: Callable[..., Any] | None = None) -> Callable[..., Any]:
        if fn is None:
            return self
        return super().__call__(fn)

    def resolve(self, fn: Callable[..., Any], config: dict[str, Any]) -> Callable[..., Any] | None:
        return None
