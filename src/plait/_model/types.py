"""Annotations as edge contracts: Hamilton's type rules, standard library only.

:func:`types_match` (may a node feed a parameter?) and :func:`check_input_type` (may a value?)
give apache-hamilton 1.90's answers, except where Hamilton crashes, consumes the caller's data
or rejects a value of the right type: a raising ``issubclass`` (non-runtime Protocol) means no;
a bare ``Generic`` class is its own origin (unrelated generic classes do not match; ``Box``
accepts ``Box[int]``); value checks never consume an iterator nor raise, and accept instances
of the annotation's class (``dict`` for ``Mapping[str, int]``, a tuple for ``tuple[int, int]``,
``Annotated[X, ...]`` as ``X``); a missing annotation accepts everything.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import inspect
import sys
import types
import typing
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal, Protocol, TypeVar, Union

from plait._model.errors import GraphError, InvalidTypeError

ParallelizableElement = TypeVar("ParallelizableElement", covariant=True)
CollectElement = TypeVar("CollectElement", covariant=True)


class Parallelizable(Iterable[ParallelizableElement], Protocol[ParallelizableElement]):
    """Return type of a fan-out node: each item is a branch (needs dynamic execution)."""


class Collect(Iterable[CollectElement], Protocol[CollectElement]):
    """Parameter type of a fan-in node: gets every branch's result (needs dynamic execution)."""


#: ``column[pd.Series, int]``: a series and its element type. It *is* ``typing.Annotated``.
column = Annotated

_NoneType = type(None)
_ALIASES: tuple[type, ...] = (
    getattr(typing, "_GenericAlias"),  # noqa: B009 - private, stable since 3.9
    getattr(typing, "_SpecialGenericAlias"),  # noqa: B009
    types.GenericAlias,
)
_NOT_GENERIC_ORIGINS: tuple[Any, ...] = (None, Union, tuple, cabc.Callable)
_UNBOUND_ARGS: tuple[Any, ...] = (getattr(typing, "T", None),)
_ELEMENT_CHECKED: tuple[Any, ...] = (list, cabc.Sequence, set, cabc.Iterable)
_SERIES_ELEMENT_TYPES: tuple[type, ...] = (int, float, str, bool)
#: (module, attribute) of the column types ``column[...]`` may annotate; extensions may append.
COLUMN_TYPES = [("pandas", "Series"), ("polars", "Series"), ("polars", "Expr")]
_PY311 = sys.version_info >= (3, 11)
_PY313 = sys.version_info >= (3, 13)


def _is_class(tp: Any) -> bool:
    """A real class: ``list`` yes; ``list[int]`` no, even where it claims to be a type (3.10)."""
    return isinstance(tp, type) and not isinstance(tp, types.GenericAlias)


def _alias_origin(tp: Any) -> Any:
    """An alias' ``__origin__`` (for ``Annotated[X, m]`` that is ``X``); else None."""
    origin = getattr(tp, "__origin__", None) if isinstance(tp, _ALIASES) else None
    return None if origin is typing.ClassVar else origin


def _alias_args(tp: Any) -> tuple[Any, ...]:
    """An alias' or union's ``__args__`` (for ``Annotated[X, m]`` that is ``(X,)``); else ()."""
    return (
        tuple(getattr(tp, "__args__", ())) if isinstance(tp, (*_ALIASES, types.UnionType)) else ()
    )


def _is_generic(tp: Any) -> bool:
    """A ``Generic`` subclass, or an alias that is not a Union, tuple or Callable."""
    if _is_class(tp):
        return issubclass(tp, typing.Generic)
    return _alias_origin(tp) not in _NOT_GENERIC_ORIGINS


def _has_origin(tp: Any) -> bool:
    """Generic, or a tuple alias: Hamilton compares such types by origin and arguments."""
    return _is_generic(tp) or tp is typing.Tuple or _alias_origin(tp) is tuple  # noqa: UP006


def _is_union(tp: Any) -> bool:
    return tp is Union or isinstance(tp, types.UnionType) or _alias_origin(tp) is Union


def _is_annotated(tp: Any) -> bool:
    return typing.get_origin(tp) is Annotated


def _is_subclass(candidate: Any, base: Any) -> bool:
    """``issubclass`` for plain classes only; False where Python refuses to answer."""
    if typing.get_args(candidate) or typing.get_args(base):
        return False
    if not (inspect.isclass(candidate) and inspect.isclass(base)):
        return False
    try:
        return issubclass(candidate, base)
    except TypeError:  # e.g. a Protocol without @runtime_checkable
        return False


def _is_instance(value: Any, cls: Any) -> bool:
    try:
        return isinstance(value, cls)
    except TypeError:  # e.g. a Protocol without @runtime_checkable
        return False


def is_parallelizable_type(type_: Any) -> bool:
    """Whether ``type_`` is ``Parallelizable[T]`` (the return type of a fan-out node)."""
    return typing.get_origin(type_) is Parallelizable


def is_collect_type(type_: Any) -> bool:
    """Whether ``type_`` is ``Collect[T]`` (the parameter type of a fan-in node)."""
    return typing.get_origin(type_) is Collect


def element_type(type_: Any) -> Any:
    """``T`` of ``Parallelizable[T]`` or ``Collect[T]`` (one branch's type); else ValueError."""
    if not (is_parallelizable_type(type_) or is_collect_type(type_)):
        raise ValueError(f"{type_!r} is not Parallelizable[T] or Collect[T].")
    return typing.get_args(type_)[0]


def get_type_information(some_type: Any) -> tuple[Any, list[Any]]:
    """Split ``Annotated[X, *extras]`` into ``(X, [*extras])``; any other type into ``(t, [])``."""
    if _is_annotated(some_type):
        base, *extras = typing.get_args(some_type)
        return base, extras
    return some_type, []


def types_match(param_type: Any, required_node_type: Any) -> bool:
    """Whether a node of type ``required_node_type`` may feed a parameter annotated ``param_type``.

    ``Any`` node types match; a TypeVar matches only itself; else :func:`custom_subclass_check`.

    Examples
    --------
    >>> types_match(float, bool), types_match(list[int], list), types_match(int, str)
    (False, True, False)
    """
    if required_node_type == Any:
        return True
    if type(required_node_type) is TypeVar or type(param_type) is TypeVar:
        return bool(required_node_type == param_type)
    if required_node_type == param_type:
        return True
    if _is_class(param_type) and _is_class(required_node_type):  # the common case, made short
        return param_type == Any or _is_subclass(required_node_type, param_type)
    return custom_subclass_check(required_node_type, param_type)


def custom_subclass_check(requested_type: Any, param_type: Any) -> bool:
    """Whether ``requested_type`` counts as a subtype of ``param_type``.

    ``Annotated`` on the parameter is ignored; ``Any`` takes all; a Union takes its members'
    subtypes; ``Parallelizable[T]`` offers ``T`` and ``Collect[T]`` wants ``T``; generic types
    match when their origins are subclasses and their arguments are equal or absent on a side
    (``list[int]`` fits ``Sequence[int]`` and ``list``, not ``list[float]``: no variance).
    """
    param_type = get_type_information(param_type)[0]
    if param_type == Any or _is_subclass(requested_type, param_type):
        return True
    if _is_union(param_type) and any(
        custom_subclass_check(requested_type, arg) for arg in typing.get_args(param_type)
    ):
        return True
    if is_parallelizable_type(requested_type):
        return custom_subclass_check(typing.get_args(requested_type)[0], param_type)
    if is_collect_type(param_type):
        return custom_subclass_check(requested_type, typing.get_args(param_type)[0])
    requested_generic, param_generic = _has_origin(requested_type), _has_origin(param_type)
    requested_origin = _origin_or_self(requested_type) if requested_generic else requested_type
    param_origin = _origin_or_self(param_type) if param_generic else param_type
    if requested_origin == param_origin or _is_subclass(requested_origin, param_origin):
        if requested_generic or param_generic:
            return _args_agree(typing.get_args(requested_type), typing.get_args(param_type))
        return True
    return False


def _origin_or_self(tp: Any) -> Any:
    origin = _alias_origin(tp)
    return tp if origin is None else origin


def _args_agree(requested_args: tuple[Any, ...], param_args: tuple[Any, ...]) -> bool:
    """Equal, or absent (or only ``typing.T``) on one side."""
    if not requested_args or not param_args or _UNBOUND_ARGS in (requested_args, param_args):
        return True
    return requested_args == param_args


def get_type_as_string(type_: Any) -> str | None:
    """A short name: ``int`` -> ``'int'``, ``list[int]`` -> ``'list'``, ``Annotated[X, m]`` as X.

    A nameless alias shows as its origin; anything else as its ``repr``.
    """
    if _is_annotated(type_):
        return get_type_as_string(typing.get_args(type_)[0])
    name = getattr(type_, "__name__", None)
    if name:
        return str(name)
    origin = _alias_origin(type_)
    if origin:
        return get_type_as_string(origin)
    return str(type_.__repr__()) if getattr(type_, "__repr__", None) else None


def check_input_type(node_type: Any, input_value: Any) -> bool:
    """Whether ``input_value`` may be passed where ``node_type`` is annotated.

    Classes use ``isinstance``; ``Any``, ``object`` and TypeVars accept all; a Union accepts
    what a member accepts; ``Literal`` checks membership; a generic alias accepts its exact
    origin type (``list[int]`` takes any list), and for sequences, sets and iterables a
    container whose first item fits the first argument.

    Examples
    --------
    >>> check_input_type(int, True), check_input_type(set[int], {"a"})
    (True, False)
    """
    return _hamilton_accepts(node_type, input_value) or _also_accepts(node_type, input_value)


def _hamilton_accepts(node_type: Any, value: Any) -> bool:
    """Hamilton's rule chain, in its order."""
    if node_type == Any or node_type is inspect.Parameter.empty:
        return True
    generic = _is_generic(node_type)
    if not generic and _is_class(node_type) and isinstance(value, node_type):
        return True
    if type(node_type) is TypeVar:
        return True
    origin = _alias_origin(node_type)
    if generic and origin == type(value):  # noqa: E721 - Hamilton compares with ==
        return True
    if _is_union(node_type):
        return any(check_input_type(member, value) for member in _alias_args(node_type))
    if node_type == type(value):  # noqa: E721
        return True
    if node_type is Literal or origin is Literal:
        try:
            return value in _alias_args(node_type)
        except Exception:  # e.g. an array's ambiguous truth value
            return False
    if generic and origin in (list, tuple, cabc.Sequence) and isinstance(value, cabc.Sequence):
        return _first_item_fits(node_type, value)
    if generic and origin in (set, cabc.Iterable) and isinstance(value, cabc.Iterable):
        return _first_item_fits(node_type, value)
    return False


def _first_item_fits(node_type: Any, value: Any) -> bool:
    """Check the first item against the first argument, never consuming an iterator."""
    args = _alias_args(node_type)
    if not args:
        return True
    try:
        iterator = iter(value)
        if iterator is value:  # one-shot: peeking would steal the caller's first item
            return True
        first = next(iterator)
    except StopIteration:
        return True
    except Exception:  # e.g. iterating a 0-d array
        return False
    return check_input_type(args[0], first)


def _also_accepts(node_type: Any, value: Any) -> bool:
    """What Hamilton wrongly rejects: instances of the annotation's class (containers: if
    their first item fits, as for ``Sequence[T]``)."""
    if _is_annotated(node_type):
        return check_input_type(typing.get_args(node_type)[0], value)
    origin = typing.get_origin(node_type)
    if origin is None:
        return _is_class(node_type) and _is_instance(value, node_type)
    if not _is_class(origin) or origin in _ELEMENT_CHECKED or not _is_instance(value, origin):
        return False
    return not issubclass(origin, cabc.Iterable) or _first_item_fits(node_type, value)


def accepts_everything(annotation: Any) -> bool:
    """Whether every value passes ``check_input_type(annotation, value)`` (Any, object, ...)."""
    if annotation in (Any, object, inspect.Parameter.empty) or type(annotation) is TypeVar:
        return True
    if _is_union(annotation):
        return any(accepts_everything(member) for member in _alias_args(annotation))
    return _is_annotated(annotation) and accepts_everything(typing.get_args(annotation)[0])


def make_value_checker(annotation: Any) -> Callable[[object], bool] | None:
    """A fast ``check_input_type(annotation, v)``, cached; None if every value passes.

    A plain class, or a Union of plain classes, costs one ``isinstance``.

    Examples
    --------
    >>> make_value_checker(int)(3), make_value_checker(Any)
    (True, None)
    """
    try:
        return _cached_checker(annotation)
    except TypeError:  # unhashable, e.g. Annotated[pd.Series, {"unit": "m"}]
        return _build_checker(annotation)


def _build_checker(annotation: Any) -> Callable[[object], bool] | None:
    if accepts_everything(annotation):
        return None
    members = _alias_args(annotation) if _is_union(annotation) else (annotation,)
    if not all(_is_class(m) and not _is_generic(m) for m in members):
        return functools.partial(check_input_type, annotation)
    classes = members[0] if len(members) == 1 else members

    def is_instance(value: object) -> bool:
        return isinstance(value, classes)

    return is_instance


_cached_checker = functools.lru_cache(maxsize=4096)(_build_checker)


def check_instance(obj: Any, type_: Any) -> bool:
    """``isinstance`` that also checks every item of a dict, list, set or tuple.

    Unlike Hamilton's, never raises and checks ``tuple[int, str]`` position by position.
    """
    type_ = get_type_information(type_)[0]
    if type_ == Any or type(type_) is TypeVar:
        return True
    origin = getattr(type_, "__origin__", None)
    if origin is None:
        return _is_instance(obj, type_)
    args: tuple[Any, ...] = getattr(type_, "__args__", ())
    if origin is Union:
        return any(check_instance(obj, member) for member in args)
    if origin is Literal:
        return obj in args
    if origin in (Parallelizable, Collect):
        return isinstance(obj, cabc.Iterable)
    if not _is_instance(obj, origin):
        return False
    if isinstance(obj, dict) and len(args) == 2:
        return all(
            check_instance(k, args[0]) and check_instance(v, args[1]) for k, v in obj.items()
        )
    if origin is tuple and args and args[-1] is not Ellipsis:
        return len(obj) == len(args) and all(map(check_instance, obj, args))
    if isinstance(obj, (list, set, tuple, dict)) and args:
        return all(check_instance(item, args[0]) for item in obj)
    return True


def validate_type_annotation(annotation: Any) -> bool:
    """Check ``column[S, T]``: ``S`` a column type (``COLUMN_TYPES``), ``T`` int/float/str/bool.

    Raises
    ------
    InvalidTypeError
        Also importable as ``htypes.InvalidTypeException``.
    """
    if not _is_annotated(annotation):
        return True
    base, extras = get_type_information(annotation)
    if not _is_class(base) or not any(
        _is_subclass(base, getattr(sys.modules.get(module), name, None))
        for module, name in COLUMN_TYPES
    ):
        raise InvalidTypeError(f"column[...] must annotate a series type; got {base!r}.")
    if len(extras) != 1:
        raise InvalidTypeError(f"column[...] takes exactly one element type; got {extras!r}.")
    if not any(custom_subclass_check(extras[0], t) for t in _SERIES_ELEMENT_TYPES):
        raise InvalidTypeError(
            f"column[...] element type must subclass int, float, str or bool; got {extras[0]!r}."
        )
    return True


def resolve_annotations(fn: Callable[..., Any]) -> dict[str, Any]:
    """A function's parameter and ``"return"`` annotations, as ``get_type_hints`` resolves them.

    Only strings and forward references pay for ``typing.get_type_hints(include_extras=True)``.

    Raises
    ------
    GraphError
        If an annotation cannot be resolved, naming the function, its ``file:line`` and it.
    """
    raw: dict[str, Any] = dict(getattr(fn, "__annotations__", None) or {})
    if not _needs_evaluation(fn, raw):
        return {name: _NoneType if ann is None else ann for name, ann in raw.items()}
    options: dict[str, Any] = {"include_extras": True}
    if _PY313:  # as Hamilton does
        options["globalns"] = getattr(fn, "__globals__", None)
    try:
        return typing.get_type_hints(fn, **options)
    except (NameError, AttributeError, SyntaxError) as exc:
        raise _unresolvable(fn, raw, exc) from exc


def _needs_evaluation(fn: Callable[..., Any], raw: dict[str, Any]) -> bool:
    if any(_has_forward_ref(ann) for ann in raw.values()):
        return True
    if _PY311:
        return False
    # Python 3.10's get_type_hints turns ``x: int = None`` into Optional[int].
    defaults = [*(getattr(fn, "__defaults__", None) or ())]
    defaults += (getattr(fn, "__kwdefaults__", None) or {}).values()
    return any(default is None for default in defaults)


def _has_forward_ref(ann: Any) -> bool:
    if isinstance(ann, (str, typing.ForwardRef)):
        return True
    if _is_class(ann) or typing.get_origin(ann) is Literal:
        return False
    args = getattr(ann, "__args__", None)
    return isinstance(args, tuple) and any(_has_forward_ref(arg) for arg in args)


def _unresolvable(fn: Callable[..., Any], raw: dict[str, Any], exc: Exception) -> GraphError:
    import re

    code = getattr(fn, "__code__", None)
    where = f"{code.co_filename}:{code.co_firstlineno}" if code else "unknown file"
    found = [(key, ann) for key, ann in raw.items() if _has_forward_ref(ann)] or [("?", None)]
    missing = getattr(exc, "name", None)
    for key, ann in found:
        if missing and missing in re.findall(r"\w+", ann if isinstance(ann, str) else repr(ann)):
            found = [(key, ann)]
            break
    key, bad = found[0]
    target = "return annotation" if key == "return" else f"annotation of parameter '{key}'"
    return GraphError(
        f"Cannot resolve the {target}, {bad!r}, of function "
        f"'{getattr(fn, '__qualname__', fn)}' ({where}): {exc}. Import or define that name at "
        "module level; a name imported only under 'if TYPE_CHECKING:' or defined inside "
        "another function cannot be resolved."
    )
