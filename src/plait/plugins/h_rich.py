"""rich progress display (Hamilton's ``plugins.h_rich``): ``RichProgressBar``.

rich is imported when the display is created: ``pip install "plait[rich]"``.
"""

from plait._integrations.progress import RichProgressBar

__all__ = ["RichProgressBar"]
