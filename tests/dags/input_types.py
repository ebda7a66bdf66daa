"""Inputs annotated with the type forms users write, for execute-time input checks.

``typing.Optional``/``typing.Union`` and their PEP 604 spellings are both here on purpose.
"""

from typing import Any, Literal, Optional, Union

import pandas as pd


def tag_count(tags: list[str]) -> int:
    """Number of tags."""
    return len(tags)


def weight_total(weights: dict[str, float]) -> float:
    """Sum of the weights."""
    return float(sum(weights.values()))


def row_limit(limit: Optional[int]) -> int:  # noqa: UP045
    """The limit, 0 when unset."""
    return limit or 0


def identifier_text(identifier: Union[int, str]) -> str:  # noqa: UP007
    """Ids may be numbers or strings."""
    return str(identifier)


def payload_kind(payload: Any) -> str:
    """Any value is fine."""
    return type(payload).__name__


def values_total(values: pd.Series) -> float:
    """Sum of a Series."""
    return float(values.sum())


def speed_label(mode: Literal["fast", "slow"]) -> str:
    """Only two modes exist."""
    return mode.upper()


def page_size(size: int | None) -> int:
    """PEP 604 optional."""
    return size or 25


def code_text(code: int | str) -> str:
    """PEP 604 union."""
    return str(code)
