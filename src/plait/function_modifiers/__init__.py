"""Decorators that turn one function into many nodes (Hamilton's ``function_modifiers``).

They only record themselves on the function; a driver resolves them when it builds the graph.
Implementation: ``plait._modifiers``.
"""

from plait._modifiers.base import (
    InvalidDecoratorException,
    MissingConfigParametersException,
)
from plait._modifiers.checks import (
    DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG,
    IS_DATA_VALIDATOR_TAG,
    check_output,
    check_output_custom,
)
from plait._modifiers.columns import extract_columns
from plait._modifiers.configuration import config
from plait._modifiers.configuration import hamilton_exclude as _hamilton_exclude
from plait._modifiers.dependencies import (
    LiteralDependency,
    UpstreamDependency,
    configuration,
    group,
    source,
    value,
)
from plait._modifiers.dynamic import ResolveAt, does, resolve, resolve_from_config
from plait._modifiers.expanders import (
    ParameterizedExtract,
    inject,
    parameterize,
    parameterize_extract_columns,
    parameterize_sources,
    parameterize_values,
)
from plait._modifiers.fields import extract_fields, unpack_fields
from plait._modifiers.metadata import schema, tag, tag_outputs
from plait._modifiers.pipe import mutate, pipe, pipe_input, pipe_output
from plait._modifiers.step import apply_to, step
from plait._modifiers.subdag import parameterized_subdag, subdag

#: Used bare (``@hamilton_exclude``), so an instance, as in Hamilton.
hamilton_exclude = _hamilton_exclude()

__all__ = [
    "DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG",
    "IS_DATA_VALIDATOR_TAG",
    "InvalidDecoratorException",
    "LiteralDependency",
    "MissingConfigParametersException",
    "ParameterizedExtract",
    "ResolveAt",
    "UpstreamDependency",
    "apply_to",
    "check_output",
    "check_output_custom",
    "config",
    "configuration",
    "does",
    "extract_columns",
    "extract_fields",
    "group",
    "hamilton_exclude",
    "inject",
    "mutate",
    "parameterize",
    "parameterize_extract_columns",
    "parameterize_sources",
    "parameterize_values",
    "parameterized_subdag",
    "pipe",
    "pipe_input",
    "pipe_output",
    "resolve",
    "resolve_from_config",
    "schema",
    "source",
    "step",
    "subdag",
    "tag",
    "tag_outputs",
    "unpack_fields",
    "value",
]
