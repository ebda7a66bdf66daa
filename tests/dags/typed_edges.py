"""Edges whose annotations differ but that Hamilton accepts when it builds the graph.

Each consumer's parameter annotation is wider than (or equal in origin to) its
producer's return annotation.
"""

from collections.abc import Mapping, Sequence
from typing import Any, Optional, Union

import pandas as pd


class Reading:
    """A sensor reading (a class in a user module: not a node)."""

    def __init__(self, value: float) -> None:
        self.value = value


class CalibratedReading(Reading):
    """A reading after calibration."""


def sensor_id(raw_id: int) -> int:
    """An int node ..."""
    return raw_id


def sensor_key(sensor_id: Union[int, str]) -> str:  # noqa: UP007
    """... consumed through a Union that contains int."""
    return f"sensor-{sensor_id}"


def threshold(sensor_id: int) -> int:
    """An int node consumed as Optional[int] below."""
    return sensor_id * 10


def threshold_label(threshold: Optional[int]) -> str:  # noqa: UP045
    """Optional[int] parameter fed by an int node."""
    return "none" if threshold is None else f"t={threshold}"


def is_active(sensor_id: int) -> bool:
    """A bool node; bool subclasses int ..."""
    return sensor_id % 2 == 1


def active_count(is_active: int) -> int:
    """... so an int parameter accepts it."""
    return is_active + 0


def calibrated(raw_value: float) -> CalibratedReading:
    """Produces a subclass ..."""
    return CalibratedReading(raw_value * 1.5)


def reading_value(calibrated: Reading) -> float:
    """... consumed as its base class."""
    return calibrated.value


def history(raw_value: float) -> list[float]:
    """A parametrised generic ..."""
    return [raw_value, raw_value * 2]


def history_length(history: list) -> int:
    """... consumed as the bare origin type."""
    return len(history)


def history_total(history: Sequence[float]) -> float:
    """... and as an abstract base of its origin with the same argument."""
    return sum(history)


def metadata(sensor_key: str) -> dict[str, str]:
    """A dict node ..."""
    return {"key": sensor_key}


def metadata_keys(metadata: Mapping[str, str]) -> list[str]:
    """... consumed as a Mapping with the same arguments."""
    return sorted(metadata)


def anything_goes(metadata: Any) -> str:
    """Any accepts every producer."""
    return type(metadata).__name__


def readings_frame(history: list[float]) -> pd.DataFrame:
    """A DataFrame node ..."""
    return pd.DataFrame({"value": history})


def frame_rows(readings_frame: object) -> int:
    """... consumed as object."""
    return len(readings_frame)


def raw_value_text(raw_value: Union[float, str]) -> str:  # noqa: UP007
    """A second consumer of the input ``raw_value`` with a wider annotation."""
    return str(raw_value)


def sensor_code(sensor_id: int | str) -> str:
    """PEP 604 union parameter fed by an int node."""
    return f"code-{sensor_id}"


def threshold_or_zero(threshold: int | None) -> int:
    """PEP 604 optional parameter fed by an int node."""
    return threshold or 0
