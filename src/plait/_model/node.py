"""The node model: one frozen :class:`Node` per output, built from a function once.

A node is a name, an output type, the inputs it needs (:class:`Dependency`), the callable that
computes it, tags, and where it came from (:class:`Origin`, the user function's ``file:line``).
Nodes never change after creation; decorators (in ``plait._modifiers``) produce new nodes from
old ones with :func:`dataclasses.replace`.

Standard library only; imports nothing above ``plait._model``.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from plait._model.errors import GraphError
from plait._model.types import is_collect_type, is_parallelizable_type, resolve_annotations

_EMPTY_TAGS: Mapping[str, Any] = MappingProxyType({})


class NodeKind(enum.Enum):
    """What computes a node's value (Hamilton calls this ``NodeType``)."""

    FUNCTION = "function"  #: a callable computes it
    EXTERNAL = "external"  #: provided by the caller (``inputs=``) or the config
    EXPAND = "expand"  #: returns ``Parallelizable[T]``: fans out
    COLLECT = "collect"  #: takes a ``Collect[T]`` parameter: fans in
    STANDARD = "function"  #: Hamilton's name for FUNCTION (an alias)


class DependencyType(enum.Enum):
    """Whether a node needs an input (Hamilton's names)."""

    REQUIRED = 1
    OPTIONAL = 2


class Origin(NamedTuple):
    """Where a node was defined: the user's function and its ``file:line``.

    A named tuple (cheap to make: one per node, built for 100k-function graphs).
    """

    qualname: str
    file: str
    line: int

    @staticmethod
    def of(fn: Callable[..., Any]) -> Origin:
        """The origin of a plain function (or anything with a ``__code__``)."""
        try:
            code = fn.__code__
            return Origin(fn.__qualname__, code.co_filename, code.co_firstlineno)
        except AttributeError:
            return Origin(getattr(fn, "__qualname__", repr(fn)), "<unknown>", 0)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"

    def describe(self) -> str:
        """``function 'qualname' at file:line`` for error messages."""
        return f"function '{self.qualname}' at {self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Dependency:
    """One input of a node: a parameter name, its annotation, and whether it may be left out."""

    name: str
    type: Any
    required: bool = True
    default: Any = None


@dataclass(frozen=True, slots=True, eq=False)
class Node:
    """A frozen node of the dataflow.

    ``positional`` says that calling ``callable(*values)`` with the dependency values in order
    is the same as calling it with keywords (true for plain functions); the runner uses it to
    avoid building a dict per call.

    ``origin`` is set only where it differs from the first originating function's own
    ``file:line`` (e.g. nodes a decorator made); :meth:`get_origin` gives it either way.
    """

    name: str
    type: Any
    callable: Callable[..., Any] | None = None
    inputs: tuple[Dependency, ...] = ()
    kind: NodeKind = NodeKind.FUNCTION
    tags: Mapping[str, Any] = field(default_factory=lambda: _EMPTY_TAGS)
    documentation: str = ""
    origin: Origin | None = None
    originating_functions: tuple[Callable[..., Any], ...] = ()
    positional: bool = False

    @property
    def is_external(self) -> bool:
        """True for inputs the caller provides."""
        return self.kind is NodeKind.EXTERNAL

    def get_origin(self) -> Origin | None:
        """Where the node was defined: :attr:`origin`, else its first originating function."""
        if self.origin is not None:
            return self.origin
        if self.originating_functions:
            return Origin.of(self.originating_functions[0])
        return None

    def __getstate__(self) -> list[Any]:
        """The fields, for pickling, with :attr:`origin` filled in: a function sent by value
        (cloudpickle, to worker processes and clusters) arrives with its file name replaced
        by ``<dynamic-code>``, so the node's errors there would not say where it is."""
        state = [getattr(self, name) for name in _NODE_FIELDS]
        state[_ORIGIN_FIELD] = self.get_origin()
        return state

    def where(self) -> str:
        """Human description of where this node comes from, for error messages."""
        origin = self.get_origin()
        if origin is None:
            return f"node '{self.name}'"
        return origin.describe()

    def __repr__(self) -> str:
        type_name = getattr(self.type, "__name__", None) or repr(self.type)
        return f"Node({self.name!r}: {type_name})"

    def evolve(self, **changes: Any) -> Node:
        """A copy with some fields changed (like :func:`dataclasses.replace`, but cheaper:
        decorators make one or two copies per node). Unknown field names raise TypeError."""
        return _evolve(self, **changes)

    # -- Hamilton's node API, for decorators written against ``hamilton.node.Node`` ----------

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        assert self.callable is not None, f"node '{self.name}' has no callable"
        return self.callable(*args, **kwargs)

    @property
    def input_types(self) -> dict[str, tuple[Any, DependencyType]]:
        """``{input name: (annotation, REQUIRED | OPTIONAL)}``."""
        req, opt = DependencyType.REQUIRED, DependencyType.OPTIONAL
        return {d.name: (d.type, req if d.required else opt) for d in self.inputs}

    @property
    def default_parameter_values(self) -> dict[str, Any]:
        """Default values of the optional inputs."""
        return {d.name: d.default for d in self.inputs if not d.required}

    @property
    def user_defined(self) -> bool:
        """True for external inputs (Hamilton's name)."""
        return self.kind is NodeKind.EXTERNAL

    @property
    def node_role(self) -> NodeKind:
        """Hamilton's name for :attr:`kind`."""
        return self.kind

    @staticmethod
    def from_fn(fn: Callable[..., Any], name: str | None = None) -> Node:
        """The node a plain function defines (tagged with its module, as Hamilton does)."""
        return node_from_function(fn, name=name, tags={"module": fn.__module__})

    def copy_with(self, include_refs: bool = True, **changes: Any) -> Node:
        """A copy with some fields changed; accepts Hamilton's keyword names too.

        Hamilton names: ``typ``, ``callabl``, ``doc_string``, ``node_source``,
        ``input_types`` (``{name: type | (type, DependencyType)}``), ``optional_values``.
        """
        del include_refs  # plait nodes hold no graph references
        return self.evolve(**_translate_changes(self, changes))

    def reassign_inputs(
        self,
        input_names: Mapping[str, str] | None = None,
        input_values: Mapping[str, Any] | None = None,
    ) -> Node:
        """Rename inputs (``{old: new}``) and/or bind some to fixed values."""
        names = dict(input_names or {})
        values = dict(input_values or {})
        reverse = {new: old for old, new in names.items()}
        inner = self.callable
        assert inner is not None

        def call(**kwargs: Any) -> Any:
            kwargs = {reverse.get(k, k): v for k, v in kwargs.items()}
            return inner(**kwargs, **values)

        inputs = tuple(
            dataclasses.replace(d, name=names.get(d.name, d.name))
            for d in self.inputs
            if d.name not in values
        )
        return self.evolve(callable=call, inputs=inputs, positional=False)

    def transform_output(
        self, transform: Callable[[Any, dict[str, Any]], Any], output_type: Any
    ) -> Node:
        """Wrap the callable: ``transform(result, kwargs)`` becomes the value."""
        inner = self.callable
        assert inner is not None

        def call(**kwargs: Any) -> Any:
            return transform(inner(**kwargs), kwargs)

        return self.evolve(callable=call, type=output_type, positional=False)


_HAMILTON_FIELD_NAMES = {
    "typ": "type",
    "callabl": "callable",
    "doc_string": "documentation",
    "node_source": "kind",
}


def _translate_changes(node: Node, changes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    optional_values = changes.pop("optional_values", None)
    for key, value in changes.items():
        out[_HAMILTON_FIELD_NAMES.get(key, key)] = value
    if "input_types" in out:
        defaults = dict(optional_values or node.default_parameter_values)
        out["inputs"] = deps_from_input_types(out.pop("input_types"), defaults)
        out.setdefault("positional", False)
    elif optional_values is not None:
        out["inputs"] = tuple(
            dataclasses.replace(d, default=optional_values.get(d.name, d.default))
            for d in node.inputs
        )
    if "callable" in out:
        out.setdefault("positional", False)
    if "tags" in out:
        out["tags"] = MappingProxyType(dict(out["tags"]))
    return out


def deps_from_input_types(
    input_types: Mapping[str, Any], defaults: Mapping[str, Any] | None = None
) -> tuple[Dependency, ...]:
    """Dependencies from Hamilton's ``{name: type | (type, DependencyType)}`` mapping."""
    defaults = defaults or {}
    deps = []
    for name, spec in input_types.items():
        if isinstance(spec, tuple):
            type_, dep_type = spec
            required = dep_type is not DependencyType.OPTIONAL
        else:
            type_, required = spec, True
        deps.append(Dependency(name, type_, required, None if required else defaults.get(name)))
    return tuple(deps)


def node_from_function(
    fn: Callable[..., Any],
    name: str | None = None,
    tags: Mapping[str, Any] | None = None,
    shared: dict[str, Dependency] | None = None,
) -> Node:
    """Build the node a plain function defines.

    Parameters
    ----------
    fn
        A plain Python function: its name is the node, its parameters the inputs.
    name
        Node name to use instead of ``fn.__name__``.
    tags
        Tags to attach (e.g. ``{"module": fn.__module__}``).
    shared
        A dict the caller keeps for one graph build: required inputs of the same name and
        annotation share one (frozen) :class:`Dependency` object instead of one per consumer.

    Raises
    ------
    GraphError
        If a parameter or the return value lacks a type annotation, or the function takes
        ``*args`` / ``**kwargs``.
    """
    code = fn.__code__
    if code.co_flags & _VARARGS:
        raise GraphError(
            f"{Origin.of(fn).describe()} takes *args or **kwargs; a node's inputs are its named "
            "parameters. Name each input as a parameter."
        )
    n_pos = code.co_argcount
    param_names = code.co_varnames[: n_pos + code.co_kwonlyargcount]
    annotations = fn.__annotations__
    returns = annotations.get("return", _MISSING)
    if type(returns) is type and not (fn.__defaults__ or fn.__kwdefaults__):
        # The common case, kept tight: every annotation a plain class, no defaults.
        if shared is None:
            shared = {}
        inputs = []
        for pname in param_names:
            ann = annotations.get(pname, _MISSING)
            if type(ann) is not type:
                break
            dep = shared.get(pname)
            if dep is None or dep.type is not ann:
                dep = shared[pname] = _new_dependency(pname, ann, True, None)
            inputs.append(dep)
        else:
            return _new_node(
                fn.__name__ if name is None else name,
                returns,
                fn,
                tuple(inputs),
                NodeKind.FUNCTION,
                _frozen_tags(tags),
                fn.__doc__ or "",
                None,  # origin: the function's own, found from originating_functions
                (fn,),
                code.co_kwonlyargcount == 0,
            )
    return _general_node(fn, name, tags, param_names, n_pos)


_VARARGS = inspect.CO_VARARGS | inspect.CO_VARKEYWORDS
_MISSING: Any = object()


def _general_node(
    fn: Callable[..., Any],
    name: str | None,
    tags: Mapping[str, Any] | None,
    param_names: tuple[str, ...],
    n_pos: int,
) -> Node:
    """:func:`node_from_function` for any annotations (strings, generics, None) and defaults."""
    code = fn.__code__
    annotations = resolve_annotations(fn)
    if "return" not in annotations:
        raise GraphError(
            f"{Origin.of(fn).describe()} has no return type annotation. Annotate what it returns, "
            f"e.g. 'def {fn.__name__}(...) -> int:'."
        )
    has_defaults = fn.__defaults__ or fn.__kwdefaults__
    defaults = _defaults_by_name(fn, param_names[:n_pos]) if has_defaults else {}
    inputs = []
    for pname in param_names:
        if pname not in annotations:
            raise GraphError(
                f"{Origin.of(fn).describe()}: parameter '{pname}' has no type annotation. "
                f"Annotate it, e.g. '{pname}: int'."
            )
        if pname in defaults:
            inputs.append(_new_dependency(pname, annotations[pname], False, defaults[pname]))
        else:
            inputs.append(_new_dependency(pname, annotations[pname], True, None))
    return _new_node(
        name if name is not None else fn.__name__,
        annotations["return"],
        fn,
        tuple(inputs),
        _kind(annotations),
        _frozen_tags(tags),
        fn.__doc__ or "",
        None,  # origin: the function's own, found from originating_functions
        (fn,),
        code.co_kwonlyargcount == 0,
    )


# Building a graph makes one Node and a few Dependency objects per function, up to 100k+
# functions. A frozen dataclass' generated __init__ parses keywords and calls a default factory;
# these constructors fill the same slots directly (checked field by field in the unit tests).
_NODE_FIELDS = (
    "name",
    "type",
    "callable",
    "inputs",
    "kind",
    "tags",
    "documentation",
    "origin",
    "originating_functions",
    "positional",
)
assert Node.__slots__ == _NODE_FIELDS, "_NODE_FIELDS must list Node's fields in order"
_ORIGIN_FIELD = _NODE_FIELDS.index("origin")


def _slot_filler(cls: type) -> Callable[..., Any]:
    """Build a fast constructor of the frozen slotted dataclass ``cls``: positional values in
    field order.

    The values are stored by a plain ``__init__`` of a mutable twin class with the same slots
    (``self.name = name``, ...: the fastest way CPython fills slots), then the object's class
    is switched to ``cls`` (allowed: identical layouts). Three times faster than one descriptor
    call per field; generated once per class from its own field names.
    """
    fields: tuple[str, ...] = cls.__slots__  # type: ignore[attr-defined]  # a slots dataclass
    params = ", ".join(fields)
    namespace: dict[str, Any] = {"cls": cls}
    init = "\n".join([f"def __init__(self, {params}):", *(f"    self.{f} = {f}" for f in fields)])
    exec(init, namespace)  # our own field names only
    twin = {"__slots__": fields, "__init__": namespace["__init__"]}
    namespace["Fill"] = type(f"_{cls.__name__}Fill", (), twin)
    make = f"def new({params}):\n    obj = Fill({params})\n    obj.__class__ = cls\n    return obj"
    exec(make, namespace)
    return namespace["new"]  # type: ignore[no-any-return]


_new_dependency: Callable[[str, Any, bool, Any], Dependency] = _slot_filler(Dependency)
_new_node: Callable[..., Node] = _slot_filler(Node)


def _frozen_tags(tags: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if not tags:
        return _EMPTY_TAGS
    if type(tags) is MappingProxyType:  # already read-only (e.g. shared per module)
        return tags
    return MappingProxyType(dict(tags))


def _kind(annotations: Mapping[str, Any]) -> NodeKind:
    """EXPAND for ``-> Parallelizable[T]``, COLLECT for a ``Collect[T]`` parameter."""
    for key, ann in annotations.items():
        if type(ann) is type:  # plain classes (the common case) are neither
            continue
        if key == "return" and is_parallelizable_type(ann):
            return NodeKind.EXPAND
        if key != "return" and is_collect_type(ann):
            return NodeKind.COLLECT
    return NodeKind.FUNCTION


def _defaults_by_name(fn: Callable[..., Any], positional: tuple[str, ...]) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    pos_defaults = fn.__defaults__
    if pos_defaults:
        for pname, value in zip(
            positional[len(positional) - len(pos_defaults) :], pos_defaults, strict=False
        ):
            defaults[pname] = value
    if fn.__kwdefaults__:
        defaults.update(fn.__kwdefaults__)
    return defaults


def external_node(name: str, type_: Any, consumer: Node) -> Node:
    """The node for an input the caller provides, first seen as a parameter of ``consumer``."""
    return Node(
        name=name,
        type=type_,
        kind=NodeKind.EXTERNAL,
        origin=consumer.origin,
        originating_functions=consumer.originating_functions,
    )


def _make_evolve() -> Callable[..., Node]:
    """Build ``_evolve(node, *, field=...)``: one straight-line call of :func:`_new_node` with
    every field either kept or replaced (no loop, no per-field lookups by name), generated once
    from the field list."""
    params = ", ".join(f"{f}=_KEEP" for f in _NODE_FIELDS)
    values = ", ".join(f"node.{f} if {f} is _KEEP else {f}" for f in _NODE_FIELDS)
    source = f"def _evolve(node, *, {params}):\n    return _new_node({values})"
    namespace: dict[str, Any] = {"_new_node": _new_node, "_KEEP": _KEEP}
    exec(source, namespace)  # generated from our own field names only
    return namespace["_evolve"]  # type: ignore[no-any-return]


_KEEP = object()
_evolve = _make_evolve()
_evolve.__doc__ = Node.evolve.__doc__
Node.evolve = _evolve  # type: ignore[method-assign]  # the same, one call less per copy
