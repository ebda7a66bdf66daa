"""``@pipe_input``, ``@pipe_output``, ``step`` and ``@mutate``.

Written against plait; ``tests/compat/harness.load_dag`` ports it to Hamilton.
"""

from plait.function_modifiers import (
    apply_to,
    extract_fields,
    mutate,
    pipe_input,
    pipe_output,
    source,
    step,
    value,
)


def _add(x: int, y: int = 1) -> int:
    """Add ``y``."""
    return x + y


def _mul(x: int, k: int) -> int:
    return x * k


def _to_text(x: int, prefix: str) -> str:
    return f"{prefix}{x}"


def start() -> int:
    return 2


def bonus() -> int:
    return 10


@pipe_input(
    step(_add, y=source("bonus")),
    step(_mul, 3),
    step(_add, y=value(5)).named("fifth"),
    step(_add).named("plain", namespace=None),
    step(_mul, k=100).when(scale="big"),
    step(_mul, k=-1).when_not(scale="big"),
    step(_add, y=0).when_in(scale=["big", "huge"]),
    step(_add, y=0).when_not_in(scale=["big"]),
)
def piped_in(start: int, extra: int = 4) -> int:
    return start + extra


@pipe_input(step(_add), step(_add), namespace="shared_ns")
def piped_ns(start: int) -> int:
    return start


@pipe_input(step(_to_text, prefix="n="), on_input="count", namespace=None)
def piped_second(start: int, count: str) -> str:
    return f"{start}:{count}"


@pipe_output(step(_add, y=2), step(_mul, 10).named("times_ten"), step(_add).when(scale="big"))
def piped_out(piped_in: int) -> int:
    """Output piped after the function runs."""
    return piped_in


@pipe_output(step(_add), step(_add).on_output("f2"))
@extract_fields({"f1": int, "f2": int})
def fields(start: int) -> dict:
    return {"f1": start, "f2": start * 2}


@pipe_output(step(_add).when(scale="never"))
def unchanged(start: int) -> int:
    return start


def mutated(start: int) -> int:
    return start * 7


@mutate(mutated, apply_to(piped_out, y=value(1000)), y=source("bonus"))
def _shift(x: int, y: int) -> int:
    return x - y


@mutate(mutated)
def _double(x: int) -> int:
    return x * 2
