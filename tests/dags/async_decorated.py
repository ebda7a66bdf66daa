"""``async def`` functions under decorators that add nodes around them."""

import asyncio

from plait.function_modifiers import (
    check_output,
    extract_fields,
    parameterize,
    pipe_input,
    pipe_output,
    step,
    tag,
    value,
)


def _double(v: int) -> int:
    return 2 * v


@tag(owner="io")
async def base_value(x: int) -> int:
    """A tagged async node."""
    await asyncio.sleep(0)
    return x + 1


@extract_fields({"low": int, "high": int})
async def bounds(base_value: int) -> dict:
    """Two fields from one awaited dict."""
    await asyncio.sleep(0)
    return {"low": base_value, "high": 10 * base_value}


@parameterize(times_two={"k": value(2)}, times_three={"k": value(3)})
async def scaled(base_value: int, k: int) -> int:
    """One async function, two nodes."""
    await asyncio.sleep(0)
    return base_value * k


@check_output(range=(0, 100))
async def checked(base_value: int) -> int:
    """Validated after it is awaited."""
    await asyncio.sleep(0)
    return base_value


@pipe_input(step(_double))
async def piped_in(base_value: int) -> int:
    """Its input goes through _double first."""
    await asyncio.sleep(0)
    return base_value + 1


@pipe_output(step(_double))
async def piped_out(base_value: int) -> int:
    """Its output goes through _double."""
    await asyncio.sleep(0)
    return base_value + 1
