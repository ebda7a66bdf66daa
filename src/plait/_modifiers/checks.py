"""Data-quality decorators: ``@check_output`` and ``@check_output_custom``.

A checked node ``x`` becomes, as in Hamilton:

* ``x_raw``: the function itself (renamed);
* one node per validator, ``x_<validator name>`` (``x_range_validator`` ...), each taking
  ``x_raw`` and returning a :class:`ValidationResult`, tagged
  ``hamilton.data_quality.contains_dq_results=True`` and ``hamilton.data_quality.source_node=x``;
* ``x``: takes ``x_raw`` and every result; logs the failures of ``importance="warn"``
  validators (WARNING on the ``plait.data_quality.base`` logger), raises one
  :class:`DataValidationError` for those of ``importance="fail"``, and returns ``x_raw``.

Misuse is refused early: bad ``importance``, unknown or no validator argument at decoration;
a validator that does not apply to the node's type at build. Imports only ``plait._model`` and
``plait._modifiers``.
"""

from __future__ import annotations

import abc
import collections
import inspect
from collections.abc import Callable, Collection, Iterable, Sequence
from types import MappingProxyType
from typing import Any

from plait._model.errors import InvalidDecoratorError, did_you_mean
from plait._model.node import Dependency, Node, NodeKind
from plait._modifiers import schema_validators as sv
from plait._modifiers import validators as v
from plait._modifiers.base import NodeTransformer, TargetType, where
from plait._modifiers.dq_base import (
    BaseDefaultValidator,
    DataValidationLevel,
    DataValidator,
    ValidationResult,
    act_fail_bulk,
    act_warn,
    importance_level,
    is_async_validator,
    type_name,
)

#: Tag (value ``True``) on every validator node.
IS_DATA_VALIDATOR_TAG = "hamilton.data_quality.contains_dq_results"
#: Tag on every validator node: the name of the node it checks.
DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG = "hamilton.data_quality.source_node"


#: Every class ``@check_output`` may pick from, in the order they are tried (append your own).
AVAILABLE_DEFAULT_VALIDATORS: list[type[BaseDefaultValidator]] = [
    v.AllowNaNsValidatorPandasSeries,
    v.DataInRangeValidatorPandasSeries,
    v.DataInRangeValidatorPrimitives,
    v.DataInValuesValidatorPandasSeries,
    v.DataInValuesValidatorPrimitives,
    v.DataTypeValidatorPandasSeries,
    v.DataTypeValidatorPrimitives,
    v.MaxFractionNansValidatorPandasSeries,
    v.MaxStandardDevValidatorPandasSeries,
    v.MeanInRangeValidatorPandasSeries,
    v.AllowNoneValidator,
    v.StrContainsValidator,
    v.StrDoesNotContainValidator,
    sv.PanderaDataFrameValidator,
    sv.PanderaSeriesSchemaValidator,
    sv.PydanticModelValidator,
]


def known_args(candidates: Iterable[type[BaseDefaultValidator]] | None = None) -> list[str]:
    """The keywords the candidate classes (default: all available) accept, sorted."""
    pool = AVAILABLE_DEFAULT_VALIDATORS if candidates is None else candidates
    return sorted({c.arg() for c in pool})


def resolve_default_validators(
    output_type: Any,
    importance: str,
    available_validators: list[type[BaseDefaultValidator]] | None = None,
    **default_validator_kwargs: Any,
) -> list[BaseDefaultValidator]:
    """One validator per keyword: the first candidate taking it that applies to ``output_type``.

    Raises
    ------
    InvalidDecoratorError
        If no candidate takes a keyword for this type, or a validator refuses its value.
    """
    pool = AVAILABLE_DEFAULT_VALIDATORS if available_validators is None else available_validators
    validators = []
    for key, value in default_validator_kwargs.items():
        chosen = next((c for c in pool if c.arg() == key and c.applies_to(output_type)), None)
        if chosen is None:
            raise InvalidDecoratorError(_no_validator(key, output_type, pool))
        validators.append(chosen(**{key: value, "importance": importance}))
    return validators


def _no_validator(key: str, output_type: Any, pool: list[type[BaseDefaultValidator]]) -> str:
    takers = [c for c in pool if c.arg() == key]
    if not takers:
        hint = did_you_mean(key, known_args(pool))
        return f"no validator takes the argument '{key}'.{hint} Known: {known_args(pool)}."
    checks = " or ".join(dict.fromkeys(c.applies_to_text for c in takers))
    fitting = known_args(c for c in pool if c.applies_to(output_type))
    return (
        f"'{key}' checks {checks}, not the output type {type_name(output_type)}. Arguments "
        f"that apply to {type_name(output_type)}: {fitting}; or write a DataValidator and use "
        "@check_output_custom."
    )


class BaseDataValidationDecorator(NodeTransformer):
    """Base of data-quality decorators: subclasses say which validators check a node."""

    @abc.abstractmethod
    def get_validators(self, node_to_validate: Node) -> list[DataValidator]:
        """The validators to run on ``node_to_validate``'s value."""

    def validate(self, fn: Callable[..., Any]) -> None:
        return None

    def transform_dag(
        self, nodes: Collection[Node], config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        out = list(super().transform_dag(nodes, config, fn))
        counts = collections.Counter(n.name for n in out)
        twice = sorted(name for name, count in counts.items() if count > 1)
        if twice:
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)} would define node(s) {twice} twice: the node is "
                "already checked by another data-quality decorator. Put all checks of a node "
                "in one @check_output (or one @check_output_custom)."
            )
        return out

    def transform_node(
        self, node: Node, config: dict[str, Any], fn: Callable[..., Any]
    ) -> Collection[Node]:
        return validation_nodes(node, self._validators_for(node, fn))

    def _validators_for(self, node: Node, fn: Callable[..., Any]) -> list[DataValidator]:
        here = f"@{self.name} on {where(fn)}, node '{node.name}'"
        if node.kind is NodeKind.EXPAND:
            raise InvalidDecoratorError(
                f"{here}: a Parallelizable output is a stream of items and cannot be checked "
                "as a whole. Check the per-item node downstream instead."
            )
        try:
            validators = list(self.get_validators(node))
        except ValueError as exc:  # InvalidDecoratorError included; Hamilton raised ValueError
            raise InvalidDecoratorError(f"{here} ({type_name(node.type)}): {exc}") from None
        for validator in validators:
            _check_applies(validator, node, here)
        return validators


def _check_applies(validator: DataValidator, node: Node, here: str) -> None:
    try:
        applies = validator.applies_to(node.type)
    except Exception as exc:
        raise InvalidDecoratorError(
            f"{here}: {type(validator).__name__}.applies_to({type_name(node.type)}) raised "
            f"{type(exc).__name__}: {exc}. Make applies_to return True or False."
        ) from exc
    if not applies:
        raise InvalidDecoratorError(
            f"{here}: validator '{validator.name()}' does not apply to the output type "
            f"{type_name(node.type)} (its applies_to returned False). Use a validator for "
            f"{type_name(node.type)}, or point target_ at the node you meant to check."
        )


def check_importance(importance: Any, who: str, fn: Callable[..., Any]) -> None:
    try:
        importance_level(importance)
    except InvalidDecoratorError as exc:
        raise InvalidDecoratorError(f"@{who} on {where(fn)}: {exc}") from None


def validation_nodes(node: Node, validators: Sequence[DataValidator]) -> list[Node]:
    """``node`` checked by ``validators``: the validator nodes, the final node, the raw node."""
    raw = node.evolve(name=f"{node.name}_raw")
    raw_input = Dependency(raw.name, node.type)
    tags = MappingProxyType(
        {**node.tags, IS_DATA_VALIDATOR_TAG: True, DATA_VALIDATOR_ORIGINAL_OUTPUT_TAG: node.name}
    )
    checks: list[Node] = []
    seen: dict[str, int] = {}
    for validator in validators:
        name = f"{node.name}_{validator.name()}"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:  # the same validator twice: x_v, x_v_1, x_v_2 ...
            name = f"{name}_{seen[name] - 1}"
        check = Node(
            name=name,
            type=ValidationResult,
            callable=_runner(validator, node.name),
            inputs=(raw_input,),
            tags=tags,
            documentation=validator.description() or "",
            origin=node.origin,
            originating_functions=node.originating_functions,
            positional=True,
        )
        checks.append(check)
    gate = Gate(node.name, raw.name, tuple(zip([c.name for c in checks], validators, strict=True)))
    final = node.evolve(
        callable=gate,
        inputs=(raw_input, *(Dependency(c.name, ValidationResult) for c in checks)),
        kind=NodeKind.FUNCTION if node.kind is NodeKind.COLLECT else node.kind,
        positional=True,
    )
    return [*checks, final, raw]


def _only(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    return args[0] if args else next(iter(kwargs.values()))


class RunCheck:
    """A validator node's callable: ``validator.validate(value)``."""

    __slots__ = ("node_name", "validator")

    def __init__(self, validator: DataValidator, node_name: str) -> None:
        self.validator = validator
        self.node_name = node_name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        result: Any = self.validator.validate(_only(args, kwargs))
        if inspect.iscoroutine(result):
            result.close()
            raise TypeError(_async_message(self.validator, self.node_name))
        return result


def _runner(validator: DataValidator, node_name: str) -> Callable[..., Any]:
    if not is_async_validator(validator):
        return RunCheck(validator, node_name)

    async def run_async_check(*args: Any, **kwargs: Any) -> ValidationResult:
        return await validator.validate(_only(args, kwargs))  # type: ignore[no-any-return,misc]

    return run_async_check


def _async_message(validator: DataValidator, node_name: str) -> str:
    return (
        f"Validator '{validator.name()}' of node '{node_name}' is async (its validate() "
        "returns a coroutine); run this graph with plait.async_driver.AsyncDriver."
    )


class Gate:
    """The checked node's callable: act on every validator's result, then pass the value on."""

    __slots__ = ("checks", "node_name", "raw_name")

    def __init__(
        self, node_name: str, raw_name: str, checks: tuple[tuple[str, DataValidator], ...]
    ) -> None:
        self.node_name = node_name
        self.raw_name = raw_name
        self.checks = checks

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            args = (kwargs[self.raw_name], *(kwargs[name] for name, _ in self.checks))
        value, *results = args
        failures = []
        for (_, validator), result in zip(self.checks, results, strict=True):
            self._check_result(result, validator)
            if validator.importance is DataValidationLevel.FAIL:
                failures.append((result, validator))
            else:
                act_warn(self.node_name, result, validator)
        act_fail_bulk(self.node_name, failures)
        return value

    def _check_result(self, result: Any, validator: DataValidator) -> None:
        if inspect.iscoroutine(result):
            result.close()
            raise TypeError(_async_message(validator, self.node_name))
        if not hasattr(result, "passes"):
            raise TypeError(
                f"Validator '{validator.name()}' of node '{self.node_name}' returned "
                f"{type(result).__name__}; validate() must return a ValidationResult."
            )


class check_output_custom(BaseDataValidationDecorator):
    """Check a node's value with your own :class:`DataValidator` instances.

    ``@check_output_custom(NoNegatives(importance="fail"), ...)``. ``target_`` picks the nodes
    (None: the function's final nodes). Put all validators of a node in one decorator.
    """

    def __init__(self, *validators: DataValidator, target_: TargetType = None) -> None:
        super().__init__(target=target_)
        self.validators = list(validators)

    def validate(self, fn: Callable[..., Any]) -> None:
        here = f"@{self.name} on {where(fn)}"
        if not self.validators:
            raise InvalidDecoratorError(f"{here} has no validator; pass DataValidator instances.")
        for validator in self.validators:
            if isinstance(validator, type) and issubclass(validator, DataValidator):
                raise InvalidDecoratorError(
                    f"{here}: {validator.__name__} is a class; pass an instance, e.g. "
                    f"{validator.__name__}(importance='warn')."
                )
            if not isinstance(validator, DataValidator):
                raise InvalidDecoratorError(
                    f"{here}: {validator!r} is not a DataValidator. Subclass "
                    "plait.data_quality.base.DataValidator and pass an instance."
                )
            try:
                importance_level(validator.importance)
            except AttributeError:
                raise InvalidDecoratorError(
                    f"{here}: {type(validator).__name__} has no importance; call "
                    "super().__init__(importance) in its __init__."
                ) from None

    def get_validators(self, node_to_validate: Node) -> list[DataValidator]:
        return list(self.validators)


class check_output(BaseDataValidationDecorator):
    """Check a node's value with the built-in validators, one per keyword argument.

    ``@check_output(range=(0, 1), allow_nans=False, importance="fail")``. Keywords: ``range``,
    ``values_in``, ``data_type``, ``allow_nans``, ``max_fraction_nans``, ``max_standard_dev``,
    ``mean_in_range``, ``allow_none``, ``contains``, ``does_not_contain``, ``schema`` (pandera),
    ``model`` (pydantic); each applies to some output types (see ``docs/decorators``).
    ``importance="warn"`` logs failures, ``"fail"`` raises ``DataValidationError``.
    """

    def __init__(
        self,
        importance: str = DataValidationLevel.WARN.value,
        default_validator_candidates: list[type[BaseDefaultValidator]] | None = None,
        target_: TargetType = None,
        **default_validator_kwargs: Any,
    ) -> None:
        super().__init__(target=target_)
        self.importance = importance
        self.default_validator_candidates = default_validator_candidates
        self.default_validator_kwargs = default_validator_kwargs

    def validate(self, fn: Callable[..., Any]) -> None:
        check_importance(self.importance, self.name, fn)
        known = known_args(self.default_validator_candidates)
        if not self.default_validator_kwargs:
            raise InvalidDecoratorError(
                f"@{self.name} on {where(fn)} names no check; pass one or more of {known}, "
                "e.g. @check_output(range=(0, 1))."
            )
        for key in self.default_validator_kwargs:
            if key not in known:
                raise InvalidDecoratorError(
                    f"@{self.name} on {where(fn)}: no validator takes the argument "
                    f"'{key}'.{did_you_mean(key, known)} Known arguments: {known}."
                )

    def get_validators(self, node_to_validate: Node) -> list[DataValidator]:
        return list(
            resolve_default_validators(
                node_to_validate.type,
                importance=self.importance,
                available_validators=self.default_validator_candidates,
                **self.default_validator_kwargs,
            )
        )
