"""A small dataflow for the built-in lifecycle adapters: a failing branch, a mistyped node,
optional dependencies."""


class Flaky(Exception):
    """The failure GracefulErrorAdapter is told to catch."""


def base(x: int) -> int:
    return x + 1


def doubled(base: int) -> int:
    return base * 2


def broken(base: int) -> int:
    raise Flaky(f"broken at {base}")


def after_broken(broken: int) -> int:
    return broken + 1


def optional_broken(base: int, broken: int = 100) -> int:
    return base + broken


def summary(doubled: int, after_broken: int) -> dict:
    return {"doubled": doubled, "after_broken": after_broken}


def mistyped(base: int) -> str:
    return base  # type: ignore[return-value]  # returns an int on purpose


def shout(mistyped: str) -> str:
    return f"{mistyped}!"


def items(base: int) -> list[int]:
    return [base, "two"]  # type: ignore[list-item]  # a str among ints on purpose


def lookup(x: int) -> int:
    return {1: 10}[x]
