"""The pandas and numpy work behind :mod:`plait._api.results`.

Builds a DataFrame (or a ``np.matrix``) from a dict of outputs with Hamilton's rules, takes a
fast path for the common case (many numeric Series sharing one index), and turns pandas'
errors into :class:`~plait._model.errors.ResultBuildError` naming the outputs involved.

Imports only ``plait._model``; pandas and numpy are imported inside the functions.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from plait._model.errors import ResultBuildError, ResultTypeError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

_SHOW = 10  # at most this many outputs are described in an error
_STACKABLE_KINDS = "biufc"  # numpy dtypes stacked into one 2-D block: bool, ints, floats, complex


def frame_from_outputs(outputs: dict[str, Any]) -> pd.DataFrame:
    """The DataFrame for ``outputs``, by Hamilton's rules (index types already checked)."""
    import pandas as pd

    values = outputs.values()
    if len(outputs) == 1:
        (only,) = values
        if isinstance(only, pd.DataFrame):
            return only  # returned as is, not copied
    is_list_like = pd.api.types.is_list_like
    if not any(is_list_like(value) for value in values):
        return pd.DataFrame([outputs])  # all scalars: one row
    if any(isinstance(value, pd.DataFrame) for value in values):
        return flatten_frames(outputs)
    return construct(outputs, outputs)


def flatten_frames(outputs: Mapping[Any, Any]) -> pd.DataFrame:
    """A frame where each DataFrame output ``df`` contributes columns ``df.<column>``.

    A later DataFrame's column silently replaces an earlier output of the same name (as in
    Hamilton); a later non-DataFrame output clashing with an earlier name raises.
    """
    import pandas as pd

    flat: dict[Any, Any] = {}
    source: dict[Any, Any] = {}
    for name, value in outputs.items():
        if isinstance(value, pd.DataFrame):
            columns = _frame_columns(name, value)
            flat.update(columns)
            source.update(dict.fromkeys(columns, name))
        elif name in flat:
            raise ResultBuildError(
                f"Output '{name}' has the same name as a column flattened from DataFrame output "
                f"'{source[name]}'.\nRename one of them (or drop that column from the DataFrame) "
                "so every column name is unique."
            )
        else:
            flat[name] = value
    return construct(flat, outputs)


def _frame_columns(name: Any, frame: pd.DataFrame) -> dict[str, Any]:
    """``{"name.column": Series}``; of repeated column labels the last wins, with a warning."""
    if not frame.columns.is_unique:
        repeated = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        warnings.warn(
            f"DataFrame output '{name}' repeats columns {repeated}; only the last of each is "
            "kept. Rename the columns to keep them all.",
            UserWarning,
            stacklevel=5,
        )
    return {f"{name}.{label}": column for label, column in frame.items()}


def construct(data: dict[Any, Any], outputs: Mapping[Any, Any]) -> pd.DataFrame:
    """``pd.DataFrame(data)`` (faster when the columns are aligned); errors name the outputs."""
    import pandas as pd

    stacked = stack_aligned_series(data)
    if stacked is not None:
        return stacked
    try:
        return pd.DataFrame(data)
    except (ValueError, TypeError) as exc:
        if type(exc) not in (ValueError, TypeError):
            raise  # a pandas-specific error class: keep it
        error = ResultTypeError if isinstance(exc, TypeError) else ResultBuildError
        raise error(
            f"PandasDataFrameResult could not combine the outputs into a DataFrame: {exc}.\n"
            f"{describe_outputs(outputs)}\nReturn pd.Series (joined on their index, whose "
            "labels must be unique) or 1-D array-likes of the index's length, or use DictResult."
        ) from exc


def stack_aligned_series(data: dict[Any, Any]) -> pd.DataFrame | None:
    """Equal to ``pd.DataFrame(data)`` when every value is a numeric Series of one dtype on
    one index, built by filling a single 2-D block; ``None`` when that does not apply."""
    import numpy as np
    import pandas as pd

    if len(data) < 2:
        return None
    values = list(data.values())
    first = values[0]
    if type(first) is not pd.Series:
        return None
    index, dtype = first.index, first.dtype
    if not isinstance(dtype, np.dtype) or dtype.kind not in _STACKABLE_KINDS:
        return None
    for value in values:
        if type(value) is not pd.Series or value.dtype != dtype:
            return None
        if value.index is not index and not _same_index(index, value.index):
            return None
    block = np.empty((len(values), len(index)), dtype=dtype)
    for row, value in zip(block, values, strict=True):
        row[:] = value.to_numpy()
    return pd.DataFrame(block.T, index=index, columns=list(data), copy=False)


def _same_index(first: pd.Index, other: pd.Index) -> bool:
    """Whether ``pd.DataFrame`` would use ``first`` unchanged for a Series on ``other``."""
    return (
        type(other) is type(first)
        and other.dtype == first.dtype
        and other.name == first.name
        and other.equals(first)
    )


def describe_outputs(outputs: Mapping[Any, Any]) -> str:
    """One line per output likely to be at fault (or per output when none stands out)."""
    suspects = [name for name, value in outputs.items() if _suspect(value)]
    names = suspects or list(outputs)
    lines = [f"  '{name}': {_describe(outputs[name])}" for name in names[:_SHOW]]
    if len(names) > _SHOW:
        lines.append(f"  ... and {len(names) - _SHOW} more")
    return "\n".join(lines)


def _suspect(value: Any) -> bool:
    """Array-likes without an index, sets, >1-D arrays and indexes with repeated labels."""
    import pandas as pd

    if isinstance(value, (pd.Series, pd.DataFrame)):
        return not value.index.is_unique
    return pd.api.types.is_list_like(value) and not isinstance(value, pd.Index)


def _describe(value: Any) -> str:
    """``Series of length 3 on RangeIndex[int64]``, ``list of length 2``, ``int`` ..."""
    kind = type(value).__name__
    index = getattr(value, "index", None)
    shape = getattr(value, "shape", None)
    if index is not None and shape is not None:
        return f"{kind} of shape {shape} on {type(index).__name__}[{index.dtype}]"
    if shape is not None and shape != ():
        return f"{kind} of shape {shape}"
    if hasattr(value, "__len__") and not isinstance(value, str):
        return f"{kind} of length {len(value)}"
    return kind


# --- numpy ----------------------------------------------------------------------------------


def matrix_from_outputs(outputs: Mapping[str, Any]) -> np.matrix[Any, Any]:
    """Outputs as the columns of a matrix; numbers are repeated down their column."""
    import numpy as np

    rows, first = -1, ""
    for name, value in outputs.items():
        if isinstance(value, numbers.Number):
            continue
        length = _length(name, value)
        if rows == -1:
            rows, first = length, name
        elif length != rows:
            raise ResultBuildError(
                f"NumpyMatrixResult needs columns of one length: output '{name}' has {length} "
                f"rows, but '{first}' has {rows}.\nMake the outputs the same length."
            )
    if not outputs:
        return np.asmatrix(np.empty((0, 1)))
    rows = max(rows, 1)  # only numbers: one row
    columns = [_matrix_column(value, rows) for value in outputs.values()]
    try:
        matrix: np.matrix[Any, Any] = np.asmatrix(columns).T
    except ValueError as exc:
        raise ResultBuildError(
            f"NumpyMatrixResult could not stack outputs {list(outputs)}: {exc}.\n"
            "Return numbers or 1-D array-likes of one length, or use DictResult."
        ) from exc
    return matrix


def _length(name: str, value: Any) -> int:
    """Rows of an array-like output; errors name the output."""
    ndim = getattr(value, "ndim", 1)
    if ndim != 1:
        raise ResultBuildError(
            f"NumpyMatrixResult takes numbers or 1-D array-likes, but output '{name}' has "
            f"{ndim} dimensions (shape {getattr(value, 'shape', '?')}).\nReturn one column per "
            "output (e.g. with extract_columns), or use DictResult."
        )
    try:
        return len(value)
    except TypeError:
        raise ResultTypeError(
            f"NumpyMatrixResult cannot use output '{name}' of type {type(value).__name__}: it "
            "is neither a number nor an array-like.\nReturn a number or a 1-D array, or use "
            "DictResult to get the outputs unchanged."
        ) from None


def _matrix_column(value: Any, rows: int) -> Any:
    """A number repeated, a numeric ndarray as is (same result, no copy), else a list."""
    import numpy as np

    if isinstance(value, numbers.Number):
        return [value] * rows
    if isinstance(value, np.ndarray) and value.dtype.kind in _STACKABLE_KINDS:
        return value
    return list(value)
