"""The validators ``@check_output`` builds from keywords (Hamilton's ``default_validators``)."""

from plait._modifiers.checks import AVAILABLE_DEFAULT_VALIDATORS, resolve_default_validators
from plait._modifiers.schema_validators import (
    PanderaDataFrameValidator,
    PanderaSeriesSchemaValidator,
    PydanticModelValidator,
)
from plait._modifiers.validators import (
    AllowNaNsValidatorPandasSeries,
    AllowNoneValidator,
    DataInRangeValidatorPandasSeries,
    DataInRangeValidatorPrimitives,
    DataInValuesValidatorPandasSeries,
    DataInValuesValidatorPrimitives,
    DataTypeValidatorPandasSeries,
    DataTypeValidatorPrimitives,
    MaxFractionNansValidatorPandasSeries,
    MaxStandardDevValidatorPandasSeries,
    MeanInRangeValidatorPandasSeries,
    StrContainsValidator,
    StrDoesNotContainValidator,
)

__all__ = [
    "AVAILABLE_DEFAULT_VALIDATORS",
    "AllowNaNsValidatorPandasSeries",
    "AllowNoneValidator",
    "DataInRangeValidatorPandasSeries",
    "DataInRangeValidatorPrimitives",
    "DataInValuesValidatorPandasSeries",
    "DataInValuesValidatorPrimitives",
    "DataTypeValidatorPandasSeries",
    "DataTypeValidatorPrimitives",
    "MaxFractionNansValidatorPandasSeries",
    "MaxStandardDevValidatorPandasSeries",
    "MeanInRangeValidatorPandasSeries",
    "PanderaDataFrameValidator",
    "PanderaSeriesSchemaValidator",
    "PydanticModelValidator",
    "StrContainsValidator",
    "StrDoesNotContainValidator",
    "resolve_default_validators",
]
