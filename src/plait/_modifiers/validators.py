"""The built-in validators for pandas Series, numbers and strings (``@check_output`` keywords).

Each takes one keyword (:meth:`BaseDefaultValidator.arg`): ``range``, ``values_in``,
``data_type``, ``allow_nans``, ``max_fraction_nans``, ``max_standard_dev``, ``mean_in_range``,
``allow_none``, ``contains``, ``does_not_contain``. Several classes serve one keyword for
different output types (``range`` for a ``pandas.Series`` or for a number); which one a node
gets is decided by ``plait._modifiers.checks.resolve_default_validators``.

pandas and numpy are imported only inside methods: a pandas type can only be met once pandas is
loaded, so type tests look the classes up in ``sys.modules`` (see ``dq_base.fits``).
Imports only ``plait._model`` and ``plait._modifiers``.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from plait._model.errors import InvalidDecoratorError
from plait._modifiers.dq_base import BaseDefaultValidator, ValidationResult, fits


def _is_series(datatype: Any) -> bool:
    return fits(datatype, "pandas", "Series")


def _is_number(datatype: Any) -> bool:
    return fits(datatype, "numbers", "Real")


def _is_str(datatype: Any) -> bool:
    return fits(datatype, "builtins", "str")


#: kind → (type test, what it accepts in words)
_KINDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "series": (_is_series, "pandas.Series"),
    "number": (_is_number, "numbers (int, float, bool, numpy scalars)"),
    "number_or_str": (lambda t: _is_number(t) or _is_str(t), "numbers and str"),
    "primitive": (lambda t: _is_number(t) or t in (str, bool), "numbers, str and bool"),
    "str": (_is_str, "str"),
    "any": (lambda t: True, "any type"),
}


class _Default(BaseDefaultValidator, abc.ABC):
    """A default validator described by two class attributes: its keyword and its types."""

    _arg: ClassVar[str] = ""
    _kind: ClassVar[str] = "any"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.applies_to_text = _KINDS[cls._kind][1]

    @classmethod
    def arg(cls) -> str:
        return cls._arg

    @classmethod
    def applies_to(cls, datatype: type[type]) -> bool:
        return _KINDS[cls._kind][0](datatype)


def _computed(data: Any) -> Any:
    """A dask scalar is computed first (as Hamilton does)."""
    return data.compute() if hasattr(data, "dask") else data


def _pair(value: Any, arg: str) -> tuple[Any, Any]:
    try:
        low, high = value
    except (TypeError, ValueError):
        raise InvalidDecoratorError(
            f"{arg}={value!r} is not a (low, high) pair; write e.g. {arg}=(0, 1)."
        ) from None
    return low, high


class DataInRangeValidatorPandasSeries(_Default):
    """``range=(low, high)``: every value of a Series lies in ``[low, high]`` (NaN does not)."""

    _arg, _kind = "range", "series"

    def __init__(self, range: tuple[float, float], importance: str) -> None:
        super().__init__(importance)
        self.range = _pair(range, "range")

    def description(self) -> str:
        return f"Checks that every value is between {self.range[0]} and {self.range[1]}."

    def validate(self, data: Any) -> ValidationResult:
        low, high = self.range
        inside = int(data.between(low, high, inclusive="both").sum())
        outside = len(data) - inside
        return ValidationResult(
            passes=outside == 0,
            message=f"{outside} of {len(data)} values lie outside [{low}, {high}].",
            diagnostics={
                "range": self.range,
                "in_range": inside,
                "out_range": outside,
                "data_size": len(data),
            },
        )


class DataInRangeValidatorPrimitives(DataInRangeValidatorPandasSeries):
    """``range=(low, high)``: a number lies in ``[low, high]``."""

    _kind = "number"

    def validate(self, data: Any) -> ValidationResult:
        data = _computed(data)
        low, high = self.range
        passes = bool(low <= data <= high)
        return ValidationResult(
            passes=passes,
            message=f"{data} lies {'inside' if passes else 'outside'} [{low}, {high}].",
            diagnostics={"range": self.range, "value": data},
        )


class DataInValuesValidatorPandasSeries(_Default):
    """``values_in=[...]``: every non-missing value of a Series is one of the listed values."""

    _arg, _kind = "values_in", "series"

    def __init__(self, values_in: Iterable[Any], importance: str) -> None:
        super().__init__(importance)
        self.values = frozenset(values_in)

    def description(self) -> str:
        return f"Checks that every value is one of {sorted(map(repr, self.values))} (NA ignored)."

    def validate(self, data: Any) -> ValidationResult:
        known = data.isin(self.values)
        good = int((known | data.isna()).sum())
        bad = len(data) - good
        return ValidationResult(
            passes=bad == 0,
            message=f"{bad} of {len(data)} values are not among the allowed values.",
            diagnostics={
                "values": self.values,
                "correct_values_count": good,
                "incorrect_values_count": bad,
                "incorrect_values": data[~known].value_counts().to_dict(),
                "data_size": len(data),
            },
        )


class DataInValuesValidatorPrimitives(DataInValuesValidatorPandasSeries):
    """``values_in=[...]``: a number or string is one of the listed values."""

    _kind = "number_or_str"

    def validate(self, data: Any) -> ValidationResult:
        data = _computed(data)
        passes = data in self.values
        return ValidationResult(
            passes=passes,
            message=f"{data!r} is {'' if passes else 'not '}one of the allowed values.",
            diagnostics={
                "values": self.values,
                "was_correct": passes,
                "incorrect_value": None if passes else data,
                "data_size": 1,
            },
        )


class MaxFractionNansValidatorPandasSeries(_Default):
    """``max_fraction_nans=f``: at most a fraction ``f`` (0 to 1) of a Series is missing."""

    _arg, _kind = "max_fraction_nans", "series"

    def __init__(self, max_fraction_nans: float, importance: str) -> None:
        super().__init__(importance)
        if not 0 <= max_fraction_nans <= 1:
            raise InvalidDecoratorError(
                f"max_fraction_nans={max_fraction_nans!r} is not a fraction; give a number "
                "from 0 to 1 (0.05 allows 5% missing values)."
            )
        self.max_fraction_nans = max_fraction_nans

    def description(self) -> str:
        return f"Checks that at most {self.max_fraction_nans:.2%} of the values are missing."

    def validate(self, data: Any) -> ValidationResult:
        total = len(data)
        missing = data.isna().sum()
        fraction = missing / total if total > 0 else 0
        return ValidationResult(
            passes=bool(fraction <= self.max_fraction_nans),
            message=f"{missing} of {total} values ({fraction:.2%}) are missing; at most "
            f"{self.max_fraction_nans:.2%} may be.",
            diagnostics={
                "total_nan": missing,
                "total_length": total,
                "fraction_na": fraction,
                "max_fraction_na": self.max_fraction_nans,
            },
        )


class AllowNaNsValidatorPandasSeries(MaxFractionNansValidatorPandasSeries):
    """``allow_nans=False``: a Series has no missing value."""

    _arg = "allow_nans"

    def __init__(self, allow_nans: bool, importance: str) -> None:
        if allow_nans is not False:
            raise InvalidDecoratorError(
                f"allow_nans={allow_nans!r}: this check can only forbid missing values "
                "(allow_nans=False). To allow some, use max_fraction_nans=<fraction>."
            )
        super().__init__(0, importance)


class DataTypeValidatorPandasSeries(_Default):
    """``data_type=np.int64``: a Series' dtype is that numpy type (or a subtype)."""

    _arg, _kind = "data_type", "series"

    def __init__(self, data_type: type[type], importance: str) -> None:
        super().__init__(importance)
        self.datatype = data_type

    def description(self) -> str:
        return f"Checks that the data type is {self.datatype} or a subtype."

    def validate(self, data: Any) -> ValidationResult:
        import numpy as np

        dtype = getattr(data.dtype, "type", data.dtype)
        passes = bool(np.issubdtype(dtype, self.datatype))
        return ValidationResult(
            passes=passes,
            message=f"dtype {dtype} {'is' if passes else 'is not'} a {self.datatype}.",
            diagnostics={"required_dtype": self.datatype, "actual_dtype": dtype},
        )


class DataTypeValidatorPrimitives(DataTypeValidatorPandasSeries):
    """``data_type=int``: a number, str or bool is an instance of that type."""

    _kind = "primitive"

    def validate(self, data: Any) -> ValidationResult:
        data = _computed(data)
        passes = isinstance(data, self.datatype)
        return ValidationResult(
            passes=passes,
            message=f"{type(data)} {'is' if passes else 'is not'} a {self.datatype}.",
            diagnostics={"required_data_type": self.datatype, "actual_data_type": type(data)},
        )


class MaxStandardDevValidatorPandasSeries(_Default):
    """``max_standard_dev=s``: a Series' standard deviation is at most ``s``."""

    _arg, _kind = "max_standard_dev", "series"

    def __init__(self, max_standard_dev: float, importance: str) -> None:
        super().__init__(importance)
        self.max_standard_dev = max_standard_dev

    def description(self) -> str:
        return f"Checks that the standard deviation is at most {self.max_standard_dev}."

    def validate(self, data: Any) -> ValidationResult:
        std = data.std()
        return ValidationResult(
            passes=bool(std <= self.max_standard_dev),
            message=f"Standard deviation {std}; at most {self.max_standard_dev} allowed.",
            diagnostics={"standard_dev": std, "max_standard_dev": self.max_standard_dev},
        )


class MeanInRangeValidatorPandasSeries(_Default):
    """``mean_in_range=(low, high)``: a Series' mean lies in ``[low, high]``."""

    _arg, _kind = "mean_in_range", "series"

    def __init__(self, mean_in_range: tuple[float, float], importance: str) -> None:
        super().__init__(importance)
        self.mean_in_range = _pair(mean_in_range, "mean_in_range")

    def description(self) -> str:
        low, high = self.mean_in_range
        return f"Checks that the mean is between {low} and {high}."

    def validate(self, data: Any) -> ValidationResult:
        mean = data.mean()
        low, high = self.mean_in_range
        passes = bool(low <= mean <= high)
        return ValidationResult(
            passes=passes,
            message=f"Mean {mean} lies {'inside' if passes else 'outside'} [{low}, {high}].",
            diagnostics={"dataset_mean": mean, "mean_in_range": self.mean_in_range},
        )


class AllowNoneValidator(_Default):
    """``allow_none=False``: the value is not None (``True`` checks nothing)."""

    _arg = "allow_none"

    def __init__(self, allow_none: bool, importance: str) -> None:
        super().__init__(importance)
        self.allow_none = allow_none

    def description(self) -> str:
        return "Checks nothing." if self.allow_none else "Checks that the value is not None."

    def validate(self, data: Any) -> ValidationResult:
        passes = self.allow_none or data is not None
        return ValidationResult(passes, "Value is not None." if passes else "Value is None.", {})


class StrContainsValidator(_Default):
    """``contains="x"`` (or a list): a string contains every given substring."""

    _arg, _kind = "contains", "str"
    _wanted: ClassVar[bool] = True

    def __init__(self, contains: str | list[str], importance: str) -> None:
        super().__init__(importance)
        self.substrings = [contains] if isinstance(contains, str) else list(contains)
        setattr(self, self._arg, self.substrings)

    def description(self) -> str:
        verb = "contains" if self._wanted else "does not contain"
        return f"Checks that the string {verb} each of {self.substrings}."

    def validate(self, data: str) -> ValidationResult:
        bad = [s for s in self.substrings if (s in data) is not self._wanted]
        if not bad:
            return ValidationResult(True, "The string passes.", {})
        verb = "lacks" if self._wanted else "contains"
        return ValidationResult(
            False, f"The string {verb} {bad}.", {self._arg: self.substrings, "data": data[:100]}
        )


class StrDoesNotContainValidator(StrContainsValidator):
    """``does_not_contain="x"`` (or a list): a string contains none of the substrings."""

    _arg = "does_not_contain"
    _wanted = False

    def __init__(self, does_not_contain: str | list[str], importance: str) -> None:
        super().__init__(does_not_contain, importance)
