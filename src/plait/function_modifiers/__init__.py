"""Decorators that turn one function into many nodes (Hamilton's ``function_modifiers``).

They only record themselves on the function; a driver resolves them when it builds the graph.
Implementation: ``plait._modifiers``.
"""

from plait._modifiers.base import (
    InvalidDecoratorException,
    MissingConfigParametersException,
)
from plait._modifiers.configuration import config, hamilton_exclude
from plait._modifiers.metadata import schema, tag, tag_outputs

configuration = config

__all__ = [
    "InvalidDecoratorException",
    "MissingConfigParametersException",
    "config",
    "configuration",
    "hamilton_exclude",
    "schema",
    "tag",
    "tag_outputs",
]
