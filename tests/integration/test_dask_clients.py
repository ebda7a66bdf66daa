"""DaskExecutor with a client that is not dask's default one.

Its own module: dask's *default* client is process-wide, and the other Dask tests keep one
open for their whole module. Here the clients are made with ``set_as_default=False``, so the
executor must use the client it was given for everything, including waiting for results.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from types import ModuleType

import pytest

distributed = pytest.importorskip("dask.distributed")

from plait import ad_hoc_utils, driver  # noqa: E402
from plait.htypes import Collect, Parallelizable  # noqa: E402
from plait.plugins import h_dask  # noqa: E402

pytestmark = pytest.mark.dask


def numbers(n: int) -> Parallelizable[int]:
    yield from range(n)


def squared(numbers: int) -> int:
    return numbers * numbers


def squares(squared: Collect[int]) -> list[int]:
    return list(squared)


@pytest.fixture(scope="module")
def module() -> Iterator[ModuleType]:
    made = ad_hoc_utils.create_temporary_module(numbers, squared, squares)
    yield made
    sys.modules.pop(made.__name__, None)


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        yield cluster


def _on(client: object, module: ModuleType) -> driver.Driver:
    return (
        driver.Builder()
        .with_modules(module)
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(h_dask.DaskExecutor(client=client))
        .build()
    )


def test_a_client_that_is_not_the_default_runs_blocks(cluster, module):
    with distributed.Client(cluster, set_as_default=False) as client:
        assert distributed.client._get_global_client() is None  # no default client exists
        result = _on(client, module).execute(["squares"], inputs={"n": 6})
    assert result == {"squares": [0, 1, 4, 9, 16, 25]}


def test_two_clients_each_driver_uses_its_own(cluster, module):
    # the default client is `first`; `second`'s results must still be waited for on its loop
    with (
        distributed.Client(cluster) as first,
        distributed.Client(cluster, set_as_default=False) as second,
    ):
        on_first, on_second = _on(first, module), _on(second, module)
        for n in range(1, 21):
            want = {"squares": [i * i for i in range(n)]}
            assert on_second.execute(["squares"], inputs={"n": n}) == want
            assert on_first.execute(["squares"], inputs={"n": n}) == want
