"""tqdm progress bars (Hamilton's ``plugins.h_tqdm``): ``ProgressBar``.

tqdm is imported when a bar is created: ``pip install "plait[tqdm]"``.
"""

from plait._integrations.progress import ProgressBar

__all__ = ["ProgressBar"]
