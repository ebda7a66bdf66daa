"""Result builders: how the requested outputs of a run become what ``execute`` returns.

Hamilton-compatible builders (``DictResult``, ``PandasDataFrameResult`` ...), the legacy graph
adapters that carry one (``SimplePythonGraphAdapter`` ...) and :func:`to_result_function`, the
door through which the driver turns any of them into one ``outputs dict -> result`` function.

Imports only ``plait._model``; pandas and numpy are imported inside the functions that use them.
"""

from __future__ import annotations

import abc
import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from plait._api import _tabular
from plait._model.errors import InvalidResultBuilderError, ResultBuildError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

logger = logging.getLogger("plait.base")

IndexGroups = dict[str, list[str]]
_NO_INDEX = "no-index"
#: The key Hamilton files a bare ``pd.Index`` output under: a default integer index.
_BARE_INDEX_KEY = "Index:::int64"


class ResultBuilder(abc.ABC):
    """Base class of result builders: combine the outputs of a run into one value."""

    @abc.abstractmethod
    def build_result(self, **outputs: Any) -> Any:
        """Return the result of a run, given its outputs by name."""

    def do_build_result(self, outputs: dict[str, Any]) -> Any:
        """Lifecycle entry point; calls :meth:`build_result` with the outputs as keywords."""
        return self.build_result(**outputs)

    def input_types(self) -> list[Any]:
        """Types of output this builder accepts (``[Any]`` unless overridden)."""
        return [Any]

    def output_type(self) -> Any:
        """Type of what :meth:`build_result` returns (``Any`` unless overridden)."""
        return Any


class LegacyResultMixin(ResultBuilder):
    """Result builder whose ``build_result`` is a static method (Hamilton's older style)."""

    @staticmethod
    def build_result(**outputs: Any) -> Any:
        """Return ``None``; subclasses override this static method."""
        return None


class ResultMixin(LegacyResultMixin):
    """``plait.base`` name of :class:`LegacyResultMixin`; subclass it for custom results."""


class DictResult(ResultMixin):
    """Return the outputs unchanged, as a ``dict`` of name to value (the Builder's default)."""

    @staticmethod
    def build_result(**outputs: Any) -> dict[str, Any]:
        """Return the outputs as a new dict."""
        return outputs

    def output_type(self) -> Any:
        """``dict[str, Any]``."""
        return dict[str, Any]


class PandasDataFrameResult(ResultMixin):
    """Combine outputs into one ``pd.DataFrame`` (the legacy ``Driver``'s default).

    Series become columns joined on their index (an outer join when indexes differ), scalars are
    broadcast, a DataFrame output ``df`` contributes columns ``df.<column>``; a single DataFrame
    output is returned as is, and outputs that are all scalars give a one-row frame. Mismatched
    index types are logged as warnings on the ``plait.base`` logger.
    """

    @staticmethod
    def pandas_index_types(
        outputs: Mapping[str, Any],
    ) -> tuple[IndexGroups, IndexGroups, IndexGroups]:
        """Group output names by index type.

        Returns
        -------
        tuple of three dicts
            ``"<IndexClass>:::<dtype>"`` (or ``"no-index"``) to names; the same restricted to
            time and categorical indexes; and ``"no-index"`` to names of outputs without one.
        """
        import pandas as pd

        every: defaultdict[str, list[str]] = defaultdict(list)
        timed: defaultdict[str, list[str]] = defaultdict(list)
        bare: defaultdict[str, list[str]] = defaultdict(list)
        seen: dict[tuple[type, Any], tuple[str, bool]] = {}  # outputs often share index types
        for name, value in outputs.items():
            if isinstance(value, (pd.Series, pd.DataFrame)):
                key, is_time = _index_key(value.index, seen)
                if is_time:
                    timed[key].append(name)
            elif isinstance(value, pd.Index):
                key = _BARE_INDEX_KEY
            else:
                key = _NO_INDEX
                bare[key].append(name)
            every[key].append(name)
        return every, timed, bare

    @staticmethod
    def check_pandas_index_types_match(
        all_index_types: Mapping[str, list[str]],
        time_indexes: Mapping[str, list[str]],
        no_indexes: Mapping[str, list[str]],
    ) -> bool:
        """Log a warning when the index types of the outputs may not combine as intended.

        Returns ``False`` when several index types are present or none at all, else ``True``.
        """
        indexed = len(all_index_types) - len(no_indexes)
        match = True
        if len(time_indexes) > 1:
            logger.warning(
                "Outputs have different time/categorical index types %s: pandas will not align "
                "their rows. Convert them to one index type.",
                dict(time_indexes),
            )
            match = False
        if indexed > 1 and len(all_index_types) > len(time_indexes):
            logger.warning(
                "Outputs have %d index types %s: pandas outer-joins them, which may not be what "
                "you intend. Give them one index type (StrictIndexTypePandasDataFrameResult "
                "makes this an error).",
                indexed,
                dict(all_index_types),
            )
            match = False
        elif indexed == 1 and no_indexes:
            logger.warning(
                "Outputs %s have no pandas index and are broadcast or placed by position "
                "against the one index type of the others; check the frame is what you expect.",
                list(no_indexes.get(_NO_INDEX, [])),
            )
        elif len(no_indexes) == len(all_index_types):
            logger.warning(
                "No output has a pandas index; the frame gets a default integer index. Check "
                "it is what you expect."
            )
            match = False
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("Index types of the outputs: %s", dict(all_index_types))
        return match

    @staticmethod
    def build_result(**outputs: Any) -> pd.DataFrame:
        """Build the DataFrame (warning about index types first, see the class docstring)."""
        groups = PandasDataFrameResult.pandas_index_types(outputs)
        PandasDataFrameResult.check_pandas_index_types_match(*groups)
        return _tabular.frame_from_outputs(outputs)

    @staticmethod
    def build_dataframe_with_dataframes(outputs: Mapping[Any, Any]) -> pd.DataFrame:
        """Build a frame where each DataFrame output ``df`` contributes columns ``df.<column>``.

        Raises
        ------
        ResultBuildError
            When a non-DataFrame output's name equals an earlier flattened column name.
        """
        return _tabular.flatten_frames(outputs)

    def output_type(self) -> Any:
        """``pd.DataFrame``."""
        import pandas as pd

        return pd.DataFrame


class StrictIndexTypePandasDataFrameResult(PandasDataFrameResult):
    """Like :class:`PandasDataFrameResult`, but raise unless all outputs share one index type.

    Outputs without an index (scalars) are allowed when the others share one index type.
    """

    @staticmethod
    def build_result(**outputs: Any) -> pd.DataFrame:
        """Build the DataFrame, or raise :class:`ResultBuildError` on mixed index types."""
        import pprint

        groups = PandasDataFrameResult.pandas_index_types(outputs)
        if not PandasDataFrameResult.check_pandas_index_types_match(*groups):
            found = pprint.pformat(dict(groups[0]))
            raise ResultBuildError(
                f"The outputs do not share exactly one pandas index type:\n{found}\n"
                "Give them one index type, or use PandasDataFrameResult to let pandas join them."
            )
        return _tabular.frame_from_outputs(outputs)


class NumpyMatrixResult(ResultMixin):
    """Stack outputs as the columns of a ``np.matrix``; numbers are broadcast to every row."""

    @staticmethod
    def build_result(**outputs: Any) -> np.matrix[Any, Any]:
        """Build the matrix (one column per output, in order).

        Raises
        ------
        ResultBuildError
            When array-like outputs differ in length (``ResultTypeError`` when one has none).
        """
        return _tabular.matrix_from_outputs(outputs)

    def output_type(self) -> Any:
        """``np.matrix``."""
        import numpy as np

        return np.matrix


class GraphAdapter(LegacyResultMixin):
    """Legacy adapter: checks input types and edge types, runs nodes and builds the result."""

    @staticmethod
    @abc.abstractmethod
    def check_input_type(node_type: Any, input_value: Any) -> bool:
        """Whether ``input_value`` is acceptable for an input annotated ``node_type``."""

    @staticmethod
    @abc.abstractmethod
    def check_node_type_equivalence(node_type: Any, input_type: Any) -> bool:
        """Whether a node of ``node_type`` may feed a parameter annotated ``input_type``."""

    @abc.abstractmethod
    def execute_node(self, node: Any, kwargs: dict[str, Any]) -> Any:
        """Run one node with its keyword arguments and return its value."""


class HamiltonGraphAdapter(GraphAdapter):
    """``plait.base`` name of :class:`GraphAdapter`, for legacy subclasses."""


class SimplePythonDataFrameGraphAdapter(HamiltonGraphAdapter, PandasDataFrameResult):
    """Run nodes in-process, one after another, and return a pandas DataFrame."""

    @staticmethod
    def check_input_type(node_type: Any, input_value: Any) -> bool:
        """``isinstance``-style check of an input against its annotation."""
        from plait._model.types import (  # type: ignore[import-not-found, unused-ignore]
            check_input_type,
        )

        return bool(check_input_type(node_type, input_value))

    @staticmethod
    def check_node_type_equivalence(node_type: Any, input_type: Any) -> bool:
        """Equal types, or a node type the parameter's annotation accepts."""
        if node_type == input_type:
            return True
        from plait._model.types import (  # type: ignore[import-not-found, unused-ignore]
            types_match,
        )

        return bool(types_match(input_type, node_type))

    def execute_node(self, node: Any, kwargs: dict[str, Any]) -> Any:
        """Call the node's function with ``kwargs``."""
        return node.callable(**kwargs)


class SimplePythonGraphAdapter(SimplePythonDataFrameGraphAdapter):
    """Run nodes in-process and build the result with ``result_builder`` (default: a dict)."""

    def __init__(self, result_builder: ResultBuilder | None = None) -> None:
        self.result_builder: ResultBuilder = (
            DictResult() if result_builder is None else result_builder
        )

    def build_result(self, **outputs: Any) -> Any:  # type: ignore[override]
        """Delegate to the result builder."""
        return self.result_builder.build_result(**outputs)

    def output_type(self) -> Any:
        """The result builder's output type."""
        return self.result_builder.output_type()


class DefaultAdapter(SimplePythonGraphAdapter):
    """Shorter name for :class:`SimplePythonGraphAdapter`."""


def to_result_function(obj: object) -> Callable[[dict[str, Any]], Any]:
    """Turn a result builder, legacy adapter or ``None`` into ``outputs dict -> result``.

    Accepts a :class:`ResultBuilder` instance, a :class:`LegacyResultMixin` class or instance,
    anything with a ``build_result(**outputs)`` method, or ``None`` (a dict of the outputs).

    Raises
    ------
    InvalidResultBuilderError
        For anything else (a ``TypeError``).
    """
    if obj is None:
        return dict
    build = getattr(obj, "build_result", None)
    if not callable(build) or (isinstance(obj, type) and not _static_build(obj)):
        raise _not_a_builder(obj)
    if build is DictResult.build_result:
        return dict
    if getattr(build, "__func__", None) is SimplePythonGraphAdapter.build_result:
        return to_result_function(getattr(obj, "result_builder", None))
    return lambda outputs: build(**outputs)


def _index_key(index: Any, seen: dict[tuple[type, Any], tuple[str, bool]]) -> tuple[str, bool]:
    """``("<IndexClass>:::<dtype>", is a time or categorical index)``, memoized in ``seen``."""
    kind = (type(index), index.dtype)
    found = seen.get(kind)
    if found is None:
        import pandas as pd

        time_like = (pd.DatetimeIndex, pd.TimedeltaIndex, pd.PeriodIndex, pd.CategoricalIndex)
        found = seen[kind] = (f"{kind[0].__name__}:::{kind[1]}", isinstance(index, time_like))
    return found


def _static_build(cls: type) -> bool:
    import inspect

    return isinstance(inspect.getattr_static(cls, "build_result", None), staticmethod)


def _not_a_builder(obj: object) -> InvalidResultBuilderError:
    if isinstance(obj, type) and hasattr(obj, "build_result"):
        return InvalidResultBuilderError(
            f"{obj.__qualname__} cannot build results as a class: its build_result is an "
            f"instance method.\nPass an instance, e.g. {obj.__qualname__}()."
        )
    return InvalidResultBuilderError(
        f"{obj!r} ({type(obj).__name__}) cannot build results: it has no "
        "build_result(**outputs) method.\nPass a result builder such as "
        "plait.base.PandasDataFrameResult(), a SimplePythonGraphAdapter, or None for a dict."
    )
