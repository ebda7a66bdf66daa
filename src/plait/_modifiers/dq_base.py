"""Data-quality base classes: what a validator is, what it returns, what a failure does.

A validator is a small object with a ``validate(data) -> ValidationResult`` method, an
``importance`` (``"warn"`` logs a failure, ``"fail"`` raises :class:`DataValidationError`),
``applies_to(type)`` (may it check the output of a node of that type?), a ``name()`` used in
node names, and a ``description()`` shown as the validator node's documentation.
``@check_output`` builds :class:`BaseDefaultValidator` subclasses from its keyword arguments
(``plait._modifiers.validators``); ``@check_output_custom`` takes :class:`DataValidator`
instances. Public as ``plait.data_quality.base``.

Imports only ``plait._model`` and the standard library.
"""

from __future__ import annotations

import abc
import dataclasses
import enum
import inspect
import logging
import sys
from collections.abc import Sequence
from typing import Any, ClassVar

from plait._model.errors import InvalidDecoratorError, PlaitError
from plait._model.types import custom_subclass_check, get_type_information

#: The logger of warnings from ``importance="warn"`` validators (Hamilton's, renamed).
logger = logging.getLogger("plait.data_quality.base")


class DataValidationError(PlaitError):
    """A validator with ``importance="fail"`` failed; nothing downstream of the node ran.

    ``args[0]`` is the list of failure lines (one per failed validator), as in Hamilton.
    """

    def __init__(self, messages: Sequence[str] | str, node_name: str | None = None) -> None:
        lines = [messages] if isinstance(messages, str) else list(messages)
        super().__init__(lines)
        self.messages = lines
        self.node_name = node_name

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.messages, self.node_name))

    def __str__(self) -> str:
        body = "\n".join(f"  {line.rstrip()}" for line in self.messages)
        if self.node_name is None:
            return body.strip()
        return (
            f"Data validation failed for node '{self.node_name}' "
            f"({len(self.messages)} failing check(s) with importance='fail'):\n{body}\n"
            "Fix the data upstream, or relax the check (importance='warn' only logs)."
        )


class DataValidationLevel(enum.Enum):
    """What a failed check does: log a warning, or raise :class:`DataValidationError`."""

    WARN = "warn"
    FAIL = "fail"


def importance_level(importance: Any) -> DataValidationLevel:
    """``"warn"``/``"fail"`` (or the enum) as a :class:`DataValidationLevel`."""
    try:
        return DataValidationLevel(importance)
    except ValueError:
        raise InvalidDecoratorError(
            f"importance={importance!r} is not a validation level; use importance='warn' "
            "(log failures and go on) or importance='fail' (raise DataValidationError)."
        ) from None


@dataclasses.dataclass
class ValidationResult:
    """The outcome of one validator on one value."""

    passes: bool  #: whether the data passed
    message: str  #: what was found, in a sentence
    diagnostics: dict[str, Any] = dataclasses.field(default_factory=dict)  #: free-form details


class DataValidator(abc.ABC):
    """Base class of validators for ``@check_output_custom``.

    Parameters
    ----------
    importance
        ``"warn"`` or ``"fail"``.
    """

    def __init__(self, importance: str) -> None:
        self._importance = importance_level(importance)

    @property
    def importance(self) -> DataValidationLevel:
        """What a failure of this validator does."""
        return self._importance

    @abc.abstractmethod
    def applies_to(self, datatype: type[type]) -> bool:
        """Whether this validator can check outputs of type ``datatype``."""

    @abc.abstractmethod
    def description(self) -> str:
        """One sentence: what this validator checks (its node's documentation)."""

    @classmethod
    @abc.abstractmethod
    def name(cls) -> str:
        """Short name; the validator node is called ``<node>_<name>``."""

    @abc.abstractmethod
    def validate(self, dataset: Any) -> ValidationResult:
        """Check ``dataset`` (the node's value)."""


class AsyncDataValidator(DataValidator, abc.ABC):
    """A validator whose ``validate`` is ``async`` (needs an async driver)."""

    @abc.abstractmethod
    async def validate(self, dataset: Any) -> ValidationResult:  # type: ignore[override]
        """Check ``dataset`` asynchronously."""


def is_async_validator(validator: DataValidator) -> bool:
    """Whether ``validator.validate`` is a coroutine function."""
    return inspect.iscoroutinefunction(validator.validate)


def failure_line(node_name: str, result: ValidationResult, validator: DataValidator) -> str:
    """``[node:validator] failed: message (diagnostics: {...})``."""
    return (
        f"[{node_name}:{validator.name()}] failed: {result.message} "
        f"(diagnostics: {result.diagnostics})"
    )


def act_warn(node_name: str, validation_result: ValidationResult, validator: DataValidator) -> None:
    """Log a failed result at WARNING on :data:`logger`; a passing one does nothing."""
    if not validation_result.passes:
        logger.warning(failure_line(node_name, validation_result, validator))


def act_fail_bulk(node_name: str, failures: list[tuple[ValidationResult, DataValidator]]) -> None:
    """Raise one :class:`DataValidationError` listing every failed result (if any failed)."""
    lines = [failure_line(node_name, r, v) for r, v in failures if not r.passes]
    if lines:
        raise DataValidationError(lines, node_name)


class BaseDefaultValidator(DataValidator, abc.ABC):
    """A validator that ``@check_output`` builds from one keyword argument (:meth:`arg`)."""

    #: Output types this class checks, for error messages.
    applies_to_text: ClassVar[str] = "some types"

    @classmethod
    @abc.abstractmethod
    def applies_to(cls, datatype: type[type]) -> bool:
        """Whether this validator can check outputs of type ``datatype``."""

    @classmethod
    @abc.abstractmethod
    def arg(cls) -> str:
        """The ``@check_output`` keyword this validator is built from."""

    @classmethod
    def name(cls) -> str:
        return f"{cls.arg()}_validator"


class AsyncBaseDefaultValidator(BaseDefaultValidator, abc.ABC):
    """A default validator whose ``validate`` is ``async``."""

    @abc.abstractmethod
    async def validate(self, data: Any) -> ValidationResult:  # type: ignore[override]
        """Check ``data`` asynchronously."""


# -- type tests, for applies_to ------------------------------------------------------------
def fits(datatype: Any, module: str, attribute: str) -> bool:
    """Whether ``datatype`` is ``module.attribute`` or a subtype; never imports ``module``.

    ``Annotated[X, ...]`` counts as ``X``; a type that is not a class (a Union, a TypeVar ...)
    fits nothing but itself.
    """
    target = getattr(sys.modules.get(module), attribute, None)
    if target is None:
        return False
    return custom_subclass_check(get_type_information(datatype)[0], target)


def type_name(datatype: Any) -> str:
    """``int``, ``pandas.Series``, or the repr of a type that is not a class."""
    base = get_type_information(datatype)[0]
    if not isinstance(base, type):
        return repr(datatype)
    module = base.__module__.split(".")[0]
    return base.__qualname__ if module == "builtins" else f"{module}.{base.__qualname__}"
