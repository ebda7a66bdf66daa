"""Every exception and warning plait raises on purpose, for ``except`` and warning filters.

Each error also subclasses the builtin Hamilton raises for the same mistake (``ValueError``,
``TypeError``, ``KeyError`` ...), so code written against Hamilton keeps catching it.
"""

from plait._graph.build import CycleWarning
from plait._model.errors import (
    CycleError,
    DuplicateNodeError,
    EdgeTypeMismatchError,
    ExecutorError,
    GraphError,
    HookSpecError,
    InputConfigClashError,
    InputTypeError,
    InvalidArgumentError,
    InvalidDecoratorError,
    InvalidExecutorException,
    MissingConfigParametersException,
    MissingInputError,
    PlaitError,
    ResultBuildError,
    StaticValidationError,
    UnknownNodeError,
    UnresolvableAnnotationError,
    UnsupportedAdapterError,
)

__all__ = [
    "CycleError",
    "CycleWarning",
    "DuplicateNodeError",
    "EdgeTypeMismatchError",
    "ExecutorError",
    "GraphError",
    "HookSpecError",
    "InputConfigClashError",
    "InputTypeError",
    "InvalidArgumentError",
    "InvalidDecoratorError",
    "InvalidExecutorException",
    "MissingConfigParametersException",
    "MissingInputError",
    "PlaitError",
    "ResultBuildError",
    "StaticValidationError",
    "UnknownNodeError",
    "UnresolvableAnnotationError",
    "UnsupportedAdapterError",
]
