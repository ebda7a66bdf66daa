"""Dask (Hamilton's ``plugins.h_dask``): a ``distributed.Client`` as the ``submit`` of
Parallelizable blocks, and a graph adapter that turns every node into a dask task.

- :class:`DaskExecutor` runs the items of ``Parallelizable`` blocks on the cluster
  (``Builder().with_remote_executor(DaskExecutor(client=client))``). Arguments every item shares
  (the block, its inputs from outside the block) are scattered to the cluster once per block.
  A task whose worker dies is retried by dask's scheduler on another worker (up to
  ``distributed.scheduler.allowed-failures`` times, 3 by default); past that the run fails with
  :class:`~plait._model.errors.ExecutorError`, caused by dask's ``KilledWorker``.
- :class:`DaskGraphAdapter` delegates every node to dask (``dask.delayed`` by default) and
  builds the result at the end, computed on the client's cluster unless told not to.
- :class:`DaskDataFrameResult` combines outputs into one dask DataFrame.

Functions travel with cloudpickle, as for ``MultiProcessingExecutor`` (modules made in memory,
e.g. by ``ad_hoc_utils``, go by value). dask is imported when an object is created:
``pip install "plait[dask]"``. Imports ``plait._model``, ``plait._hooks``,
``plait._run.executors`` and the standard library; the default result builder of
:class:`DaskGraphAdapter` comes from ``plait._api.results``, imported when it is needed.
"""

from __future__ import annotations

import concurrent.futures as cf
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from plait._hooks.lifecycle import LegacyEdgeChecks, NodeExecutionMethod
from plait._integrations import remote
from plait._integrations.remote import SharedHead
from plait._integrations.require import require
from plait._model.errors import ExecutorError
from plait._model.types import make_value_checker

_EXTRA = "dask"


def _distributed(feature: str) -> Any:
    return require("dask.distributed", _EXTRA, feature)


class DaskExecutor:
    """Run the items of Parallelizable blocks as tasks of a ``dask.distributed.Client``.

    Parameters
    ----------
    client
        A connected client. It belongs to the caller: :meth:`finalize` does not close it.
    scatter_shared
        Send arguments that every item of a block shares (the block's steps and its inputs
        from outside the block) to the cluster once, not once per item (default True), when
        they are large: pickled, over ``SCATTER_MIN_BYTES``. Smaller ones travel inside each
        task, which costs less than the scatter's round trip to every worker.
    """

    #: Shared arguments pickled to fewer bytes than this are not scattered (see above).
    SCATTER_MIN_BYTES = 256 * 1024
    #: While a block runs without errors, its finished results are fetched at most this often
    #: (and all at the end), so a block shorter than this is fetched once, as
    #: ``client.gather`` would. A fetch makes every worker holding a result answer it while
    #: running its next tasks: fetching each as it finished cost pure-Python tasks ~4% of
    #: their time. Errors are delivered at once.
    FETCH_EVERY_S = 0.5

    def __init__(self, *, client: Any, scatter_shared: bool = True) -> None:
        distributed = _distributed("plugins.h_dask.DaskExecutor")
        if not isinstance(client, distributed.Client):
            raise TypeError(
                f"DaskExecutor(client=...) takes a dask.distributed.Client, got "
                f"{type(client).__qualname__}. Create one with Client(LocalCluster()) or "
                "Client('tcp://scheduler:8786')."
            )
        self.client = client
        self.scatter_shared = scatter_shared
        # broadcast: every worker runs items and needs a copy; a lost worker loses no data
        self._head = SharedHead(self._scatter if scatter_shared else _inline)

    def _scatter(self, data: bytes) -> Any:
        if len(data) < self.SCATTER_MIN_BYTES:
            return data
        return self.client.scatter(data, hash=False, broadcast=True)

    def init(self) -> None:
        """Nothing to start: the client is the caller's."""

    def finalize(self) -> None:
        """Release scattered arguments (the client stays open: it is the caller's)."""
        self._head.clear()

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> cf.Future[Any]:
        """Submit ``fn(*args)`` to the cluster; a :class:`concurrent.futures.Future` of it.

        Cancelling the future cancels the dask task.
        """
        head, rest = remote.split(fn, args)
        key, shared = self._head(head)
        task = self.client.submit(remote.run_shared, key, shared, rest, pure=False)
        return _relay(task)

    def submit_many(
        self, fn: Callable[..., Any], arg_tuples: Sequence[tuple[Any, ...]]
    ) -> list[cf.Future[Any]]:
        """Submit ``fn(*args)`` for each ``args`` in one batch (``client.map``): the items of
        a block, sent together, cost the client and the scheduler less than one submit each."""
        if not arg_tuples:
            return []
        keys, shared, rests = [], [], []
        for args in arg_tuples:
            head, rest = remote.split(fn, args)
            key, handle = self._head(head)  # one block: the same head for every item
            keys.append(key)
            shared.append(handle)
            rests.append(rest)
        tasks = self.client.map(remote.run_shared, keys, shared, rests, pure=False)
        return _relay_all(tasks, self.client, self.FETCH_EVERY_S)

    def __getstate__(self) -> dict[str, Any]:
        raise TypeError("DaskExecutor holds a live client and cannot be pickled.")


def _inline(data: bytes) -> bytes:
    return data


def _relay(task: Any) -> cf.Future[Any]:
    """A concurrent future that follows a dask future, explaining lost workers."""
    outer = remote.RemoteFuture(task.cancel)

    def relay(done: Any) -> None:
        if outer.cancelled():
            return
        try:
            value = done.result()
        except BaseException as exc:  # delivered through the future, like a pool would
            outer.deliver(error=_explain(exc, done.key))
        else:
            outer.deliver(value)

    task.add_done_callback(relay)
    return outer


def _relay_all(tasks: list[Any], client: Any, fetch_every_s: float) -> list[cf.Future[Any]]:
    """Concurrent futures following ``tasks`` (of ``client``), fed by one thread.

    A failed or cancelled task is delivered at once; finished results are fetched together
    (at most every ``fetch_every_s``), and, once a task has failed, as soon as they finish,
    so the loop can take what came before the failure and stop.
    """
    import threading

    relay = _Relay(tasks, client, fetch_every_s)
    threading.Thread(target=relay.pump, name="plait-dask-results", daemon=True).start()
    return [relay.outers[task.key] for task in tasks]


class _Relay:
    def __init__(self, tasks: list[Any], client: Any, fetch_every_s: float) -> None:
        self.tasks = tasks
        self.client = client
        self.fetch_every_s = fetch_every_s
        self.outers = {task.key: remote.RemoteFuture(task.cancel) for task in tasks}

    def pump(self) -> None:
        """Deliver every task's outcome (run on its own thread)."""
        import queue
        import time

        finished: queue.SimpleQueue[Any] = queue.SimpleQueue()
        try:
            for task in self.tasks:  # dask calls back on its own thread, in finishing order
                task.add_done_callback(finished.put)
            ready: list[Any] = []  # finished, result not fetched yet
            failed, fetched, left = False, time.monotonic(), len(self.tasks)
            while left:
                wait = (
                    None if not ready else max(0.0, fetched + self.fetch_every_s - time.monotonic())
                )
                try:
                    task = finished.get(timeout=wait)
                except queue.Empty:  # results held long enough: fetch them now
                    task = None
                else:
                    left -= 1
                    if task.status == "finished":
                        ready.append(task)
                    else:
                        failed = True
                        _deliver(self.outers[task.key], task)
                due = task is None or time.monotonic() - fetched >= self.fetch_every_s
                if ready and (due or failed or not left):
                    self.fetch(ready)
                    ready, fetched = [], time.monotonic()
        except BaseException as exc:  # the client closed, ...: nobody may wait forever
            for outer in self.outers.values():
                outer.deliver(error=exc)

    def fetch(self, finished: list[Any]) -> None:
        """The results of ``finished`` tasks, in one round trip."""
        try:
            values = self.client.gather(finished)
        except BaseException:  # e.g. a result lost with its worker: each task says its own
            for task in finished:
                _deliver(self.outers[task.key], task)
            return
        for task, value in zip(finished, values, strict=True):
            self.outers[task.key].deliver(value)


def _deliver(outer: remote.RemoteFuture, task: Any) -> None:
    """``task``'s own outcome (one round trip) into ``outer``."""
    if task.status == "cancelled":
        outer.deliver(error=cf.CancelledError(f"dask task {task.key} cancelled"))
        return
    try:
        value = task.result()
    except BaseException as exc:
        outer.deliver(error=_explain(exc, task.key))
    else:
        outer.deliver(value)


def _explain(exc: BaseException, key: Any) -> BaseException:
    """Dask's infrastructure failures as :class:`ExecutorError`; user errors unchanged."""
    name = type(exc).__name__
    if name == "KilledWorker":
        error = ExecutorError(
            f"Dask task {key!r} was running on workers that died too many times (the limit is "
            "the 'distributed.scheduler.allowed-failures' setting); the run was stopped. A task "
            "that exhausts a worker's memory or crashes native code kills every worker it runs "
            "on: check its memory use, or run it with MultiThreadingExecutor to see the error."
        )
    elif isinstance(exc, cf.CancelledError):
        error = ExecutorError(
            f"Dask task {key!r} was cancelled: its input data was lost with the workers that "
            "held it, or the client was closed or the cluster restarted during the run."
        )
    else:
        return exc
    error.__cause__ = exc
    return error


class DaskGraphAdapter(NodeExecutionMethod, LegacyEdgeChecks):
    """Run every node on dask and build the result at the end.

    Parameters
    ----------
    dask_client
        The client whose cluster computes the result (None: dask's default scheduler).
    result_builder
        Combines the outputs (default: ``base.PandasDataFrameResult()``, as in Hamilton). Use
        :class:`DaskDataFrameResult` for a dask DataFrame.
    visualize_kwargs
        If given, ``visualize(**visualize_kwargs)`` is called on the result's task graph
        (needs graphviz).
    use_delayed
        Wrap every node in ``dask.delayed`` (True), or call nodes directly, for modules whose
        functions already return lazy dask collections (False).
    compute_at_end
        Compute the result and return it (True), or return it lazy (False).

    With ``use_delayed=True`` a node's error surfaces when the result is computed, with its
    own type and a note naming the node.
    """

    def __init__(
        self,
        dask_client: Any = None,
        result_builder: Any = None,
        visualize_kwargs: dict[str, Any] | None = None,
        use_delayed: bool = True,
        compute_at_end: bool = True,
    ) -> None:
        self._dask = require("dask", _EXTRA, "plugins.h_dask.DaskGraphAdapter")
        self.client = dask_client
        self.result_builder = (
            result_builder if result_builder is not None else _pandas_frame_result()
        )
        self.visualize_kwargs = visualize_kwargs
        self.use_delayed = use_delayed
        self.compute_at_end = compute_at_end

    def run_to_execute_node(
        self,
        *,
        node_name: str,
        node_callable: Any,
        node_kwargs: dict[str, Any],
        **future_kwargs: Any,
    ) -> Any:
        """A ``Delayed`` for the node (keyed by its name), or its value without delayed."""
        if not self.use_delayed:
            return node_callable(**node_kwargs)
        from dask.delayed import delayed

        key = f"{node_name}-{uuid.uuid4().hex}"  # unique, without hashing the arguments' data
        return delayed(remote.NodeCall(node_callable, node_name), name=f"{key}-fn", pure=False)(
            **node_kwargs, dask_key_name=key
        )

    def execute_node(self, node: Any, kwargs: dict[str, Any]) -> Any:
        """Hamilton's legacy entry point: the same as :meth:`run_to_execute_node`."""
        return self.run_to_execute_node(
            node_name=node.name, node_callable=node.callable, node_kwargs=kwargs
        )

    def build_result(self, **outputs: Any) -> Any:
        """Combine the outputs; compute them on the cluster if ``compute_at_end``."""
        build = self.result_builder.build_result
        if self.use_delayed:
            result = self._dask.delayed(build, pure=False)(**outputs)
        else:
            result = build(**outputs)
        if self.visualize_kwargs is not None:
            result.visualize(**self.visualize_kwargs)
        if not self.compute_at_end:
            return result
        if self.client is not None:
            return self.client.compute(result, sync=True)
        (value,) = self._dask.compute(result)
        return value

    def validate_input(self, node_type: Any, input_value: Any, **kwargs: Any) -> bool:
        """Lazy dask values are accepted for any annotation; others as usual."""
        if self._dask.is_dask_collection(input_value):
            return True
        check = make_value_checker(node_type)
        return check is None or check(input_value)

    def check_edge_types_match(self, type_from: Any, type_to: Any, **kwargs: Any) -> bool:
        """A dask Series/DataFrame/Array may feed a pandas Series/DataFrame or numpy array
        parameter, and the other way round."""
        for lazy, eager in ((type_from, type_to), (type_to, type_from)):
            kind = _dask_kind(lazy)
            if kind is not None and kind == _dask_kind(eager, lazy=False):
                return True
        return False


def _dask_kind(tp: Any, lazy: bool = True) -> str | None:
    """``"series"``/``"frame"``/``"array"`` for dask (``lazy``) or pandas/numpy types."""
    if not isinstance(tp, type):
        return None
    if lazy:
        if not tp.__module__.startswith("dask."):
            return None
        import dask.array as da
        import dask.dataframe as dd

        kinds: tuple[tuple[type, str], ...] = (
            (dd.Series, "series"), (dd.DataFrame, "frame"), (da.Array, "array"),
        )  # fmt: skip
    else:
        import numpy as np
        import pandas as pd

        kinds = ((pd.Series, "series"), (pd.DataFrame, "frame"), (np.ndarray, "array"))
    for cls, kind in kinds:
        if issubclass(tp, cls):
            return kind
    return None


def _pandas_frame_result() -> Any:
    """Hamilton's default result builder for this adapter: a pandas DataFrame."""
    # The result builders live in plait._api; a plug-in may not import it at module level.
    from plait._api.results import PandasDataFrameResult

    return PandasDataFrameResult()


class DaskDataFrameResult:
    """Combine outputs into one dask DataFrame (joined on the index, outer).

    dask and pandas Series become columns; a DataFrame output ``df`` contributes columns
    ``df.<column>``; numpy arrays and lists become columns by position; scalars (and dask
    Scalars) are broadcast along the index. A single partition is used for converted pandas
    values.
    """

    @staticmethod
    def build_result(**outputs: Any) -> Any:
        """The dask DataFrame of ``outputs`` (lazy)."""
        if not outputs:
            raise ValueError("No outputs were requested: there is nothing to make a frame of.")
        dd = require("dask.dataframe", _EXTRA, "plugins.h_dask.DaskDataFrameResult")
        frames: list[Any] = []
        scalars: dict[str, Any] = {}
        order: list[Any] = []  # the columns, in the order of the outputs
        for name, value in outputs.items():
            frame = _as_dask_columns(dd, name, value)
            if frame is None:
                scalars[name] = value
                order.append(name)
            else:
                frames.append(frame)
                order.extend([frame.name] if isinstance(frame, dd.Series) else frame.columns)
        if not frames:
            import pandas as pd

            return dd.from_pandas(pd.DataFrame({k: [v] for k, v in scalars.items()}), 1)
        result = dd.concat(frames, axis=1, join="outer") if len(frames) > 1 else frames[0]
        if isinstance(result, dd.Series):
            result = result.to_frame()
        if scalars:
            result = result.assign(**scalars)
        return result[order]

    def input_types(self) -> list[Any]:
        """Any output type."""
        return [Any]

    def output_type(self) -> Any:
        """``dask.dataframe.DataFrame``."""
        return require("dask.dataframe", _EXTRA, "DaskDataFrameResult").DataFrame


def _as_dask_columns(dd: Any, name: str, value: Any) -> Any:
    """``value`` as a dask Series/DataFrame with output-named columns; None for scalars."""
    import numpy as np
    import pandas as pd

    if isinstance(value, (pd.Series, pd.DataFrame)):
        value = dd.from_pandas(value, npartitions=1)
    elif isinstance(value, (np.ndarray, list, tuple)):
        value = dd.from_array(np.asarray(value))
    if isinstance(value, dd.Series):
        return value.rename(name)
    if isinstance(value, dd.DataFrame):
        return value.rename(columns={c: f"{name}.{c}" for c in value.columns})
    return None
