"""Run the same user code through apache-hamilton and plait, and compare what comes out.

Every compat test receives two :class:`Impl` objects from ``conftest.py``:

* ``impl`` - parametrized: once ``hamilton``, once ``plait``. Tests assert the documented
  behaviour (pinned values) on ``impl``, so the ``hamilton`` run checks that the
  expectations are true of Hamilton itself, and the ``plait`` run checks plait.
* ``ham`` - always Hamilton: the reference that plait's results are compared against.

``plait`` is imported lazily. If it cannot be imported, the ``plait`` runs **fail** (never
skip), so a broken or missing plait can't pass silently. ``COMPAT_ONLY_HAMILTON=1`` skips
the ``plait`` runs explicitly (to check the suite itself against Hamilton).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import traceback
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pytest

HAMILTON = "hamilton"
PLAIT = "plait"
ONLY_HAMILTON_ENV = "COMPAT_ONLY_HAMILTON"


def only_hamilton() -> bool:
    """True when the plait side is switched off on purpose (``COMPAT_ONLY_HAMILTON=1``)."""
    return os.environ.get(ONLY_HAMILTON_ENV, "").strip().lower() in {"1", "true", "yes"}


@dataclass(frozen=True)
class Impl:
    """One library under test, addressed by its top-level package name."""

    name: str

    # -- modules -------------------------------------------------------------------------
    def module(self, sub: str) -> ModuleType:
        """Import ``<name>.<sub>``; for plait, a failed import fails the test (never skips)."""
        qualified = f"{self.name}.{sub}"
        try:
            return importlib.import_module(qualified)
        except Exception as exc:  # any import-time failure of the library under test
            if self.name == HAMILTON:
                raise
            problem = f"{type(exc).__name__}: {exc}"
        pytest.fail(
            f"{qualified} is not importable ({problem}). The compat suite fails on purpose "
            f"until plait provides it; set {ONLY_HAMILTON_ENV}=1 to run only the Hamilton side.",
            pytrace=False,
        )

    @property
    def driver(self) -> ModuleType:
        return self.module("driver")

    @property
    def base(self) -> ModuleType:
        return self.module("base")

    @property
    def ad_hoc_utils(self) -> ModuleType:
        return self.module("ad_hoc_utils")

    @property
    def is_hamilton(self) -> bool:
        return self.name == HAMILTON

    @property
    def is_plait(self) -> bool:
        return self.name == PLAIT

    # -- drivers -------------------------------------------------------------------------
    def legacy(self, *modules: ModuleType, config: Mapping[str, Any] | None = None, **kw: Any):
        """``driver.Driver(config, *modules, **kw)``: the legacy entry point (DataFrame result)."""
        return self.driver.Driver(dict(config or {}), *modules, **kw)

    def builder(self):
        return self.driver.Builder()

    def build(
        self,
        *modules: ModuleType,
        config: Mapping[str, Any] | None = None,
        adapters: Iterable[Any] = (),
        allow_module_overrides: bool = False,
    ):
        """``Builder().with_modules(...).with_config(...)[.with_adapters(...)].build()``."""
        builder = self.builder().with_modules(*modules)
        if config:
            builder = builder.with_config(dict(config))
        adapters = tuple(adapters)
        if adapters:
            builder = builder.with_adapters(*adapters)
        if allow_module_overrides:
            builder = builder.allow_module_overrides()
        return builder.build()

    def __repr__(self) -> str:
        return self.name


def raw_execute(dr: Any, *args: Any, **kwargs: Any) -> Any:
    """``dr.raw_execute``: deprecated in Hamilton (it only *logs* that). plait may also issue a
    ``DeprecationWarning``; anything else a warning category would be a bug."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = dr.raw_execute(*args, **kwargs)
    unexpected = [w for w in caught if not issubclass(w.category, DeprecationWarning)]
    assert not unexpected, [str(w.message) for w in unexpected]
    return result


def build_with_cycle(
    lib: Impl, module: ModuleType, cycle_nodes: Iterable[str], *, legacy: bool = False
):
    """Build a module whose graph has a cycle.

    Hamilton builds it silently. plait may warn at build time (a ``UserWarning`` naming the
    cycle's nodes): allowed here, and nothing else is. Note for porters: a Hamilton user who
    runs with warnings as errors would see that warning fail their build.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dr = lib.legacy(module) if legacy else lib.build(module)
    for w in caught:
        text = str(w.message)
        assert lib.is_plait, f"Hamilton warned while building {module.__name__}: {text}"
        assert issubclass(w.category, UserWarning), f"{w.category.__name__}: {text}"
        missing = [n for n in cycle_nodes if n not in text]
        assert not missing, f"build warning does not name {missing}: {text}"
    return dr


# -- running both ----------------------------------------------------------------------------
def both(impl: Impl, ham: Impl, run: Callable[[Impl], Any]) -> tuple[Any, Any]:
    """Run ``run`` with the library under test and with Hamilton; return ``(got, want)``.

    When ``impl`` *is* Hamilton the reference run is reused, not repeated.
    """
    want = run(ham)
    got = want if impl.name == ham.name else run(impl)
    return got, want


def capture(run: Callable[[Impl], Any], lib: Impl) -> BaseException:
    """Run and return the exception raised; fail if nothing was raised."""
    try:
        result = run(lib)
    except Exception as exc:
        return exc
    pytest.fail(f"{lib.name}: expected an exception, got {result!r}", pytrace=False)


def both_raise(
    impl: Impl, ham: Impl, run: Callable[[Impl], Any]
) -> tuple[BaseException, BaseException]:
    """Both libraries must raise; plait's error must be an instance of the builtin exception
    type Hamilton raised (so ``except ValueError`` written for Hamilton still works).

    Returns ``(got, want)``.
    """
    want = capture(run, ham)
    got = want if impl.name == ham.name else capture(run, impl)
    expected = builtin_base(type(want))
    assert isinstance(got, expected), (
        f"{impl.name} raised {type(got).__name__} ({got}); Hamilton raised "
        f"{type(want).__name__}, so it must be a {expected.__name__}"
    )
    return got, want


def builtin_base(exc_type: type[BaseException]) -> type[BaseException]:
    """The most derived builtin exception class in ``exc_type``'s MRO."""
    for klass in exc_type.__mro__:
        if klass.__module__ == "builtins":
            return klass
    raise AssertionError(f"{exc_type} has no builtin base")  # pragma: no cover


# -- where a function lives ------------------------------------------------------------------
def where(fn: Callable[..., Any]) -> str:
    """``"<file>.py:<line>"`` of a user function's ``def`` line."""
    code = fn.__code__
    return f"{Path(code.co_filename).name}:{code.co_firstlineno}"


def assert_mentions(exc: BaseException, *needles: str) -> None:
    """The exception text (message plus PEP 678 notes) contains every needle."""
    text = full_text(exc)
    missing = [n for n in needles if n not in text]
    assert not missing, f"{type(exc).__name__} message lacks {missing}:\n{text}"


def assert_mentions_node(exc: BaseException, name: str) -> None:
    """The node name appears as a whole word (not just inside a longer name)."""
    text = full_text(exc)
    assert re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", text), (
        f"{type(exc).__name__} message does not name node {name!r}:\n{text}"
    )


def full_text(exc: BaseException) -> str:
    return "\n".join([str(exc), *getattr(exc, "__notes__", ())])


def user_frame(exc: BaseException) -> traceback.FrameSummary:
    """The innermost traceback frame: where the exception was really raised."""
    frames = traceback.extract_tb(exc.__traceback__)
    assert frames, "exception has no traceback"
    return frames[-1]


# -- comparing results -----------------------------------------------------------------------
def assert_same(got: Any, want: Any, path: str = "result") -> None:
    """Deep equality where pandas/numpy objects must be identical (values, index, dtypes)."""
    if isinstance(want, pd.DataFrame):
        assert isinstance(got, pd.DataFrame), f"{path}: {type(got).__name__} is not a DataFrame"
        pd.testing.assert_frame_equal(got, want, check_exact=True, obj=path)
    elif isinstance(want, pd.Series):
        assert isinstance(got, pd.Series), f"{path}: {type(got).__name__} is not a Series"
        pd.testing.assert_series_equal(got, want, check_exact=True, obj=path)
    elif isinstance(want, pd.Index):
        pd.testing.assert_index_equal(got, want, exact=True, obj=path)
    elif isinstance(want, np.ndarray):
        assert type(got) is type(want), f"{path}: {type(got)} is not {type(want)}"
        np.testing.assert_array_equal(got, want, err_msg=path, strict=True)
    elif isinstance(want, Mapping):
        assert isinstance(got, Mapping), f"{path}: {type(got).__name__} is not a mapping"
        assert list(got) == list(want), f"{path}: keys {list(got)} != {list(want)}"
        for key in want:
            assert_same(got[key], want[key], f"{path}[{key!r}]")
    elif isinstance(want, (list, tuple)):
        assert type(got) is type(want), f"{path}: {type(got).__name__} is not {type(want).__name__}"
        assert len(got) == len(want), f"{path}: length {len(got)} != {len(want)}"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_same(g, w, f"{path}[{i}]")
    elif isinstance(want, float) and np.isnan(want):
        assert isinstance(got, float) and np.isnan(got), f"{path}: {got!r} is not nan"
    elif type(want).__module__.startswith("dags."):  # user-defined value objects
        assert type(got) is type(want), f"{path}: {type(got)} is not {type(want)}"
        assert vars(got) == vars(want), f"{path}: {vars(got)} != {vars(want)}"
    else:
        assert type(got) is type(want), f"{path}: {type(got).__name__} is not {type(want).__name__}"
        assert got == want, f"{path}: {got!r} != {want!r}"


def names(variables: Iterable[Any]) -> set[str]:
    """Names of lineage results (``Variable``/``HamiltonNode`` views)."""
    return {v.name for v in variables}


# -- lineage views ---------------------------------------------------------------------------
VIEW_FIELDS = (
    "type",
    "tags",
    "is_external_input",
    "documentation",
    "required_dependencies",
    "optional_dependencies",
    "optional_dependencies_default_values",
)


def view_table(variables: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """``list_available_variables()`` as ``{name: {field: value}}`` for the fields both have.

    ``originating_functions`` is kept for computed nodes only: for an external input Hamilton
    reports the functions of the *first* consumer it met, an artefact of its build order.
    """
    table: dict[str, dict[str, Any]] = {}
    for v in variables:
        assert v.name not in table, f"{v.name} listed twice"
        row = {field: getattr(v, field) for field in VIEW_FIELDS}
        row["tags"] = dict(row["tags"])
        if not v.is_external_input:
            row["originating_functions"] = tuple(v.originating_functions or ())
        table[v.name] = row
    return table


def export_table(exported: str) -> list[dict[str, Any]]:
    """Parse ``export_execution`` JSON into its list of node dicts (sorted by name)."""
    document = json.loads(exported)
    assert set(document) == {"nodes"}, f"top-level keys {sorted(document)}"
    return document["nodes"]


EXTERNAL_ARTEFACT_FIELDS = ("source", "version")


def assert_same_export(got: str, want: str, external_inputs: set[str]) -> None:
    """Same nodes in the same (name-sorted) order with the same fields and values.

    For external inputs Hamilton fills ``source``/``version`` from the first function that
    consumes the input; those two fields are only required to be ``str`` or ``None`` there.
    """
    got_nodes, want_nodes = export_table(got), export_table(want)
    assert [n["name"] for n in got_nodes] == [n["name"] for n in want_nodes]
    for g, w in zip(got_nodes, want_nodes, strict=True):
        assert set(g) == set(w), f"{w['name']}: fields {sorted(g)} != {sorted(w)}"
        external = w["name"] in external_inputs
        for field in w:
            if external and field in EXTERNAL_ARTEFACT_FIELDS:
                assert g[field] is None or isinstance(g[field], str), (w["name"], field)
                continue
            assert g[field] == w[field], f"{w['name']}.{field}: {g[field]!r} != {w[field]!r}"


# -- DAG modules written once, run by both libraries -----------------------------------------
DAGS_DIR = Path(__file__).resolve().parent.parent / "dags"
_PLAIT_IMPORT = re.compile(r"^(\s*(?:from|import)\s+)plait(?=[.\s])", re.MULTILINE)
_PORTED: dict[tuple[str, str], ModuleType] = {}


def load_dag(lib: Impl, name: str) -> ModuleType:
    """``tests/dags/<name>.py`` as ``lib`` sees it, for DAG modules that use decorators.

    The file is written against plait (``from plait.function_modifiers import tag``). For
    Hamilton it is ported by the documented rule, the import name ``plait`` becomes
    ``hamilton`` on import lines, and nothing else changes. Both versions are named
    ``dags.<name>`` (so ``module`` tags agree), keep the file's path and line numbers (so
    ``file:line`` in errors points at the real file), and are built once per session. The one
    returned is (re)registered in ``sys.modules``, where Hamilton looks modules up.
    """
    import sys
    import types

    key = (lib.name, name)
    module = _PORTED.get(key)
    if module is None:
        path = DAGS_DIR / f"{name}.py"
        source = path.read_text()
        if lib.is_hamilton:
            source = _PLAIT_IMPORT.sub(rf"\g<1>{HAMILTON}", source)
        module = types.ModuleType(f"dags.{name}")
        module.__file__ = str(path)
        sys.modules[module.__name__] = module
        exec(compile(source, str(path), "exec"), module.__dict__)
        _PORTED[key] = module
    sys.modules[module.__name__] = module
    return module
