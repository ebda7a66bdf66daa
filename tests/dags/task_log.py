"""A picklable adapter recording task hooks, for runs whose items go to other processes.

Submission and return hooks run in the driver's process, so their records stay in ``calls``;
execution and node hooks run where the items run (their records stay there).
"""

from typing import Any

from plait import lifecycle


class TaskLog(
    lifecycle.TaskSubmissionHook,
    lifecycle.TaskReturnHook,
    lifecycle.TaskExecutionHook,
    lifecycle.NodeExecutionHook,
):
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, Any]] = []

    def run_before_task_submission(self, *, task_id: str, inputs: Any, **kwargs: Any) -> None:
        self.calls.append(("submit", task_id, inputs))

    def run_after_task_return(self, *, task_id: str, result: Any, **kwargs: Any) -> None:
        self.calls.append(("return", task_id, result))

    def run_before_task_execution(self, *, task_id: str, **kwargs: Any) -> None:
        self.calls.append(("before", task_id, None))

    def run_after_task_execution(self, *, task_id: str, **kwargs: Any) -> None:
        self.calls.append(("after", task_id, None))

    def run_before_node_execution(self, *, node_name: str, task_id: Any, **kwargs: Any) -> None:
        self.calls.append(("node", node_name, task_id))

    def run_after_node_execution(self, **kwargs: Any) -> None:
        pass

    def returned_items(self) -> dict[str, Any]:
        """``{item task id: its result}`` of the item tasks that came back."""
        return {t: r for hook, t, r in self.calls if hook == "return" and ".block-" in t}
