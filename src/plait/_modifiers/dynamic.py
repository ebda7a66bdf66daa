"""Decorators whose behaviour comes from elsewhere: ``@does`` and ``@resolve``.

* ``@does(helper, **argument_mapping)`` on a function with an empty body: the node keeps the
  function's name, parameters and types, and ``helper`` computes its value.
* ``@resolve(when=ResolveAt.CONFIG_AVAILABLE, decorate_with=lambda k: parameterize(...))``:
  the decorator to apply is built from the config when the driver is built. It reshapes the
  graph from configuration, so it needs ``hamilton.enable_power_user_mode=True`` in the config
  (Hamilton's rule). ``@resolve_from_config(decorate_with=...)`` is the same.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from plait._model.errors import InvalidDecoratorError
from plait._model.node import Node
from plait._model.settings import ENABLE_POWER_USER_MODE
from plait._modifiers.base import (
    DynamicResolver,
    NodeCreator,
    NodeTransformLifecycle,
    where,
)
from plait._modifiers.dependencies import DecoratorKeyError


def _empty() -> None:
    pass


def _empty_with_doc() -> None:
    """A docstring."""


#: Bytecode of a body that does nothing (``pass`` / ``...``, with or without a docstring).
_EMPTY_BODIES = {_empty.__code__.co_code, _empty_with_doc.__code__.co_code}
_KEYWORD_KINDS = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


class does(NodeCreator):  # lowercase: Hamilton's public name
    """Compute a node with another function: ``@does(sum_all) def total(a: int, b: int) -> int``.

    The decorated function documents the node (name, parameters, types, docstring) and must
    have an empty body. ``argument_mapping`` renames arguments on the way:
    ``@does(scale, x="a")`` calls ``scale(x=<a>, ...)``.
    """

    def __init__(self, replacing_function: Callable[..., Any], **argument_mapping: str) -> None:
        self.replacing_function = replacing_function
        self.argument_mapping = argument_mapping

    @staticmethod
    def map_kwargs(kwargs: dict[str, Any], argument_mapping: Mapping[str, str]) -> dict[str, Any]:
        """The replacing function's keyword arguments from the node's (``{new: old}`` renames).

        A renamed argument is dropped under its old name unless another mapping still uses it.
        """
        still_wanted = set(argument_mapping.values())
        out = dict(kwargs)
        for new, old in argument_mapping.items():
            if new not in still_wanted:
                out.pop(old, None)
            out[new] = kwargs[old]
        return out

    @staticmethod
    def test_function_signatures_compatible(
        fn_signature: inspect.Signature,
        replace_with_signature: inspect.Signature,
        argument_mapping: Mapping[str, str],
    ) -> bool:
        """Whether the replacing function accepts the node's arguments after the mapping."""
        dummy = dict.fromkeys(fn_signature.parameters, ...)
        try:
            replace_with_signature.bind(**does.map_kwargs(dummy, argument_mapping))
        except TypeError:
            return False
        return True

    @staticmethod
    def ensure_function_signature_compatible(
        og_function: Callable[..., Any],
        replacing_function: Callable[..., Any],
        argument_mapping: Mapping[str, str],
    ) -> None:
        """Raise :class:`InvalidDecoratorError` unless the two signatures fit together."""
        context = f"@does on {where(og_function)}"
        signature = inspect.signature(og_function)
        odd = [n for n, p in signature.parameters.items() if p.kind not in _KEYWORD_KINDS]
        if odd:
            raise InvalidDecoratorError(
                f"{context}: parameters {odd} cannot be passed by keyword; a node's inputs are "
                "named parameters. Make them plain parameters."
            )
        unknown = sorted(set(argument_mapping.values()) - set(signature.parameters))
        if unknown:
            raise DecoratorKeyError(
                f"{context}: argument_mapping reads {unknown}, which are not parameters of "
                f"'{og_function.__name__}' {list(signature.parameters)}. Map the replacing "
                "function's arguments to those parameters: @does(fn, its_arg='parameter')."
            )
        replacing = inspect.signature(replacing_function)
        if not does.test_function_signatures_compatible(signature, replacing, argument_mapping):
            name = getattr(replacing_function, "__name__", repr(replacing_function))
            raise InvalidDecoratorError(
                f"{context}: {name}{replacing} cannot take the arguments of "
                f"{og_function.__name__}{signature} (argument_mapping: "
                f"{dict(argument_mapping)}). Change {name}'s parameters (e.g. **kwargs), or map "
                "them with @does(fn, its_arg='parameter')."
            )

    def validate(self, fn: Callable[..., Any]) -> None:
        if not callable(self.replacing_function):
            raise InvalidDecoratorError(
                f"@does on {where(fn)}: {self.replacing_function!r} is not a function; pass the "
                "function that computes the node."
            )
        if fn.__code__.co_code not in _EMPTY_BODIES:
            raise InvalidDecoratorError(
                f"@does on {where(fn)}: the function has a body, which @does would silently "
                f"replace by {getattr(self.replacing_function, '__name__', '?')}. Leave only a "
                "docstring and 'pass'."
            )
        bad = {k: v for k, v in self.argument_mapping.items() if not isinstance(v, str)}
        if bad:
            raise InvalidDecoratorError(
                f"@does on {where(fn)}: argument_mapping values name one parameter each; got "
                f"{bad!r}."
            )
        does.ensure_function_signature_compatible(
            fn, self.replacing_function, self.argument_mapping
        )

    def generate_nodes(self, fn: Callable[..., Any], config: dict[str, Any]) -> list[Node]:
        node = Node.from_fn(fn)
        defaults = node.default_parameter_values
        mapping, replacement = dict(self.argument_mapping), self.replacing_function

        def call(**kwargs: Any) -> Any:
            return replacement(**does.map_kwargs({**defaults, **kwargs}, mapping))

        return [node.copy_with(callabl=call)]


class ResolveAt(enum.Enum):
    """When ``@resolve`` builds its decorator (only once the config is known)."""

    CONFIG_AVAILABLE = "config_available"


class PowerUserModeError(DecoratorKeyError):
    """``@resolve`` was used without ``hamilton.enable_power_user_mode=True`` in the config.

    Also a ``KeyError``: Hamilton raises ``KeyError`` when the key is absent.
    """


def _config_parameters(fn: Callable[..., Any]) -> tuple[list[str], dict[str, Any], list[str]]:
    """``decorate_with``'s required names, optional names with defaults, and unusable params."""
    required: list[str] = []
    optional: dict[str, Any] = {}
    odd: list[str] = []
    for name, param in inspect.signature(fn).parameters.items():
        if param.kind not in _KEYWORD_KINDS:
            odd.append(name)
        elif param.default is inspect.Parameter.empty:
            required.append(name)
        else:
            optional[name] = param.default
    return required, optional, odd


class resolve(DynamicResolver):  # lowercase: Hamilton's public name
    """Choose a function's decorator from the config, when the driver is built.

    ``decorate_with``'s parameters name config keys (those with defaults are optional); it
    returns the decorator to apply. Needs ``hamilton.enable_power_user_mode=True`` in the config.
    """

    def __init__(
        self, *, when: ResolveAt, decorate_with: Callable[..., NodeTransformLifecycle]
    ) -> None:
        if when != ResolveAt.CONFIG_AVAILABLE:
            raise InvalidDecoratorError(
                f"@resolve(when={when!r}): only ResolveAt.CONFIG_AVAILABLE is supported."
            )
        self.until = when
        self.decorate_with = decorate_with
        self._required_config, self._optional_config, self._odd = _config_parameters(decorate_with)

    def required_config(self) -> list[str] | None:
        return self._required_config

    def optional_config(self) -> dict[str, Any] | None:
        return self._optional_config

    def validate(self, fn: Callable[..., Any]) -> None:
        if self._odd:
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)}: decorate_with's parameters {self._odd} cannot be "
                "passed by keyword; each parameter names a config key. Make them plain."
            )

    def resolve(self, config: dict[str, Any], fn: Callable[..., Any]) -> NodeTransformLifecycle:
        if not config.get(ENABLE_POWER_USER_MODE, False):
            raise PowerUserModeError(
                f"@{self.name} on {where(fn)} builds its decorator from the config, which "
                f"needs power-user mode. Add {{'{ENABLE_POWER_USER_MODE}': True}} to the config "
                "(Builder().with_config(...))."
            )
        missing = [key for key in self._required_config if key not in config]
        if missing:
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)}: decorate_with needs config key(s) {missing}, "
                "which the config lacks. Add them, or give those parameters defaults."
            )
        kwargs = {key: config[key] for key in self._required_config}
        kwargs.update({key: config[key] for key in self._optional_config if key in config})
        decorator = self.decorate_with(**kwargs)
        if not isinstance(decorator, NodeTransformLifecycle) or isinstance(
            decorator, DynamicResolver
        ):
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)}: decorate_with returned {decorator!r}, not a "
                "plait decorator. Return one, e.g. parameterize(...) from "
                "plait.function_modifiers."
            )
        decorator.validate(fn)
        return decorator


class resolve_from_config(resolve):  # lowercase: Hamilton's public name
    """``@resolve`` with ``when=ResolveAt.CONFIG_AVAILABLE`` filled in."""

    def __init__(self, *, decorate_with: Callable[..., NodeTransformLifecycle]) -> None:
        super().__init__(when=ResolveAt.CONFIG_AVAILABLE, decorate_with=decorate_with)
