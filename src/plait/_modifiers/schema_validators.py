"""Validators backed by a schema library: pandera (``schema=``) and pydantic (``model=``).

``@check_output(schema=s)`` checks a dataframe (or series) against a pandera schema or
``DataFrameModel``; ``@check_output(model=M)`` checks a pydantic model instance (or a dict)
against a pydantic model in strict mode (no coercion: the value flows on unchanged). The
libraries are imported when such a validator is built, never before; a missing one raises an
``ImportError`` naming the ``pip install "plait[...]"`` extra.

Imports only ``plait._model`` and ``plait._modifiers``.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from plait._model.errors import InvalidDecoratorError
from plait._modifiers.dq_base import BaseDefaultValidator, ValidationResult, fits, type_name

_FRAMES = (("pandas", "DataFrame"), ("polars", "DataFrame"), ("dask.dataframe", "DataFrame"),
           ("pyspark.pandas", "DataFrame"))  # fmt: skip
_COLUMNS = (("pandas", "Series"), ("polars", "Series"), ("dask.dataframe", "Series"),
            ("pyspark.pandas", "Series"))  # fmt: skip


def require(module: str, extra: str, why: str) -> ModuleType:
    """Import ``module`` or raise ``ImportError`` naming the plait extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"{why} needs the '{module}' package, which is not installed. Install it with: "
            f'pip install "plait[{extra}]"'
        ) from exc


def is_frame_type(datatype: Any) -> bool:
    """A pandas, polars, dask or pyspark-pandas DataFrame type (or a subtype)."""
    return any(fits(datatype, module, name) for module, name in _FRAMES)


def is_column_type(datatype: Any) -> bool:
    """A pandas, polars, dask or pyspark-pandas Series type (or a subtype)."""
    return any(fits(datatype, module, name) for module, name in _COLUMNS)


def _pandera_errors() -> ModuleType:
    import pandera.errors

    return pandera.errors


def _is_frame_schema(schema: Any) -> bool:
    from pandera.api.dataframe.container import DataFrameSchema
    from pandera.api.dataframe.model import DataFrameModel

    if isinstance(schema, type):
        return issubclass(schema, DataFrameModel)
    return isinstance(schema, DataFrameSchema)


def _is_pandera_schema(schema: Any) -> bool:
    from pandera.api.base.model import BaseModel
    from pandera.api.base.schema import BaseSchema

    if isinstance(schema, type):
        return issubclass(schema, BaseModel)
    return isinstance(schema, BaseSchema)


class PanderaDataFrameValidator(BaseDefaultValidator):
    """``schema=`` on a dataframe: a pandera ``DataFrameSchema`` or ``DataFrameModel``."""

    applies_to_text = "dataframes (pandas, polars, dask, pyspark.pandas)"
    _frames = True

    def __init__(self, schema: Any, importance: str) -> None:
        super().__init__(importance)
        require("pandera", "pandera", "check_output(schema=...)")
        if not _is_pandera_schema(schema) or _is_frame_schema(schema) is not self._frames:
            wanted = "a DataFrameSchema or DataFrameModel" if self._frames else "a SeriesSchema"
            raise InvalidDecoratorError(
                f"schema={schema!r} is not {wanted}, which a "
                f"{'dataframe' if self._frames else 'series'} output needs. Pass {wanted} "
                "from pandera."
            )
        self.schema = schema

    @classmethod
    def arg(cls) -> str:
        return "schema"

    @classmethod
    def name(cls) -> str:
        return "pandera_schema_validator"

    @classmethod
    def applies_to(cls, datatype: type[type]) -> bool:
        return is_frame_type(datatype)

    def description(self) -> str:
        return "Checks the value against a pandera schema."

    def validate(self, data: Any) -> ValidationResult:
        # inplace=True: a coercing schema changes the value passed on, as in Hamilton (polars
        # frames are immutable: pandera warns that inplace does nothing there)
        inplace = {} if type(data).__module__.startswith("polars") else {"inplace": True}
        try:
            result = self.schema.validate(data, lazy=True, **inplace)
            if hasattr(result, "dask"):
                result.compute()
        except _pandera_errors().SchemaErrors as exc:
            return ValidationResult(False, str(exc), {"schema_errors": exc.schema_errors})
        return ValidationResult(True, f"The data passes the pandera schema {self.schema}.")


class PanderaSeriesSchemaValidator(PanderaDataFrameValidator):
    """``schema=`` on a series: a pandera ``SeriesSchema``."""

    applies_to_text = "series (pandas, polars, dask, pyspark.pandas)"
    _frames = False

    @classmethod
    def applies_to(cls, datatype: type[type]) -> bool:
        return is_column_type(datatype)


class PydanticModelValidator(BaseDefaultValidator):
    """``model=M``: the value (a model instance or a dict) is valid for pydantic model ``M``.

    Strict mode: values are not coerced (``"1"`` is not an ``int``), since the checked value
    flows on unchanged.
    """

    applies_to_text = "pydantic models and dict"

    def __init__(self, model: Any, importance: str) -> None:
        super().__init__(importance)
        pydantic = require("pydantic", "pydantic", "check_output(model=...)")
        adapter = getattr(pydantic, "TypeAdapter", None)
        if adapter is None:
            raise ImportError(
                'check_output(model=...) needs pydantic>=2: pip install "plait[pydantic]"'
            )
        try:
            self._adapter = adapter(model)
        except Exception as exc:  # pydantic refuses the type (a schema-generation error)
            raise InvalidDecoratorError(
                f"model={model!r} cannot validate data ({type(exc).__name__}: {exc}). "
                "Pass a pydantic BaseModel subclass."
            ) from None
        self.model = model

    @classmethod
    def arg(cls) -> str:
        return "model"

    @classmethod
    def name(cls) -> str:
        return "pydantic_validator"

    @classmethod
    def applies_to(cls, datatype: type[type]) -> bool:
        return fits(datatype, "pydantic", "BaseModel") or fits(datatype, "builtins", "dict")

    def description(self) -> str:
        return f"Checks the value against the pydantic model {type_name(self.model)} (strict)."

    def adapter(self) -> Any:
        """The pydantic ``TypeAdapter`` of the model (rebuilt after unpickling)."""
        if self._adapter is None:
            from pydantic import TypeAdapter

            self._adapter = TypeAdapter(self.model)
        return self._adapter

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_adapter": None}  # an adapter does not pickle

    def validate(self, data: Any) -> ValidationResult:
        from pydantic import ValidationError

        try:
            self.adapter().validate_python(data, strict=True)
        except ValidationError as exc:
            return ValidationResult(False, str(exc), {"model_errors": exc.errors()})
        return ValidationResult(
            True, f"The data passes the pydantic model {type_name(self.model)}."
        )
