"""``@does`` (with ``argument_mapping`` and defaults) and ``@resolve`` / ``@resolve_from_config``.

Written against plait; the compat harness runs it through Hamilton by swapping the import name
(``harness.load_dag``). Inputs: ``a``, ``b`` (int). Config: ``hamilton.enable_power_user_mode``
(True), ``windows`` (list of ints), ``tag_value`` (str, optional).
"""

from plait.function_modifiers import (
    ResolveAt,
    does,
    parameterize,
    resolve,
    resolve_from_config,
    source,
    tag,
    value,
)


def _sum_all(**values: int) -> int:
    return sum(values.values())


def _scale(x: int, factor: int = 2) -> int:
    return x * factor


@does(_sum_all)
def total(a: int, b: int) -> int:
    """a plus b."""
    pass


@does(_scale, x="a")
def scaled_a(a: int, factor: int = 3) -> int:
    pass


@does(_scale, x="b", factor="a")
def b_times_a(a: int, b: int) -> int:
    """b, a times."""


@parameterize(twice_a={"x": source("a")}, twice_b={"x": source("b")})
@does(_scale)
def twice(x: int, factor: int = 2) -> int:
    """{x} doubled."""
    pass


@resolve(
    when=ResolveAt.CONFIG_AVAILABLE,
    decorate_with=lambda windows: parameterize(
        **{f"window_{w}": {"size": value(w)} for w in windows}
    ),
)
def window(a: int, size: int) -> int:
    """A window of {size}."""
    return a * size


@resolve_from_config(decorate_with=lambda tag_value="none": tag(source_of_truth=tag_value))
def tagged(a: int) -> int:
    return a + 1
