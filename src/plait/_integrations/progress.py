"""Progress bars for runs: ``tqdm`` (``plugins.h_tqdm.ProgressBar``) and ``rich``
(``plugins.h_rich.RichProgressBar``). Each bar counts the nodes a run executes.

Under dynamic execution a node of a ``Parallelizable`` block runs once per item, so the number
of nodes to run is not known in advance: there the bars count *tasks* instead (the tasks outside
blocks, plus each block's items once it has yielded them), so the total is right when the run
ends. Tasks are counted when they come back to the driver's process (``run_after_task_return``),
so the count is right with every executor, including worker processes (where a bar's copy does
nothing).

The libraries are imported when a bar is created. Imports ``plait._hooks`` and the standard
library.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from plait._hooks.lifecycle import (
    GraphExecutionHook,
    NodeExecutionHook,
    TaskGroupingHook,
    TaskReturnHook,
    TaskSubmissionHook,
)
from plait._integrations.require import require


def _outside_blocks(task_ids: list[str]) -> int:
    """How many of a run's tasks run outside blocks (``block-<p>`` stands for a block's items)."""
    return sum(not task_id.startswith("block-") for task_id in task_ids)


def _base(task_id: str) -> str:
    """An item task's block (``expand-p.3.block-p`` -> ``block-p``); other ids unchanged."""
    return task_id.rsplit(".", 1)[-1]


class ProgressBar(
    GraphExecutionHook, NodeExecutionHook, TaskGroupingHook, TaskSubmissionHook, TaskReturnHook
):
    """A ``tqdm`` bar per run: one step per node, the running node's name in the description.

    Under dynamic execution: one step per task (unit ``tasks``), the total growing by the number
    of items when a ``Parallelizable`` node has yielded them, and the task being submitted in the
    description (``block-<p>`` for the items of ``p``'s block).

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
        self._tasks = False  #: this run counts tasks (dynamic execution)

    def __getstate__(self) -> dict[str, Any]:
        """A copy sent to a worker process has no bar (tasks are counted in the driver)."""
        return {**self.__dict__, "_tqdm": None, "progress_bar": None, "kwargs": {}}

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
        self._tasks = False
        self.progress_bar = self._tqdm.tqdm(
            desc=self.desc, unit="funcs", total=len(execution_path), **self.kwargs
        )

    def run_after_task_grouping(self, *, task_ids: list[str], **future_kwargs: Any) -> None:
        """Dynamic execution: count the tasks outside blocks (items are added as they come)."""
        bar = self.progress_bar
        if bar is None:
            return
        self._tasks = True
        longest = max((len(_base(t)) for t in task_ids), default=0)
        self.node_name_target_width = min(
            max(self.node_name_target_width or 0, longest), self.max_node_name_width
        )
        bar.unit = "tasks"
        bar.total = _outside_blocks(task_ids)
        bar.refresh()

    def run_after_task_expansion(self, *, parameters: dict[str, Any], **kw: Any) -> None:
        """Add a block's items to the total."""
        if self.progress_bar is not None:
            self.progress_bar.total += len(parameters)
            self.progress_bar.refresh()

    def run_before_task_submission(self, *, task_id: str, **future_kwargs: Any) -> None:
        """Show the task about to run."""
        if self.progress_bar is not None:
            self.progress_bar.set_description_str(f"{self.desc} -> {self._fit(_base(task_id))}")

    def run_after_task_return(self, *, success: bool, **future_kwargs: Any) -> None:
        """Count the task, if it succeeded."""
        if success and self.progress_bar is not None:
            self.progress_bar.update(1)

    def run_before_node_execution(self, *, node_name: str, **future_kwargs: Any) -> None:
        """Show the node about to run (tasks are shown instead under dynamic execution)."""
        if not self._tasks and self.progress_bar is not None:
            self.progress_bar.set_description_str(f"{self.desc} -> {self._fit(node_name)}")

    def run_after_node_execution(self, **future_kwargs: Any) -> None:
        """Count the node (not under dynamic execution: there tasks are counted)."""
        if not self._tasks and self.progress_bar is not None:
            self.progress_bar.update(1)

    def run_after_graph_execution(self, **future_kwargs: Any) -> None:
        """Say the run is complete and close the bar."""
        if self.progress_bar is None:
            return
        done = "Execution Complete!".ljust(self.node_name_target_width or 0)  # never cut
        self.progress_bar.set_description_str(f"{self.desc} -> {done}")
        self.progress_bar.set_postfix({})
        self.progress_bar.close()


class RichProgressBar(GraphExecutionHook, NodeExecutionHook, TaskGroupingHook, TaskReturnHook):
    """A ``rich`` progress display: one task per run, advanced as each node finishes.

    Under dynamic execution the run's line counts the tasks outside blocks, and each
    ``Parallelizable`` node that yields adds a line counting its items.

    Parameters
    ----------
    run_desc
        The task's description (``"Running:"`` by default).
    collect_desc
        Description of the line counting a block's items under dynamic execution
        (``"Collecting:"``).
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
        self._tasks = False  #: this run counts tasks (dynamic execution)
        self._blocks: dict[str, Any] = {}  #: spawning task id -> the line counting its items

    def __getstate__(self) -> dict[str, Any]:
        """A copy sent to a worker process has no display (tasks are counted in the driver)."""
        return {**self.__dict__, "_progress": None}

    def run_before_graph_execution(
        self, *, execution_path: Collection[str], **future_kwargs: Any
    ) -> None:
        """Start the display with a task sized to the nodes that will run."""
        for task in list(self._progress.task_ids):  # a previous run's task
            self._progress.remove_task(task)
        self._task = self._progress.add_task(self._group_desc, total=len(execution_path))
        self._tasks, self._blocks = False, {}
        self._progress.start()

    def run_after_task_grouping(self, *, task_ids: list[str], **future_kwargs: Any) -> None:
        """Dynamic execution: the run's line counts the tasks outside blocks."""
        if self._progress is not None:
            self._tasks = True
            self._progress.update(self._task, total=_outside_blocks(task_ids))

    def run_after_task_expansion(
        self, *, task_id: str, parameters: dict[str, Any], **future_kwargs: Any
    ) -> None:
        """Add a line counting the block's items."""
        if self._progress is not None:
            line = self._progress.add_task(self._expand_desc, total=len(parameters))
            self._blocks[task_id] = line

    def run_after_task_return(
        self, *, success: bool, spawning_task_id: str | None = None, **future_kwargs: Any
    ) -> None:
        """Advance the run's line, or the block's for an item, if the task succeeded."""
        if success and self._progress is not None:
            line = self._blocks.get(spawning_task_id or "", self._task)
            self._progress.advance(line)

    def run_before_node_execution(self, **future_kwargs: Any) -> None:
        """Nothing: the display refreshes on its own."""

    def run_after_node_execution(self, **future_kwargs: Any) -> None:
        """Advance by one node (not under dynamic execution: there tasks are counted)."""
        if not self._tasks and self._progress is not None:
            self._progress.advance(self._task)

    def run_after_graph_execution(self, **future_kwargs: Any) -> None:
        """Stop the display (its last state stays on screen)."""
        if self._progress is not None:
            self._progress.stop()
