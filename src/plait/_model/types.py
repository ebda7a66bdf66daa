"""Annotations as edge contracts: Hamilton's type rules, standard library only.

:func:`types_match` (may a node feed a parameter?) and :func:`check_input_type` (may a value?)
answer as apache-hamilton 1.90 does, except where it crashes, eats the caller's data or rejects
a right value: a raising ``issubclass`` (non-runtime Protocol) means no; a bare ``Generic``
class is its own origin (``Box`` accepts ``Box[int]``, not an unrelated generic class); value
checks never consume an iterator nor raise, and accept instances of the annotation's class
(``dict`` for ``Mapping[str, int]``, tuples for ``tuple[int, int]``, ``Annotated[X, m]`` as X).
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

from plait._model.errors import GraphError, InvalidTypeError, UnresolvableAnnotationError

ParallelizableElement = TypeVar("ParallelizableElement", covariant=True)
CollectElement = TypeVar("CollectElement", covariant=True)


class Parallelizable(Iterable[ParallelizableElement], Protocol[ParallelizableElement]):
    """Return type of a fan-out node: each item is a branch (needs dynamic execution)."""


class Collect(Iterable[CollectElement], Protocol[CollectElement]):
    """Parameter type of a fan-in node: gets every branch's result (needs dynamic execution)."""


#: ``column[pd.Series, int]``: a series and its element type. It *is* ``typing.Annotated``.
column = Annotated

_NoneType = type(None)
_NOTHING = object()
_PRIVATE_ALIASES = ("_GenericAlias", "_SpecialGenericAlias")  # typing's; stable since 3.9
_ALIASES: tuple[type, ...] = (*(getattr(typing, n) for n in _PRIVATE_ALIASES), types.GenericAlias)
_NOT_GENERIC_ORIGINS: tuple[Any, ...] = (None, Union, tuple, cabc.Callable)
_UNBOUND_ARGS: tuple[Any, ...] = (getattr(typing, "T", None),)
_ELEMENT_CHECKED: tuple[Any, ...] = (list, cabc.Sequence, set, cabc.Iterable)
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
    is_alias = isinstance(tp, (*_ALIASES, types.UnionType))
    return tuple(getattr(tp, "__args__", ())) if is_alias else ()


def _is_generic(tp: Any) -> bool:
    """A ``Generic`` subclass, or an alias that is not a Union, tuple or Callable."""
    if _is_class(tp):
        return issubclass(tp, typing.Generic)
    return _alias_origin(tp) not in _NOT_GENERIC_ORIGINS


def _origin_to_match(tp: Any) -> tuple[bool, Any]:
    """``(True, origin)`` for generics, tuple aliases (bare generic: itself); ``(False, tp)``."""
    origin = _alias_origin(tp)
    if _is_generic(tp) or tp is typing.Tuple or origin is tuple:  # noqa: UP006
        return True, tp if origin is None else origin
    return False, tp


def _is_union(tp: Any) -> bool:
    return tp is Union or isinstance(tp, types.UnionType) or _alias_origin(tp) is Union


def _is_annotated(tp: Any) -> bool:
    return typing.get_origin(tp) is Annotated


def _ask(question: Callable[[Any, Any], bool], a: Any, b: Any) -> bool:
    """``isinstance``/``issubclass``, but False where Python refuses (non-runtime Protocol)."""
    try:
        return question(a, b)
    except TypeError:
        return False


def _is_subclass(candidate: Any, base: Any) -> bool:
    """``issubclass`` for real classes (so without arguments) only."""
    return _is_class(candidate) and _is_class(base) and _ask(issubclass, candidate, base)


def is_parallelizable_type(type_: Any) -> bool:
    """Whether ``type_`` is ``Parallelizable[T]`` (the return type of a fan-out node)."""
    return typing.get_origin(type_) is Parallelizable


def is_collect_type(type_: Any) -> bool:
    """Whether ``type_`` is ``Collect[T]`` (the parameter type of a fan-in node)."""
    return typing.get_origin(type_) is Collect


def element_type(type_: Any) -> Any:
    """``T`` of ``Parallelizable[T]`` or ``Collect[T]``: the type of one branch's value."""
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
    """
    if required_node_type == Any:
        return True
    if type(required_node_type) is TypeVar or type(param_type) is TypeVar:
        return bool(required_node_type == param_type)
    if required_node_type == param_type:
        return True
    if _is_class(param_type) and _is_class(required_node_type):  # the common case, made short
        return param_type == Any or _is_subclass(required_node_type, param_type)
    try:
        return _cached_subclass_check(required_node_type, param_type)
    except TypeError:  # unhashable annotation
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
    requested_generic, requested_origin = _origin_to_match(requested_type)
    param_generic, param_origin = _origin_to_match(param_type)
    if requested_origin != param_origin and not _is_subclass(requested_origin, param_origin):
        return False
    if requested_generic or param_generic:  # arguments: equal, or absent (or typing.T) on a side
        requested_args, param_args = typing.get_args(requested_type), typing.get_args(param_type)
        if requested_args and param_args and _UNBOUND_ARGS not in (requested_args, param_args):
            return requested_args == param_args
    return True


_cached_subclass_check = functools.lru_cache(maxsize=4096)(custom_subclass_check)


def get_type_as_string(type_: Any) -> str | None:
    """A short name: ``int``, ``list`` for ``list[int]``, X for ``Annotated[X, m]``, or a repr."""
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

    ``isinstance`` for classes; Any, object, TypeVars take all; Unions what a member takes;
    ``Literal`` its values; a generic alias its exact origin type (``list[int]`` any list),
    and sequences, sets and iterables whose first item fits.

    Examples
    --------
    >>> check_input_type(int, True), check_input_type(cabc.Sequence[int], ("a",))
    (True, False)
    """
    if type(input_value) is node_type:  # shortcut: Hamilton accepts the exact type
        return True
    return _hamilton_accepts(node_type, input_value) or _also_accepts(node_type, input_value)


def _hamilton_accepts(node_type: Any, value: Any) -> bool:
    """Hamilton's rule chain, in its order."""
    if node_type == Any or node_type is inspect.Parameter.empty or type(node_type) is TypeVar:
        return True
    generic = _is_generic(node_type)
    if not generic and _is_class(node_type) and isinstance(value, node_type):
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
        first = next(iterator, _NOTHING) if iterator is not value else _NOTHING
    except Exception:  # e.g. iterating a 0-d array
        return False
    # An empty container fits; a one-shot iterator is not peeked (it would lose an item).
    return first is _NOTHING or check_input_type(args[0], first)


def _also_accepts(node_type: Any, value: Any) -> bool:
    """Instances of the annotation's class, which Hamilton rejects (containers: if item 1 fits)."""
    if _is_annotated(node_type):
        return check_input_type(typing.get_args(node_type)[0], value)
    origin = typing.get_origin(node_type)
    if origin is None:
        return _is_class(node_type) and _ask(isinstance, value, node_type)
    if not _is_class(origin) or origin in _ELEMENT_CHECKED or not _ask(isinstance, value, origin):
        return False
    return not issubclass(origin, cabc.Iterable) or _first_item_fits(node_type, value)


def accepts_everything(annotation: Any) -> bool:
    """Whether ``check_input_type(annotation, v)`` holds for every ``v`` (Any, object, ...)."""
    if annotation in (Any, object, inspect.Parameter.empty) or type(annotation) is TypeVar:
        return True
    if _is_union(annotation):
        return any(accepts_everything(member) for member in _alias_args(annotation))
    return _is_annotated(annotation) and accepts_everything(typing.get_args(annotation)[0])


def make_value_checker(annotation: Any) -> Callable[[object], bool] | None:
    """A cached, fast ``check_input_type(annotation, .)`` (often one isinstance); None: all pass."""
    try:
        return _CHECKERS[annotation]
    except KeyError:  # annotations come from source code: the cache stays small
        return _CHECKERS.setdefault(annotation, _build_checker(annotation))
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


_CHECKERS: dict[Any, Callable[[object], bool] | None] = {}


def check_instance(obj: Any, type_: Any) -> bool:
    """``isinstance`` that also checks the items of dicts, lists, sets and tuples (never raises)."""
    type_ = get_type_information(type_)[0]
    if type_ == Any or type(type_) is TypeVar:
        return True
    origin = getattr(type_, "__origin__", None)
    if origin is None:
        return _ask(isinstance, obj, type_)
    args: tuple[Any, ...] = getattr(type_, "__args__", ())
    if origin is Union:
        return any(check_instance(obj, member) for member in args)
    if origin is Literal:
        return obj in args
    if origin in (Parallelizable, Collect):
        return isinstance(obj, cabc.Iterable)
    if not _ask(isinstance, obj, origin):
        return False
    if isinstance(obj, dict) and len(args) == 2:
        return all(check_instance(k, args[0]) and check_instance(obj[k], args[1]) for k in obj)
    if origin is tuple and args and args[-1] is not Ellipsis:
        return len(obj) == len(args) and all(map(check_instance, obj, args))
    if isinstance(obj, (list, set, tuple, dict)) and args:
        return all(check_instance(item, args[0]) for item in obj)
    return True


def validate_type_annotation(annotation: Any) -> bool:
    """Check ``column[S, T]``: ``S`` a column type (``COLUMN_TYPES``), ``T`` int/float/str/bool.

    Raises ``InvalidTypeError`` (``htypes.InvalidTypeException``) if not; else returns True.
    """
    if not _is_annotated(annotation):
        return True
    base, extras = get_type_information(annotation)
    columns = [getattr(sys.modules.get(module), name, None) for module, name in COLUMN_TYPES]
    if not any(_is_subclass(base, column_type) for column_type in columns):
        raise InvalidTypeError(f"column[...] must annotate a series type; got {base!r}.")
    if len(extras) != 1:
        raise InvalidTypeError(f"column[...] takes exactly one element type; got {extras!r}.")
    if any(custom_subclass_check(extras[0], t) for t in (int, float, str, bool)):
        return True
    raise InvalidTypeError(f"column[...] element type must be int, float, str or bool: {extras}.")


def resolve_annotations(fn: Callable[..., Any]) -> dict[str, Any]:
    """A function's parameter and ``"return"`` annotations, as ``get_type_hints`` resolves them.

    Only strings and forward references pay for ``typing.get_type_hints(include_extras=True)``;
    one that cannot be resolved raises ``GraphError`` naming the function and ``file:line``.
    """
    raw: dict[str, Any] = getattr(fn, "__annotations__", None) or {}
    resolved = {}
    for name, ann in raw.items():
        if type(ann) is not type and _has_forward_ref(ann):
            ann = _eval_string(ann, fn)
            if ann is _UNRESOLVED:
                break
        resolved[name] = _NoneType if ann is None else ann
    else:  # Python 3.10's get_type_hints also turns ``x: int = None`` into Optional[int]
        defaults = [*(getattr(fn, "__defaults__", None) or ())]
        defaults += (getattr(fn, "__kwdefaults__", None) or {}).values()
        if _PY311 or all(default is not None for default in defaults):
            return resolved
    options: dict[str, Any] = {"include_extras": True}
    if _PY313:  # as Hamilton does
        options["globalns"] = getattr(fn, "__globals__", None)
    try:
        return typing.get_type_hints(fn, **options)
    except (NameError, AttributeError, SyntaxError) as exc:
        raise _unresolvable(fn, raw, exc) from exc


_UNRESOLVED = object()
_EVAL_CACHE: dict[tuple[int, str], tuple[dict[str, Any], Any]] = {}


def _eval_string(ann: Any, fn: Callable[..., Any]) -> Any:
    """Evaluate a string annotation once per (module, text) — the ``from __future__ import
    annotations`` case; anything harder (nested forward refs, errors) returns ``_UNRESOLVED``
    so ``typing.get_type_hints`` handles it, with its exact semantics and errors."""
    if type(ann) is not str:
        return _UNRESOLVED
    namespace = getattr(fn, "__globals__", None)
    if namespace is None:
        return _UNRESOLVED
    key = (id(namespace), ann)
    hit = _EVAL_CACHE.get(key)
    if hit is not None and hit[0] is namespace:
        return hit[1]
    try:
        value = eval(ann, namespace)
    except Exception:
        return _UNRESOLVED
    if type(value) is not type and _has_forward_ref(value):
        return _UNRESOLVED
    if len(_EVAL_CACHE) > 50_000:
        _EVAL_CACHE.clear()
    _EVAL_CACHE[key] = (namespace, value)
    return value


def _has_forward_ref(ann: Any) -> bool:
    """A string or ``ForwardRef``, at the top or inside an alias' arguments."""
    kind = type(ann)  # type() and `is`: isinstance() is slow on aliases
    if kind is str or kind is typing.ForwardRef:
        return True
    if issubclass(kind, type):  # a class, not an alias: no arguments to look into
        return False
    args = getattr(ann, "__args__", None)
    if type(args) is not tuple or getattr(ann, "__origin__", None) is Literal:
        return False
    for arg in args:  # noqa: SIM110 - a loop is cheaper than any() over a generator
        if _has_forward_ref(arg):
            return True
    return False


def _unresolvable(fn: Callable[..., Any], raw: dict[str, Any], exc: Exception) -> GraphError:
    import re

    code = getattr(fn, "__code__", None)
    where = f"{code.co_filename}:{code.co_firstlineno}" if code else "?"
    found = [(key, ann) for key, ann in raw.items() if _has_forward_ref(ann)] or [("?", None)]
    missing = getattr(exc, "name", None)  # the name a NameError or AttributeError is about
    named = [(k, a) for k, a in found if missing in re.findall(r"\w+", str(a) + repr(a))]
    key, bad = (named or found)[0]
    target = "return annotation" if key == "return" else f"annotation of parameter '{key}'"
    return UnresolvableAnnotationError(
        f"Cannot resolve the {target}, {bad!r}, of function '{getattr(fn, '__qualname__', fn)}' "
        f"({where}): {exc}. Import or define that name at module level; a name imported only "
        "under 'if TYPE_CHECKING:' or defined inside another function cannot be resolved."
    )
