"""Ray (Hamilton's ``plugins.h_ray``): Ray tasks as the ``submit`` of Parallelizable blocks,
and a graph adapter that runs every node as a Ray task.

- :class:`RayTaskExecutor` runs the items of ``Parallelizable`` blocks as Ray tasks
  (``Builder().with_remote_executor(RayTaskExecutor(num_cpus=2))``). It starts Ray on first
  use unless Ray is running already or ``skip_init=True``. Arguments every item shares (the
  block, its inputs from outside the block) go to Ray's object store once per block. A task
  whose worker dies is retried by Ray (``max_retries``, 3 by default); past that the run fails
  with :class:`~plait._model.errors.ExecutorError`.
- :class:`RayGraphAdapter` submits every node as a Ray task as soon as it is reached (values
  flow between tasks as object references) and fetches the result at the end.

A node's exception reaches the caller with its own type (Ray's ``RayTaskError`` wrapper is
removed and kept as ``__cause__``). Functions travel with cloudpickle, as for
``MultiProcessingExecutor``: modules made in memory (``ad_hoc_utils``) go by value; Ray's
workers do not share this process's ``sys.path``, so a module found only through a path added
at run time needs ``cloudpickle.register_pickle_by_value(module)`` (or Ray's ``runtime_env``).

ray is imported when an object is created: ``pip install "plait[ray]"``. Imports
``plait._model``, ``plait._hooks``, ``plait._run.executors`` and the standard library.
"""

from __future__ import annotations

import concurrent.futures as cf
import functools
import json
from collections.abc import Callable, Mapping
from typing import Any

from plait._hooks.lifecycle import EdgeConnectionHook, GraphExecutionHook, NodeExecutionMethod
from plait._integrations import remote
from plait._integrations.remote import SharedHead
from plait._integrations.require import require
from plait._model.errors import ExecutorError
from plait._model.types import make_value_checker

_EXTRA = "ray"
#: Tags ``ray_remote.<option>`` (JSON values) become ``ray.remote`` options of the node's task.
RAY_REMOTE_TAG_NAMESPACE = "ray_remote"


def _ray(feature: str) -> Any:
    require("cloudpickle", _EXTRA, feature)
    return require("ray", _EXTRA, feature)


def _call(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


@functools.cache
def _remote(fn: Callable[..., Any]) -> Any:
    """``ray.remote(fn)``, made once per function (making one exports it to the cluster)."""
    import ray

    return ray.remote(fn)


class RayTaskExecutor:
    """Run the items of Parallelizable blocks as Ray tasks.

    Parameters
    ----------
    num_cpus
        CPUs for ``ray.init`` when this executor starts Ray (default: all).
    ray_init_config
        More keyword arguments for ``ray.init`` (``address=`` to join a cluster ...).
    skip_init
        Never call ``ray.init``: use the Ray you started.
    max_retries
        How many times Ray reruns a task whose worker died (Ray's default, 3).
    """

    def __init__(
        self,
        num_cpus: int | None = None,
        ray_init_config: Mapping[str, Any] | None = None,
        skip_init: bool = False,
        max_retries: int = 3,
    ) -> None:
        self._ray_module = _ray("plugins.h_ray.RayTaskExecutor")
        self.num_cpus = num_cpus
        self.ray_init_config = dict(ray_init_config or {})
        self.skip_init = skip_init
        self.max_retries = max_retries
        self._started = False
        self._head = SharedHead(self._ray_module.put)

    def init(self) -> None:
        """Start Ray unless it runs already or ``skip_init`` (also done by the first submit).

        With ``skip_init`` and no Ray running, Ray starts itself on the first task, with its
        own defaults (as in Hamilton).
        """
        ray = self._ray_module
        if self.skip_init or ray.is_initialized():
            return
        ray.init(num_cpus=self.num_cpus, **self.ray_init_config)
        self._started = True

    def finalize(self) -> None:
        """Drop shared arguments; shut Ray down if this executor started it."""
        self._head.clear()
        if self._started:
            self._ray_module.shutdown()
            self._started = False

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> cf.Future[Any]:
        """Submit ``fn(*args)`` as a Ray task; a :class:`concurrent.futures.Future` of it.

        Cancelling the future cancels the Ray task (``ray.cancel``).
        """
        self.init()
        head, rest = remote.split(fn, args)
        key, shared = self._head(head)
        task = _remote(remote.run_shared).options(max_retries=self.max_retries)
        ref = task.remote(key, shared, rest)
        return _relay(ref, self._ray_module)

    def __getstate__(self) -> dict[str, Any]:
        raise TypeError("RayTaskExecutor holds object references and cannot be pickled.")


def _relay(ref: Any, ray: Any) -> cf.Future[Any]:
    """A future with Ray's wrappers removed from the errors it delivers."""
    outer = remote.RemoteFuture(lambda: ray.cancel(ref))

    def relay(done: cf.Future[Any]) -> None:
        if outer.cancelled():
            return
        exc = done.exception()
        if exc is None:
            outer.deliver(done.result())
        else:
            outer.deliver(error=unwrap_ray_error(exc))

    ref.future().add_done_callback(relay)
    return outer


def unwrap_ray_error(exc: BaseException) -> BaseException:
    """The user's exception out of ``RayTaskError``; Ray's own failures as ExecutorError."""
    from ray.exceptions import RayError, RayTaskError

    if isinstance(exc, RayTaskError):
        cause = exc.cause
        if isinstance(cause, RayTaskError):  # an upstream task's failure, passed on
            return unwrap_ray_error(cause)
        if isinstance(cause, BaseException):
            if cause.__cause__ is None:
                cause.__cause__ = exc  # Ray's error carries the remote traceback
            return cause
        return exc
    if isinstance(exc, RayError):
        error = ExecutorError(
            f"Ray could not run a task ({type(exc).__name__}): its worker or node died, ran out "
            "of memory, or lost the task's data, and the retries (max_retries) were used up. "
            "Check memory use, or run the block with MultiThreadingExecutor to see the error."
        )
        error.__cause__ = exc
        return error
    return exc


def remote_options(tags: Mapping[str, Any]) -> dict[str, Any]:
    """``ray.remote`` options from a node's ``ray_remote.<option>`` tags (JSON values)."""
    prefix = f"{RAY_REMOTE_TAG_NAMESPACE}."
    return {k[len(prefix) :]: json.loads(v) for k, v in tags.items() if k.startswith(prefix)}


class RayGraphAdapter(NodeExecutionMethod, EdgeConnectionHook, GraphExecutionHook):
    """Run every node as a Ray task and fetch the result at the end.

    Parameters
    ----------
    result_builder
        Combines the outputs (required, as in Hamilton), e.g. ``base.DictResult()``.
    ray_init_config
        If given, ``ray.init(**ray_init_config)`` is called now (otherwise start Ray yourself,
        or let Ray start itself on first use).
    shutdown_ray_on_completion
        Call ``ray.shutdown()`` after each run.
    """

    def __init__(
        self,
        result_builder: Any,
        ray_init_config: Mapping[str, Any] | None = None,
        shutdown_ray_on_completion: bool = False,
    ) -> None:
        self._ray_module = _ray("plugins.h_ray.RayGraphAdapter")
        if not result_builder:
            raise ValueError(
                "RayGraphAdapter needs a result_builder, e.g. base.DictResult() or "
                "base.PandasDataFrameResult()."
            )
        self.result_builder = result_builder
        self.shutdown_ray_on_completion = shutdown_ray_on_completion
        if ray_init_config is not None:
            self._ray_module.init(**ray_init_config)

    def run_to_execute_node(
        self,
        *,
        node_name: str,
        node_tags: dict[str, Any],
        node_callable: Any,
        node_kwargs: dict[str, Any],
        **future_kwargs: Any,
    ) -> Any:
        """Submit the node as a Ray task; its object reference is the node's value."""
        options = remote_options(node_tags)
        task = _remote(_call)
        if options:
            task = task.options(**options)
        return task.remote(remote.NodeCall(node_callable, node_name), **node_kwargs)

    def build_result(self, **outputs: Any) -> Any:
        """Combine the outputs in a Ray task and fetch the result into this process."""
        ref = _remote(_call).remote(self.result_builder.build_result, **outputs)
        try:
            return self._ray_module.get(ref)
        except Exception as exc:
            error = unwrap_ray_error(exc)
            if error is exc:
                raise
            raise error  # noqa: B904 - its __cause__ is Ray's error, set by unwrap_ray_error

    def validate_input(self, node_type: Any, input_value: Any, **kwargs: Any) -> bool:
        """Object references are accepted for any annotation; other values as usual."""
        if isinstance(input_value, self._ray_module.ObjectRef):
            return True
        check = make_value_checker(node_type)
        return check is None or check(input_value)

    def check_edge_types_match(self, type_from: Any, type_to: Any, **kwargs: Any) -> bool:
        """No edges beyond plait's type rules."""
        return bool(type_from == type_to)

    def run_before_graph_execution(self, **future_kwargs: Any) -> None:
        """Nothing before a run."""

    def run_after_graph_execution(self, **future_kwargs: Any) -> None:
        """Shut Ray down if asked to."""
        if self.shutdown_ray_on_completion:
            self._ray_module.shutdown()
