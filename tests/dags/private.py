"""Only the public functions defined here are nodes.

``_normalise`` is a helper (leading underscore); ``sqrt`` and ``dedent`` are imported;
``Summary`` is a class; ``THRESHOLD`` a constant. None of them may become a node.
"""

from math import sqrt
from textwrap import dedent

THRESHOLD = 0.5

# Hamilton ignores __all__: clean_text is a node although it is not listed here.
__all__ = ["root_word_count", "word_count"]


def _normalise(text: str) -> str:
    return " ".join(text.split()).lower()


class Summary:
    """A plain class, not a node."""

    def __init__(self, words: int) -> None:
        self.words = words


def clean_text(text: str) -> str:
    """Collapsed, lower-cased text."""
    return _normalise(dedent(text))


def word_count(clean_text: str) -> int:
    """Number of words."""
    return len(clean_text.split())


def root_word_count(word_count: int) -> float:
    """Square root of the word count."""
    return sqrt(word_count)


def _unused_private(word_count: int) -> int:
    return word_count
