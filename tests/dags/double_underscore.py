"""A function named with a double underscore, without any decorator.

Only ``@config.when`` & co. strip the ``__suffix``; a plain ``score__raw`` defines the node
``score__raw``, and ``score`` (asked for by ``score_label``) is then an external input.
"""


def score__raw(points: int) -> int:
    """Defines node ``score__raw``."""
    return points * 2


def score_label(score: int) -> str:
    """Consumes ``score``, which no function here defines."""
    return f"score:{score}"
