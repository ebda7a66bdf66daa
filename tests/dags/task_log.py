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


def check_items_reach_task_hooks(blocks_module: Any, make_executor: Any) -> None:
    """Run ``cluster_flow``'s block with the executor ``make_executor()`` gives, passed directly
    and through a ``DefaultExecutionManager``: every item is one task whose submission and return
    hooks ran here, in the driver, and the Collect node ran here too."""
    from plait import driver
    from plait.execution import executors

    inputs = {"n": 4, "factor": 2, "offset": 1}
    for routed in (False, True):
        log = TaskLog()
        builder = driver.Builder().with_modules(blocks_module).with_adapters(log)
        builder = builder.enable_dynamic_execution(allow_experimental_mode=True)
        executor = make_executor()
        if routed:
            manager = executors.DefaultExecutionManager(remote_executor=executor)
            builder = builder.with_execution_manager(manager)
        else:
            builder = builder.with_remote_executor(executor)
        assert builder.build().execute(["total"], inputs=inputs) == {"total": 16}
        assert log.returned_items() == {
            f"expand-items.{i}.block-items": {"shifted": 2 * i + 1} for i in range(4)
        }
        assert ("node", "total", "collect-items") in log.calls  # ran here, in the driver
