"""One small adapter per framework, all with the same methods.

``build(module) -> handle`` and ``execute(handle, outputs, inputs) -> {name: value}`` for the
Builder-style API; ``build_dataframe`` / ``execute_dataframe`` for the legacy
``driver.Driver({}, module)`` that returns a pandas DataFrame. Heavy imports happen lazily, inside
the adapters, so that ``run.py`` can measure import time separately and report a framework that
does not import as "n/a".
"""

from __future__ import annotations

import graphlib
import importlib
import importlib.metadata
import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

Values = Mapping[str, Any]


def module_functions(module: ModuleType) -> list[Callable[..., Any]]:
    """Public functions defined in ``module``, in definition order (what Hamilton crawls)."""
    return [
        obj
        for name, obj in vars(module).items()
        if inspect.isfunction(obj) and obj.__module__ == module.__name__ and name[0] != "_"
    ]


def _arg_names(func: Callable[..., Any]) -> tuple[str, ...]:
    code = func.__code__
    return code.co_varnames[: code.co_argcount]


class Framework:
    """Base adapter. Subclasses implement ``build`` and ``execute``."""

    name = "?"
    #: statement timed in a fresh interpreter for the import workload
    import_statement = "pass"
    #: extra entries for ``sys.path`` of that fresh interpreter
    import_paths: tuple[str, ...] = ()
    #: measured by the build workload only
    build_only = False

    def unavailable_reason(self) -> str | None:
        """``None`` when usable, else a one-line reason (the framework is reported as n/a)."""
        return None

    def version(self) -> str | None:
        return None

    def build(self, module: ModuleType) -> Any:
        raise NotImplementedError

    def execute(self, handle: Any, outputs: Sequence[str], inputs: Values) -> Values:
        raise NotImplementedError

    def build_dataframe(self, module: ModuleType) -> Any:
        return self.build(module)

    def execute_dataframe(self, handle: Any, outputs: Sequence[str], inputs: Values) -> Any:
        import pandas as pd

        return pd.DataFrame(dict(self.execute(handle, outputs, inputs)))


class Plain(Framework):
    """The reference: the module's functions called in topological order with a dict of values.

    ``build`` is the minimum any framework must do: list the functions, read parameter names
    from ``__code__`` and sort topologically. ``execute`` runs every function (the workloads
    always need every node) and returns the requested values.
    """

    name = "plain"

    def version(self) -> str | None:
        import platform

        return platform.python_version()

    def build(self, module: ModuleType) -> list[tuple[str, Callable[..., Any], tuple[str, ...]]]:
        funcs = {f.__name__: f for f in module_functions(module)}
        args = {name: _arg_names(f) for name, f in funcs.items()}
        deps = {name: [a for a in names if a in funcs] for name, names in args.items()}
        order = graphlib.TopologicalSorter(deps).static_order()
        return [(name, funcs[name], args[name]) for name in order]

    def execute(
        self,
        handle: list[tuple[str, Callable[..., Any], tuple[str, ...]]],
        outputs: Sequence[str],
        inputs: Values,
    ) -> Values:
        values = dict(inputs)
        for name, func, args in handle:
            values[name] = func(*[values[a] for a in args])
        return {name: values[name] for name in outputs}

    def execute_dataframe(self, handle: Any, outputs: Sequence[str], inputs: Values) -> Any:
        import pandas as pd

        return pd.DataFrame(self.execute(handle, outputs, inputs))


class HamiltonLike(Framework):
    """Hamilton's user-facing API under a package name: ``hamilton`` or its port ``plait``."""

    def __init__(self, name: str, package: str, dist: str, import_paths: Sequence[str] = ()):
        self.name = name
        self.package = package
        self.dist = dist
        self.import_statement = f"from {package} import driver"
        self.import_paths = tuple(import_paths)

    def _driver(self) -> Any:
        return importlib.import_module(f"{self.package}.driver")

    def unavailable_reason(self) -> str | None:
        try:
            driver = self._driver()
            driver.Builder  # noqa: B018 - the attribute is the API under test
            driver.Driver  # noqa: B018
        except Exception as exc:  # a half-written core can fail in any way
            return f"{type(exc).__name__}: {exc}".splitlines()[0][:120]
        return None

    def version(self) -> str | None:
        try:
            return importlib.metadata.version(self.dist)
        except importlib.metadata.PackageNotFoundError:
            return getattr(importlib.import_module(self.package), "__version__", None)

    def build(self, module: ModuleType) -> Any:
        return self._driver().Builder().with_modules(module).build()

    def execute(self, handle: Any, outputs: Sequence[str], inputs: Values) -> Values:
        result: Values = handle.execute(list(outputs), inputs=dict(inputs))
        return result

    def build_dataframe(self, module: ModuleType) -> Any:
        return self._driver().Driver({}, module)

    def execute_dataframe(self, handle: Any, outputs: Sequence[str], inputs: Values) -> Any:
        return handle.execute(list(outputs), inputs=dict(inputs))


@dataclass
class _PipefuncHandle:
    pipeline: Any
    #: requested outputs -> the subset that is nobody else's ancestor (what ``run`` is asked for)
    sinks: dict[tuple[str, ...], list[str]] = field(default_factory=dict)


class Pipefunc(Framework):
    """pipefunc, with its fastest documented paths.

    Build: ``Pipeline(functions)`` calls ``add`` per function and each ``add`` re-validates the
    whole pipeline (quadratic), so the functions are wrapped in ``PipeFunc`` and put into the
    pipeline's ``functions`` list in bulk, then the public ``Pipeline.validate()`` runs once.

    Execute: ``run`` re-walks the ancestors of every requested output (quadratic in outputs), so
    for small graphs it is asked only for the requested outputs that no other requested output
    depends on, with ``full_output=True``; above ``MAP_ABOVE`` functions the graph-wide
    ``map(parallel=False, storage="dict")`` (linear) is used instead.
    """

    name = "pipefunc"
    import_statement = "from pipefunc import Pipeline"
    MAP_ABOVE = 200

    def version(self) -> str | None:
        return importlib.metadata.version("pipefunc")

    def build(self, module: ModuleType) -> _PipefuncHandle:
        from pipefunc import PipeFunc, Pipeline

        pipeline = Pipeline([])
        funcs = [PipeFunc(f, output_name=f.__name__) for f in module_functions(module)]
        pipeline.functions = funcs
        for f in funcs:
            f._pipelines.add(pipeline)  # what ``add`` does, minus the per-add validation
        pipeline.validate()
        return _PipefuncHandle(pipeline)

    def execute(self, handle: _PipefuncHandle, outputs: Sequence[str], inputs: Values) -> Values:
        pipeline = handle.pipeline
        if len(pipeline.functions) > self.MAP_ABOVE:
            results = pipeline.map(dict(inputs), parallel=False, storage="dict")
            return {name: results[name].output for name in outputs}
        key = tuple(outputs)
        sinks = handle.sinks.get(key)
        if sinks is None:
            sinks = handle.sinks[key] = _sinks(pipeline, outputs)
        values = pipeline.run(sinks, full_output=True, kwargs=dict(inputs))
        return {name: values[name] for name in outputs}


def _sinks(pipeline: Any, outputs: Sequence[str]) -> list[str]:
    covered: set[str] = set()
    for name in outputs:
        covered.update(pipeline.func_dependencies(name))
    return [name for name in outputs if name not in covered]


class PipefuncList(Pipefunc):
    """pipefunc built the way its docs show, ``Pipeline(functions)``: build workload only."""

    name = "pipefunc[Pipeline(list)]"
    build_only = True

    def build(self, module: ModuleType) -> _PipefuncHandle:
        from pipefunc import PipeFunc, Pipeline

        funcs: list[Any] = [PipeFunc(f, output_name=f.__name__) for f in module_functions(module)]
        return _PipefuncHandle(Pipeline(funcs))


def all_frameworks(plait_src: str | None) -> list[Framework]:
    """Every adapter, reference first. ``plait_src`` is put first on ``sys.path`` for plait."""
    paths = (plait_src,) if plait_src else ()
    return [
        Plain(),
        HamiltonLike("plait", "plait", "plait", paths),
        HamiltonLike("hamilton", "hamilton", "apache-hamilton"),
        Pipefunc(),
        PipefuncList(),
    ]
