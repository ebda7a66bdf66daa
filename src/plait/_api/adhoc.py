"""Modules made on the fly, for notebooks and tests: from functions or from source text."""

from __future__ import annotations

import atexit
import importlib.util
import linecache
import os
import sys
import tempfile
import types
import uuid
from collections.abc import Callable
from typing import Any

from plait._model.errors import GraphError


def _fresh_name() -> str:
    return "temporary_module_" + uuid.uuid4().hex


def _clone(fn: Callable[..., Any]) -> types.FunctionType:
    """A copy of ``fn`` (so setting its module does not touch the caller's function)."""
    if not isinstance(fn, types.FunctionType):
        raise GraphError(f"create_temporary_module() takes plain functions, got {fn!r}.")
    copy = types.FunctionType(
        fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, fn.__closure__
    )
    copy.__dict__.update(fn.__dict__)
    copy.__kwdefaults__ = fn.__kwdefaults__
    copy.__annotations__ = fn.__annotations__
    copy.__qualname__ = fn.__qualname__
    copy.__doc__ = fn.__doc__
    return copy


def create_temporary_module(
    *functions: Callable[..., Any], module_name: str | None = None
) -> types.ModuleType:
    """A module holding copies of ``functions``, registered in ``sys.modules``.

    Raises
    ------
    GraphError
        If the name is taken, two functions share a name, or a name starts with ``_``
        (such functions are helpers, never nodes).
    """
    name = module_name if module_name is not None else _fresh_name()
    if name in sys.modules:
        raise GraphError(f"A module named {name!r} already exists; pass a unique module_name.")
    module = types.ModuleType(name)
    for fn in map(_clone, functions):
        if fn.__name__.startswith("_"):
            raise GraphError(
                f"Function {fn.__name__!r} starts with '_': such functions are helpers and "
                "never become nodes, so it has no place in a temporary module. Rename it."
            )
        if hasattr(module, fn.__name__):
            raise GraphError(f"Two functions are named {fn.__name__!r}; node names must be unique.")
        fn.__module__ = name
        setattr(module, fn.__name__, fn)
    sys.modules[name] = module
    return module


def module_from_source(source: str, module_name: str | None = None) -> types.ModuleType:
    """Execute ``source`` as a new module (kept in memory; ``inspect.getsource`` works)."""
    name = module_name or _fresh_name()
    module = types.ModuleType(name)
    sys.modules[name] = module
    exec(compile(source, name, "exec", dont_inherit=True), module.__dict__)
    lines = source.splitlines(True)
    linecache.cache[name] = (len(lines), None, lines, name)
    return module


def create_module(
    source: str, module_name: str | None = None, verbosity: int = 0
) -> types.ModuleType:
    """Write ``source`` to a temporary ``.py`` file and import it (the file goes at exit)."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(source)
        path = handle.name
    if verbosity > 1:
        print(f"Temporary module file: {path}")
    name = module_name or os.path.basename(path)[: -len(".py")]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    atexit.register(os.remove, path)
    return module
