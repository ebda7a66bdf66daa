"""Base classes of data validators (Hamilton's ``data_quality.base``)."""

from plait._modifiers.dq_base import (
    AsyncBaseDefaultValidator,
    AsyncDataValidator,
    BaseDefaultValidator,
    DataValidationError,
    DataValidationLevel,
    DataValidator,
    ValidationResult,
    act_fail_bulk,
    act_warn,
    is_async_validator,
    logger,
)

__all__ = [
    "AsyncBaseDefaultValidator",
    "AsyncDataValidator",
    "BaseDefaultValidator",
    "DataValidationError",
    "DataValidationLevel",
    "DataValidator",
    "ValidationResult",
    "act_fail_bulk",
    "act_warn",
    "is_async_validator",
    "logger",
]
