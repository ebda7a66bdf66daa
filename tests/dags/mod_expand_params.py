"""``@parameterize`` and friends: value/source/group bindings, docstring templates, ``@inject``.

Written against plait; the compat harness runs it through Hamilton by swapping the import name
(``harness.load_dag``). Inputs: ``base`` (int), ``other`` (int), ``label`` (str).
"""

from plait.function_modifiers import (
    group,
    inject,
    parameterize,
    parameterize_sources,
    parameterize_values,
    source,
    tag,
    value,
)


def doubled(base: int) -> int:
    """Twice the base."""
    return base * 2


@parameterize(
    plus_one={"step": value(1)},
    plus_doubled=({"step": source("doubled")}, "base plus its double"),
    plus_other={"step": source("other"), "scale": value(10)},
)
def shifted(base: int, step: int, scale: int = 1) -> int:
    """{output_name}: base + {step} (times {scale})."""
    return (base + step) * scale


@parameterize_values(
    parameter="suffix",
    assigned_output={("greeting_en", "English"): "hello", ("greeting_fr", "French"): "bonjour"},
)
def greeting(label: str, suffix: str) -> str:
    return f"{suffix} {label}"


@parameterize_sources(
    sum_base_doubled={"left": "base", "right": "doubled"},
    sum_other_doubled={"left": "other", "right": "doubled"},
)
def summed(left: int, right: int) -> int:
    """{left} + {right} makes {output_name}."""
    return left + right


@tag(kind="grouped")
@parameterize(
    listed={"parts": group(source("base"), value(100), source("other"))},
    listed_short={"parts": group(value(1), value(2))},
)
def total(parts: list[int]) -> int:
    return sum(parts)


@inject(parts=group(first=source("base"), second=value(5), third=source("doubled")))
def keyed(parts: dict[str, int], offset: int = 0) -> str:
    """Keys in order, then the sum."""
    return ",".join(parts) + f"={sum(parts.values()) + offset}"


@inject(count=value(3))
def repeated(label: str, count: int) -> str:
    return label * count
