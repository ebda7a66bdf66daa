"""One function, many nodes: ``@parameterize`` and its shorthands, ``@inject``.

``@parameterize(out_a={"x": value(1)}, out_b={"x": source("y")}) def f(x: int) -> int`` gives
two nodes, ``out_a`` (``f`` with ``x=1``) and ``out_b`` (``f`` fed by node ``y``). Parameters
not mentioned stay inputs of every output. ``group(...)`` gathers several specs into a list or
dict parameter. The docstring may use ``{output_name}`` and the parameter names as templates.

``@parameterize_values`` / ``@parameterize_sources`` are the all-``value`` / all-``source``
spellings, ``@inject`` is ``@parameterize`` with one output named like the function, and
``@parameterize_extract_columns`` parameterizes and splits the resulting DataFrame in one go.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from typing import Any

from plait._model.errors import InvalidDecoratorError, did_you_mean
from plait._model.node import Dependency, Node
from plait._model.types import resolve_annotations
from plait._modifiers.base import NodeExpander, where
from plait._modifiers.columns import check_unique, column_specs, extract_columns, require_frame
from plait._modifiers.dependencies import (
    ConfigDependency,
    GroupedDependency,
    GroupedDictDependency,
    LiteralDependency,
    ParametrizedDependency,
    UpstreamDependency,
    source,
    value,
)

Mapping_ = dict[str, ParametrizedDependency]


class _KeepMissing(dict[str, Any]):
    """``str.format_map`` helper: an unknown ``{name}`` stays ``name``."""

    def __missing__(self, key: str) -> str:
        return key


class _Binding:
    """One output's bindings, split once per decorator: literal values, sources
    (parameter -> node it reads) and groups (parameter -> group)."""

    __slots__ = ("groups", "literals", "sources")

    def __init__(self, mapping: Mapping_) -> None:
        self.literals: dict[str, Any] = {}
        self.sources: dict[str, str] = {}
        self.groups: dict[str, GroupedDependency] = {}
        for param, spec in mapping.items():
            if isinstance(spec, LiteralDependency):
                self.literals[param] = spec.value
            elif isinstance(spec, UpstreamDependency):
                self.sources[param] = spec.source
            elif isinstance(spec, GroupedDependency):
                self.groups[param] = spec

    def bind(self, node: Node, inner: Callable[..., Any]) -> tuple[tuple[Dependency, ...], Any]:
        """``node``'s inputs after the bindings, and the callable taking them by keyword."""
        if not self.sources and not self.groups:  # values only: the common case, kept cheap
            inputs = tuple([d for d in node.inputs if d.name not in self.literals])
            if not self.literals:
                return inputs, inner
            return inputs, functools.partial(inner, **self._literals_for(node, inputs))
        return self._rewired_inputs(node), self._rewired(node, inner)

    def _literals_for(self, node: Node, kept: tuple[Dependency, ...]) -> dict[str, Any]:
        """The literal values of ``node``'s parameters (a value bound to a parameter the node
        does not have, e.g. one an earlier decorator removed, is left out)."""
        if len(kept) + len(self.literals) == len(node.inputs):
            return self.literals
        names = {d.name for d in node.inputs}
        return {k: v for k, v in self.literals.items() if k in names}

    def _rewired_inputs(self, node: Node) -> tuple[Dependency, ...]:
        """Sources renamed, literals gone, groups spread into their member nodes."""
        out: dict[str, Dependency] = {}
        for dep in node.inputs:
            name = dep.name
            if name in self.literals:
                continue
            source_name = self.sources.get(name)
            spec = self.groups.get(name)
            if source_name is not None:
                out[source_name] = Dependency(source_name, dep.type, dep.required, dep.default)
            elif spec is None:
                out[name] = dep
            else:
                member_type = spec.resolve_dependency_type(dep.type, name)
                for member in spec.members():
                    if isinstance(member, UpstreamDependency):
                        out[member.source] = Dependency(member.source, member_type, dep.required)
        return tuple(out.values())

    def _rewired(self, node: Node, inner: Callable[..., Any]) -> Callable[..., Any]:
        """``inner`` called with each parameter taken from where the bindings say.

        A parameter whose node was not provided (an optional input) is left out, so the
        function's default applies (Hamilton fails with ``KeyError`` there).
        """
        names = [d.name for d in node.inputs]
        literals = {k: v for k, v in self.literals.items() if k in names}
        groups = [(p, g) for p, g in self.groups.items() if p in names]
        reads = [
            (p, self.sources.get(p, p))
            for p in names
            if p not in self.literals and p not in self.groups
        ]

        def call(**kwargs: Any) -> Any:
            args = dict(literals)
            for param, name in reads:
                if name in kwargs:
                    args[param] = kwargs[name]
            for param, spec in groups:
                with contextlib.suppress(KeyError):
                    args[param] = _group_value(spec, kwargs)
            return inner(**args)

        return call


def _group_value(spec: GroupedDependency, kwargs: dict[str, Any]) -> Any:
    """The list/dict a group passes; KeyError if a sourced member was not provided."""

    def one(member: Any) -> Any:
        return kwargs[member.source] if isinstance(member, UpstreamDependency) else member.value

    if isinstance(spec, GroupedDictDependency):
        return {key: one(member) for key, member in spec.sources.items()}
    return [one(member) for member in spec.members()]


def _split_spec(given: object) -> tuple[Mapping_ | None, str | None]:
    """``({param: spec}, doc or None)`` from ``{...}`` or ``({...}, "doc")``."""
    doc = None
    if isinstance(given, tuple) and len(given) == 2 and isinstance(given[1], str):
        given, doc = given
    return (dict(given) if isinstance(given, Mapping) else None), doc


def _spec_problems(output: str, mapping: Mapping[str, object]) -> list[str]:
    problems = []
    for param, dep in mapping.items():
        if isinstance(dep, ConfigDependency):
            problems.append(
                f"'{output}' binds '{param}' to configuration({dep.source!r}), which only "
                "@subdag's config= understands; use value(...) or source(...)"
            )
        elif not isinstance(dep, ParametrizedDependency):
            problems.append(
                f"'{output}' binds '{param}' to {dep!r}; wrap it: value({dep!r}) for a "
                "constant, source(...) for a node"
            )
    return problems


class parameterize(NodeExpander):  # lowercase: Hamilton's public name
    """Make several nodes from one function, each with some parameters bound.

    ``@parameterize(name={param: spec, ...}, other=({param: spec}, "its doc"), ...)``; a spec is
    ``value(x)``, ``source("node")`` or ``group(...)``. The function's docstring is formatted per
    output with ``{output_name}`` and the bound parameters' values/sources.
    """

    RESERVED_KWARG = "output_name"
    #: Output name standing for "the function's own node name" (used by ``@inject``).
    PLACEHOLDER_PARAM_NAME = "__<function_name>"

    def __init__(
        self, **parametrization: Mapping[str, ParametrizedDependency] | tuple[Any, str]
    ) -> None:
        self.parameterization: dict[str, Mapping_] = {}
        self.specified_docstrings: dict[str, str] = {}
        self._problems: list[str] = []
        for output, given in parametrization.items():
            mapping, doc = _split_spec(given)
            if doc is not None:
                self.specified_docstrings[output] = doc
            if mapping is None:
                self._problems.append(f"'{output}' is given {given!r}; give a dict or (dict, doc)")
                continue
            self.parameterization[output] = mapping
            self._problems += _spec_problems(output, mapping)

    def validate(self, fn: Callable[..., Any]) -> None:
        context = f"@{self.name} on {where(fn)}"
        if self._problems:
            raise InvalidDecoratorError(f"{context}: {'; '.join(self._problems)}.")
        if not self.parameterization:
            raise InvalidDecoratorError(
                f"{context} makes no nodes; give at least one output, e.g. "
                f"@{self.name}(out={{'x': value(1)}})."
            )
        code = fn.__code__
        params = list(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])
        if self.RESERVED_KWARG in params:
            raise InvalidDecoratorError(
                f"{context}: the parameter name '{self.RESERVED_KWARG}' is reserved (the "
                "docstring template uses it for the output's name). Rename the parameter."
            )
        unknown = sorted({p for m in self.parameterization.values() for p in m} - set(params))
        if unknown:
            raise InvalidDecoratorError(
                f"{context}: {unknown} are not parameters of '{fn.__name__}', whose parameters "
                f"are {params}.{did_you_mean(unknown[0], params)} Bind only those."
            )
        self._check_groups(fn, context)
        for output in self.parameterization:
            self._format_doc(fn.__doc__ or "", output, self._output_name(output, fn.__name__), fn)

    def _check_groups(self, fn: Callable[..., Any], context: str) -> None:
        grouped = {
            p: s
            for m in self.parameterization.values()
            for p, s in m.items()
            if isinstance(s, GroupedDependency)
        }
        if not grouped:
            return
        annotations = resolve_annotations(fn)
        for param, spec in grouped.items():
            try:
                spec.resolve_dependency_type(annotations.get(param), param)
            except InvalidDecoratorError as exc:
                raise InvalidDecoratorError(f"{context}: {exc}") from None

    def _output_name(self, output: str, own_name: str) -> str:
        return own_name if output == self.PLACEHOLDER_PARAM_NAME else output

    def _format_doc(self, template: str, output: str, name: str, fn: Callable[..., Any]) -> str:
        """The documentation of output ``output`` (node ``name``): given, or the template filled."""
        if output in self.specified_docstrings:
            return self.specified_docstrings[output]
        if "{" not in template and "}" not in template:
            return template  # nothing to fill
        fills = _KeepMissing({self.RESERVED_KWARG: name})
        for param, spec in self.parameterization[output].items():
            if isinstance(spec, UpstreamDependency):
                fills[param] = spec.source
            elif isinstance(spec, LiteralDependency):
                fills[param] = spec.value
        try:
            return template.format_map(fills)
        except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)}: its docstring is a template for each output "
                f"(output_name and parameter names in braces), but it cannot be filled in for "
                f"'{name}' ({type(exc).__name__}: {exc}). Double literal braces: '{{{{'."
            ) from None

    def expand_node(
        self, node: Node, config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        inner = node.callable
        assert inner is not None
        bindings = self._bindings()
        out = []
        for output in self.parameterization:
            name = self._output_name(output, node.name)
            inputs, call = bindings[output].bind(node, inner)
            for d in inputs:
                if d.name == name:
                    raise InvalidDecoratorError(
                        f"@{self.name} on {where(fn)}: output '{name}' would take itself as "
                        f"input '{name}' (a parameter of that name is left unbound or sourced "
                        "from it). Rename the output, or bind that parameter with "
                        "value(...)/source(...)."
                    )
            out.append(
                node.evolve(
                    name=name,
                    inputs=inputs,
                    callable=call,
                    documentation=self._format_doc(node.documentation, output, name, fn),
                    positional=False,
                )
            )
        check_unique([n.name for n in out], fn, self.name, "output")
        return out

    def _bindings(self) -> dict[str, _Binding]:
        """Each output's bindings, split once (the decorator's own, unchanging data)."""
        made: dict[str, _Binding] | None = self.__dict__.get("_split")
        if made is None:
            made = {out: _Binding(m) for out, m in self.parameterization.items()}
            self.__dict__["_split"] = made
        return made


class parameterize_values(parameterize):  # lowercase: Hamilton's public name
    """``@parameterize_values(parameter="x", assigned_output={("out", "doc"): 1, ...})``."""

    def __init__(self, parameter: str, assigned_output: dict[tuple[str, str], Any]) -> None:
        pairs = {k: v for k, v in assigned_output.items() if isinstance(k, tuple) and len(k) == 2}
        super().__init__(
            **{output: ({parameter: value(v)}, doc) for (output, doc), v in pairs.items()}
        )
        bad = [key for key in assigned_output if key not in pairs]
        if bad:
            self._problems.append(
                f"assigned_output keys must be (output name, documentation) pairs; got {bad!r}"
            )
        counts = Counter(output for output, _ in pairs)
        repeated = sorted(name for name, count in counts.items() if count > 1)
        if repeated:
            self._problems.append(
                f"the outputs {repeated} are assigned more than once (once per node name)"
            )


class parameterize_sources(parameterize):  # lowercase: Hamilton's public name
    """``@parameterize_sources(out_a={"x": "node_a"}, out_b={"x": "node_b"})``."""

    def __init__(self, **parameterization: dict[str, str]) -> None:
        self.parametrization = parameterization
        good = {
            output: mapping
            for output, mapping in parameterization.items()
            if mapping
            and isinstance(mapping, dict)
            and all(isinstance(n, str) for n in mapping.values())
        }
        super().__init__(**{out: {p: source(n) for p, n in m.items()} for out, m in good.items()})
        bad = {out: m for out, m in parameterization.items() if out not in good}
        if bad or not parameterization:
            self._problems.append(
                f"each output needs a non-empty {{parameter: node name}} dict; got {bad}"
            )


class inject(parameterize):  # lowercase: Hamilton's public name
    """Bind some parameters of one function: ``@inject(xs=group(source("a"), value(2)))``.

    The node keeps the function's name; it is ``@parameterize`` with one output.
    """

    def __init__(self, **key_mapping: ParametrizedDependency) -> None:
        super().__init__(**{parameterize.PLACEHOLDER_PARAM_NAME: key_mapping})


@dataclasses.dataclass
class ParameterizedExtract:
    """One parameterization of ``@parameterize_extract_columns``: column names and bindings."""

    outputs: tuple[str, ...]
    input_mapping: dict[str, ParametrizedDependency]


class parameterize_extract_columns(NodeExpander):  # lowercase: Hamilton's public name
    """``@parameterize`` a DataFrame-returning function and split each result into columns.

    For the i-th :class:`ParameterizedExtract`, the frame node is ``<function>__<i>`` and its
    columns (renamed to ``outputs`` in order when ``reassign_columns``) become nodes.
    """

    def __init__(self, *extract_config: ParameterizedExtract, reassign_columns: bool = True):
        self.extract_config = extract_config
        self.reassign_columns = reassign_columns

    def _parts(self, name: str) -> list[tuple[parameterize, extract_columns]]:
        return [
            (
                _ExtractBindings(**{f"{name}__{i}": dict(pe.input_mapping)}),
                extract_columns(*pe.outputs),
            )
            for i, pe in enumerate(self.extract_config)
        ]

    def validate(self, fn: Callable[..., Any]) -> None:
        context = f"@{self.name} on {where(fn)}"
        if not self.extract_config:
            raise InvalidDecoratorError(f"{context} needs at least one ParameterizedExtract.")
        bad = [pe for pe in self.extract_config if not isinstance(pe, ParameterizedExtract)]
        if bad:
            raise InvalidDecoratorError(
                f"{context}: expected ParameterizedExtract(...), got {bad!r}."
            )
        extract_columns.validate_return_type(fn)
        outputs = []
        for pe in self.extract_config:
            outputs += [c for c, _ in column_specs(pe.outputs, fn, self.name)]
        check_unique(outputs, fn, self.name, "column")
        for parameterization, _ in self._parts(fn.__name__):
            parameterization.validate(fn)

    def expand_node(
        self, node: Node, config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        kind = require_frame(node.type, fn, self.name)
        out: list[Node] = []
        for pe, (parameterization, extraction) in zip(
            self.extract_config, self._parts(node.name), strict=True
        ):
            frame = _renaming(node, kind.rename, pe.outputs, fn) if self.reassign_columns else node
            (parameterized,) = parameterization.expand_node(frame, config, fn)
            out.extend(extraction.transform_node(parameterized, config, fn))
        return out


class _ExtractBindings(parameterize):
    """The ``@parameterize`` inside ``@parameterize_extract_columns`` (named so in messages)."""

    @property
    def name(self) -> str:
        return "parameterize_extract_columns"


def _renaming(
    node: Node, rename: Callable[[Any, Any], Any], names: tuple[str, ...], fn: Callable[..., Any]
) -> Node:
    inner = node.callable
    assert inner is not None

    def call(*args: Any, **kwargs: Any) -> Any:
        frame = inner(*args, **kwargs)
        try:
            return rename(frame, names)
        except ValueError as exc:
            raise InvalidDecoratorError(
                f"@parameterize_extract_columns: {where(fn)} returned a frame whose columns "
                f"cannot be renamed to {list(names)} ({exc}). Return one column per name."
            ) from None

    return node.evolve(callable=call)
