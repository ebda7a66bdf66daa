"""Progress bars for runs: ``tqdm`` (``plugins.h_tqdm.ProgressBar``) and ``rich``
(``plugins.h_rich.RichProgressBar``). Each bar counts the nodes a run executes.

The libraries are imported when a bar is created. Imports ``plait._hooks`` and the standard
library.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from plait._hooks.lifecycle import GraphExecutionHook, NodeExecutionHook
from plait._integrations.require import require


class ProgressBar(GraphExecutionHook, NodeExecutionHook):
    """A ``tqdm`` bar per run: one step per node, the running node's name in the description.

    Parameters
    ----------
    desc
        Text before the node name (the dataflow's name is a good choice).
    max_node_name_width
        Node names are padded (or cut, with ``...``) to the longest name of the first run,
        at most this many characters, so the bar does not jump.
    **kwargs
        Passed to ``tqdm.tqdm`` (``file=``, ``leave=``, ``disable=``, ``ncols=``...).
    """

    def __init__(
        self, desc: str = "Graph execution", max_node_name_width: int = 50, **kwargs: Any
    ) -> None:
        self._tqdm = require("tqdm", "tqdm", "plugins.h_tqdm.ProgressBar")
        self.desc = desc
        self.kwargs = kwargs
        self.max_node_name_width = max_node_name_width
        self.node_name_target_width: int | None = None
        self.progress_bar: Any = None

    def _fit(self, text: str) -> str:
        width = self.node_name_target_width or len(text)
        if len(text) > width:
            text = text[: max(width - 3, 0)] + "..."
        return text.ljust(width)

    def run_before_graph_execution(
        self, *, execution_path: Collection[str], **future_kwargs: Any
    ) -> None:
        """Open a bar sized to the nodes that will run."""
        if self.node_name_target_width is None:
            longest = max((len(name) for name in execution_path), default=0)
            self.node_name_target_width = min(longest, self.max_node_name_width)
        self.progress_bar = self._tqdm.tqdm(
            desc=self.desc, unit="funcs", total=len(execution_path), **self.kwargs
        )

    def run_before_node_execution(self, *, node_name: str, **future_kwargs: Any) -> None:
        """Show the node about to run."""
        self.progress_bar.set_description_str(f"{self.desc} -> {self._fit(node_name)}")

    def run_after_node_execution(self, **future_kwargs: Any) -> None:
        """Count the node."""
        self.progress_bar.update(1)

    def run_after_graph_execution(self, **future_kwargs: Any) -> None:
        """Say the run is complete and close the bar."""
        if self.progress_bar is None:
            return
        done = "Execution Complete!".ljust(self.node_name_target_width or 0)  # never cut
        self.progress_bar.set_description_str(f"{self.desc} -> {done}")
        self.progress_bar.set_postfix({})
        self.progress_bar.close()


class RichProgressBar(GraphExecutionHook, NodeExecutionHook):
    """A ``rich`` progress display: one task per run, advanced as each node finishes.

    Parameters
    ----------
    run_desc
        The task's description (``"Running:"`` by default).
    collect_desc
        Description of the per-block task of dynamic execution (``"Collecting:"``); kept for
        Hamilton's signature, used when ``Parallelizable`` blocks report progress.
    columns
        ``rich.progress`` columns (rich's defaults if empty).
    **kwargs
        Passed to ``rich.progress.Progress`` (``console=``, ``transient=``...).
    """

    def __init__(
        self,
        run_desc: str = "",
        collect_desc: str = "",
        columns: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        progress = require("rich.progress", "rich", "plugins.h_rich.RichProgressBar")
        self._group_desc = run_desc or "Running:"
        self._expand_desc = collect_desc or "Collecting:"
        self._progress: Any = progress.Progress(*(columns or []), **kwargs)
        self._task: Any = None

    def run_before_graph_execution(
        self, *, execution_path: Collection[str], **future_kwargs: Any
    ) -> None:
        """Start the display with a task sized to the nodes that will run."""
        for task in list(self._progress.task_ids):  # a previous run's task
            self._progress.remove_task(task)
        self._task = self._progress.add_task(self._group_desc, total=len(execution_path))
        self._progress.start()

    def run_before_node_execution(self, **future_kwargs: Any) -> None:
        """Nothing: the display refreshes on its own."""

    def run_after_node_execution(self, **future_kwargs: Any) -> None:
        """Advance by one node."""
        self._progress.advance(self._task)

    def run_after_graph_execution(self, **future_kwargs: Any) -> None:
        """Stop the display (its last state stays on screen)."""
        self._progress.stop()
