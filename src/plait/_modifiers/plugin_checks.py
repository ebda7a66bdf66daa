"""The plugin decorators ``h_pandera.check_output()`` and ``h_pydantic.check_output()``.

Both read the schema from the function's return annotation, then build the same validators as
``@check_output(schema=...)`` / ``@check_output(model=...)``: ``pandera.typing.DataFrame[M]``
with a pandera ``DataFrameModel`` ``M`` (pandas or polars typing), or a pydantic ``BaseModel``
subclass. The library is imported when the decorator is created (an ``ImportError`` names the
``pip install "plait[...]"`` extra when it is missing). Public as ``plait.plugins.h_pandera``
and ``plait.plugins.h_pydantic``.

Imports only ``plait._model`` and ``plait._modifiers``.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

from plait._model.errors import InvalidDecoratorError
from plait._model.node import Node
from plait._model.types import get_type_information
from plait._modifiers.base import TargetType
from plait._modifiers.checks import (
    BaseDataValidationDecorator,
    check_importance,
    resolve_default_validators,
)
from plait._modifiers.dq_base import DataValidationLevel, DataValidator, fits, type_name
from plait._modifiers.schema_validators import require


def _model_in(output_type: Any) -> Any:
    """``M`` of ``pandera.typing.DataFrame[M]`` (pandas or polars typing); else None."""
    from pandera.api.dataframe.model import DataFrameModel
    from pandera.typing.common import DataFrameBase

    origin, args = typing.get_origin(output_type), typing.get_args(output_type)
    if not (isinstance(origin, type) and issubclass(origin, DataFrameBase) and len(args) == 1):
        return None
    model = args[0]
    return model if isinstance(model, type) and issubclass(model, DataFrameModel) else None


class _AnnotationCheck(BaseDataValidationDecorator):
    """What both plugin decorators share: the library check, ``importance`` and ``target``.

    Parameters
    ----------
    importance
        ``"warn"`` (log failures) or ``"fail"`` (raise ``DataValidationError``).
    target
        Which nodes to check (None: the function's final nodes), as ``target_`` elsewhere.
    """

    #: The library the decorator needs (also its pip extra), and its public module name.
    library = ""
    plugin = ""

    def __init__(
        self, importance: str = DataValidationLevel.WARN.value, target: TargetType = None
    ) -> None:
        require(self.library, self.library, f"plait.plugins.{self.plugin}.check_output")
        super().__init__(target=target)
        self.importance = importance

    @property
    def name(self) -> str:
        return f"{self.plugin}.check_output"

    def validate(self, fn: Callable[..., Any]) -> None:
        check_importance(self.importance, self.name, fn)


class pandera_check_output(_AnnotationCheck):
    """Validate the output against the ``DataFrameModel`` of its ``DataFrame[Model]`` annotation
    (parameters: see :class:`_AnnotationCheck`)."""

    library = "pandera"
    plugin = "h_pandera"

    def get_validators(self, node_to_validate: Node) -> list[DataValidator]:
        model = _model_in(node_to_validate.type)
        if model is None:
            raise InvalidDecoratorError(
                f"the output type {type_name(node_to_validate.type)} is not "
                "pandera.typing.DataFrame[Model] with a pandera DataFrameModel. Annotate it "
                "'-> DataFrame[MyModel]', or use @check_output(schema=...)."
            )
        return list(
            resolve_default_validators(node_to_validate.type, self.importance, schema=model)
        )


class pydantic_check_output(_AnnotationCheck):
    """Validate the output against its pydantic ``BaseModel`` return annotation (strict mode;
    parameters: see :class:`_AnnotationCheck`)."""

    library = "pydantic"
    plugin = "h_pydantic"

    def get_validators(self, node_to_validate: Node) -> list[DataValidator]:
        if not fits(node_to_validate.type, "pydantic", "BaseModel"):
            raise InvalidDecoratorError(
                f"the output type {type_name(node_to_validate.type)} is not a pydantic model. "
                "Annotate the function '-> MyModel' (a pydantic BaseModel subclass), or use "
                "@check_output(model=MyModel) for a function that returns a dict."
            )
        model = get_type_information(node_to_validate.type)[0]
        return list(resolve_default_validators(node_to_validate.type, self.importance, model=model))
