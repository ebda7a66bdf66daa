"""Cheap fingerprints of values, to notice that a value changed in place during a node call.

``fingerprint(value)`` returns a digest (bytes) of the value's *content*. Two calls on an
unchanged object give the same digest; a change to its data gives another one. Digests are for
comparison within one process only (they are not stable across processes or versions).

What is looked at:

* pandas ``Series``/``DataFrame``/``Index``: ``pd.util.hash_pandas_object`` of the values and
  index, plus the column names, dtypes, index names and the Series name. Frames with
  unhashable cells (lists, dicts) fall back to pickle (below).
* numpy arrays: shape, dtype and the bytes of the buffer (object arrays: pickle).
* polars ``DataFrame``/``Series``: ``hash_rows()``/``hash()`` plus schema and shape.
  A ``LazyFrame`` is a query plan that cannot change in place: its identity only.
* ``list``, ``tuple``, ``dict``, ``set``, ``frozenset``: walked item by item (nested values
  by the same rules). At most ``max_items`` items are walked per top-level value; a container
  that would exceed that is pickled whole instead (still exact, faster for large flat data).
* ``str``, ``bytes``, numbers, ``None``, ``bool``: their value.
* anything else: a hash of ``pickle.dumps(value)`` (attributes of plain objects included).

Limits: an object that cannot be pickled (a lock, a generator, an open file, a lambda...) is
fingerprinted by identity only, so changes inside it are not seen; objects whose pickled form
leaves out part of their state (custom ``__getstate__``/``__reduce__``) are only as visible as
that form. pandas ``attrs``/``flags`` are not looked at.

The pandas, numpy and polars rules are registered the first time a value of that library is
met, so this module imports none of them (a value of a library means it is already imported).

Imports only the standard library.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import sys
from collections.abc import Callable
from typing import Any

_Hasher = Any  # a hashlib object (``hashlib._Hash`` is private)

#: Values compared by value: they cannot change in place.
ATOMIC: tuple[type, ...] = (int, float, complex, str, bytes, bool, type(None), range)


class _Walk:
    """State of one fingerprint: the item budget and the containers on the current path."""

    __slots__ = ("budget", "path")

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.path: set[int] = set()


def fingerprint(value: Any, max_items: int = 10_000) -> bytes:
    """A digest of ``value``'s content (see the module docstring for what is looked at).

    Examples
    --------
    >>> data = {"a": [1, 2]}
    >>> before = fingerprint(data)
    >>> data["a"].append(3)
    >>> fingerprint(data) == before
    False
    """
    h = hashlib.blake2b(digest_size=20)
    _feed(value, h, _Walk(max_items))
    return h.digest()


def _tag(h: _Hasher, value: Any) -> None:
    h.update(type(value).__qualname__.encode())
    h.update(b"\0")


def _opaque(value: Any, h: _Hasher) -> None:
    """Pickle the value and hash that; unpicklable values count by identity."""
    _tag(h, value)
    try:
        h.update(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # anything pickling raises: fall back to identity (documented)
        h.update(b"id:%d" % id(value))


@functools.singledispatch
def _feed(value: Any, h: _Hasher, walk: _Walk) -> None:
    if _register_library_of(value):
        _feed(value, h, walk)  # dispatch again, now that the library's rules are known
        return
    _opaque(value, h)


def _register_library_of(value: Any) -> bool:
    """Register the rules of the library ``value`` comes from, once; True if that happened."""
    for klass in type(value).__mro__:
        top = klass.__module__.partition(".")[0]
        if top in _LAZY and top in sys.modules:
            _LAZY.pop(top)()
            return True
    return False


@_feed.register(int)
@_feed.register(float)
@_feed.register(complex)
@_feed.register(bool)
@_feed.register(type(None))
@_feed.register(range)
def _feed_atomic(value: Any, h: _Hasher, walk: _Walk) -> None:
    _tag(h, value)
    h.update(repr(value).encode())


@_feed.register(str)
def _feed_str(value: str, h: _Hasher, walk: _Walk) -> None:
    h.update(b"str\0")
    h.update(value.encode("utf-8", "surrogatepass"))


@_feed.register(bytes)
@_feed.register(bytearray)
def _feed_bytes(value: bytes | bytearray, h: _Hasher, walk: _Walk) -> None:
    _tag(h, value)
    h.update(b"%d:" % len(value))
    h.update(value)


def _container(walk_items: Callable[[Any, _Hasher, _Walk], None]) -> Any:
    """Wrap a container walker with the budget, the cycle guard and the pickle fallback."""

    @functools.wraps(walk_items)
    def feed(value: Any, h: _Hasher, walk: _Walk) -> None:
        _tag(h, value)
        h.update(b"%d:" % len(value))
        if id(value) in walk.path:
            h.update(b"<cycle>")
            return
        if len(value) > walk.budget:
            _opaque(value, h)
            return
        walk.budget -= len(value)
        walk.path.add(id(value))
        try:
            walk_items(value, h, walk)
        finally:
            walk.path.discard(id(value))

    return feed


@_feed.register(list)
@_feed.register(tuple)
@_container
def _feed_sequence(value: Any, h: _Hasher, walk: _Walk) -> None:
    for item in value:
        _feed(item, h, walk)


@_feed.register(dict)
@_container
def _feed_dict(value: Any, h: _Hasher, walk: _Walk) -> None:
    for key, item in value.items():
        _feed(key, h, walk)
        _feed(item, h, walk)


@_feed.register(set)
@_feed.register(frozenset)
@_container
def _feed_set(value: Any, h: _Hasher, walk: _Walk) -> None:
    digests = []
    for item in value:  # order-free: a set's iteration order is not part of its content
        sub = hashlib.blake2b(digest_size=20)
        _feed(item, sub, walk)
        digests.append(sub.digest())
    for digest in sorted(digests):
        h.update(digest)


# -- libraries, registered on first sight ------------------------------------------------------


def _update_buffer(h: _Hasher, array: Any) -> None:
    """Hash a contiguous array's bytes without copying when the buffer protocol allows it."""
    try:
        h.update(array)
    except (TypeError, ValueError, BufferError):  # e.g. datetime64 exports no buffer
        h.update(array.tobytes())


def _register_numpy() -> None:
    np = sys.modules["numpy"]

    @_feed.register(np.ndarray)
    def _feed_array(value: Any, h: _Hasher, walk: _Walk) -> None:
        _tag(h, value)
        h.update(f"{value.dtype.str}{value.shape}".encode())
        if value.dtype.hasobject:
            _opaque(value, h)
        else:
            _update_buffer(h, np.ascontiguousarray(value))

    @_feed.register(np.generic)
    def _feed_scalar(value: Any, h: _Hasher, walk: _Walk) -> None:
        _tag(h, value)
        h.update(repr(value).encode())


def _register_pandas() -> None:
    pd = sys.modules["pandas"]

    def describe(value: Any) -> str:
        if isinstance(value, pd.DataFrame):
            index, labels = value.index, list(value.columns)
            types = [str(t) for t in value.dtypes]
        elif isinstance(value, pd.Series):
            index, labels, types = value.index, [value.name], [str(value.dtype)]
        else:  # an Index
            index, labels, types = value, [], [str(value.dtype)]
        return repr((value.shape, labels, types, str(index.dtype), list(index.names)))

    def feed(value: Any, h: _Hasher, walk: _Walk) -> None:
        _tag(h, value)
        h.update(describe(value).encode())
        try:
            hashed = pd.util.hash_pandas_object(value).to_numpy()
        except TypeError:  # unhashable cells (lists, dicts)
            _opaque(value, h)
            return
        _update_buffer(h, hashed)

    for klass in (pd.DataFrame, pd.Series, pd.Index):
        _feed.register(klass, feed)


def _register_polars() -> None:
    pl = sys.modules["polars"]

    def feed(value: Any, h: _Hasher, walk: _Walk) -> None:
        _tag(h, value)
        frame = isinstance(value, pl.DataFrame)
        kind = value.schema if frame else (value.name, value.dtype)
        h.update(repr((value.shape, str(kind))).encode())
        if value.shape[0] == 0 or (frame and value.width == 0):
            return
        try:
            hashed = value.hash_rows() if frame else value.hash()
        except Exception:  # a dtype polars cannot hash (objects): pickle the value
            _opaque(value, h)
            return
        _update_buffer(h, hashed.to_numpy())

    def feed_lazy(value: Any, h: _Hasher, walk: _Walk) -> None:
        _tag(h, value)  # a query plan cannot change in place: identity is enough
        h.update(b"id:%d" % id(value))

    _feed.register(pl.DataFrame, feed)
    _feed.register(pl.Series, feed)
    _feed.register(pl.LazyFrame, feed_lazy)


_LAZY: dict[str, Callable[[], None]] = {
    "numpy": _register_numpy,
    "pandas": _register_pandas,
    "polars": _register_polars,
}
