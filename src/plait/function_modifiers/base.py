"""Base classes for writing decorators (Hamilton's ``function_modifiers.base``)."""

from plait._modifiers.base import (
    NON_FINAL_TAG,
    DynamicResolver,
    InvalidDecoratorException,
    MissingConfigParametersException,
    NodeCreator,
    NodeDecorator,
    NodeExpander,
    NodeInjector,
    NodeResolver,
    NodeTransformer,
    NodeTransformLifecycle,
    SingleNodeNodeTransformer,
    SubDAGModifier,
    TargetType,
    filter_config,
)
from plait._modifiers.configuration import sanitize_function_name
from plait._modifiers.resolve import resolve_function as resolve_nodes

__all__ = [
    "NON_FINAL_TAG",
    "DynamicResolver",
    "InvalidDecoratorException",
    "MissingConfigParametersException",
    "NodeCreator",
    "NodeDecorator",
    "NodeExpander",
    "NodeInjector",
    "NodeResolver",
    "NodeTransformLifecycle",
    "NodeTransformer",
    "SingleNodeNodeTransformer",
    "SubDAGModifier",
    "TargetType",
    "filter_config",
    "resolve_nodes",
    "sanitize_function_name",
]
