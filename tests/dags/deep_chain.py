"""A 3,000-step chain ``step_0 -> step_1 -> ... -> step_2999``, built at import.

Hamilton executes it recursively (RecursionError); plait must run it. The functions are
generated from source so they still belong to this module like hand-written ones.
"""

DEPTH = 3000


def step_0(chain_start: int) -> int:
    """Head of the chain."""
    return chain_start


def _define_chain(depth: int) -> None:
    namespace = globals()
    for i in range(1, depth):
        source = f"def step_{i}(step_{i - 1}: int) -> int:\n    return step_{i - 1} + 1\n"
        exec(compile(source, __file__, "exec"), namespace)


_define_chain(DEPTH)
