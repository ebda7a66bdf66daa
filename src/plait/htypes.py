"""Types for annotating dataflow functions: ``hamilton.htypes`` under its plait name.

``Parallelizable[T]`` marks a fan-out node, ``Collect[T]`` a fan-in parameter, and
``column[pd.Series, int]`` a series with its element type. The checking functions are the
ones the graph builder and the driver use. Importing this module imports no pandas or numpy.
"""

from __future__ import annotations

from plait._model.errors import InvalidTypeError as InvalidTypeException
from plait._model.types import (
    Collect,
    CollectElement,
    Parallelizable,
    ParallelizableElement,
    check_input_type,
    check_instance,
    column,
    custom_subclass_check,
    get_type_as_string,
    get_type_information,
    is_collect_type,
    is_parallelizable_type,
    types_match,
    validate_type_annotation,
)

__all__ = [
    "Collect",
    "CollectElement",
    "InvalidTypeException",
    "Parallelizable",
    "ParallelizableElement",
    "check_input_type",
    "check_instance",
    "column",
    "custom_subclass_check",
    "get_type_as_string",
    "get_type_information",
    "is_collect_type",
    "is_parallelizable_type",
    "types_match",
    "validate_type_annotation",
]
