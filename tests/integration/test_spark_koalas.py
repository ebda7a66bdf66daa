"""h_spark.SparkKoalasGraphAdapter and KoalasDataFrameResult: pandas dataflows on pandas-on-Spark.

pandas-on-Spark (``pyspark.pandas``) needs pandas < 3, and the test extras install pandas 3. So
the tests run where ``pyspark.pandas`` imports; where it does not, one test installs pandas 2.3.3
into a directory put first on ``PYTHONPATH`` and runs this module again in a subprocess, on a
real local Spark session, side by side with apache-hamilton's adapter. With pandas 3 the
adapter's error is checked too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

pytest.importorskip("pyspark.sql")

from plait import ad_hoc_utils, base, driver
from plait.errors import UnsupportedAdapterError
from plait.plugins import h_spark

pytestmark = [
    pytest.mark.spark,
    # pandas-on-Spark's advice on every to_pandas(); the data here is five rows
    pytest.mark.filterwarnings("ignore:`to_pandas` loads all data"),
]

try:
    import pyspark.pandas as ps
except ImportError:
    ps = None

ROOT = Path(__file__).resolve().parents[2]
PANDAS_2 = "pandas==2.3.3"


def spend_per_signup(spend: pd.Series, signups: pd.Series) -> pd.Series:
    return spend / signups


def spend_zero_mean(spend: pd.Series) -> pd.Series:
    return spend - spend.mean()


def total_signups(signups: pd.Series) -> int:
    return int(signups.sum())


FUNCTIONS = (spend_per_signup, spend_zero_mean, total_signups)
OUTPUTS = ["spend", "spend_per_signup", "spend_zero_mean", "total_signups"]
DATA = pd.DataFrame({"spend": [10.0, 10.0, 20.0, 40.0, 40.0], "signups": [1, 4, 5, 8, 2]})


def _module(package: str = "plait") -> ModuleType:
    if package == "plait":
        return ad_hoc_utils.create_temporary_module(*FUNCTIONS)
    from hamilton import ad_hoc_utils as hamilton_ad_hoc

    return hamilton_ad_hoc.create_temporary_module(*FUNCTIONS)


if ps is None:

    def test_without_pandas_on_spark_the_adapter_says_why_and_what_to_do():
        for make in (
            lambda: h_spark.SparkKoalasGraphAdapter(None, base.DictResult(), "spend"),
            h_spark.KoalasDataFrameResult,
        ):
            with pytest.raises(UnsupportedAdapterError, match=r"needs pandas-on-Spark") as info:
                make()
            assert "pandas < 3" in str(info.value)
            assert "with_columns" in str(info.value)

    @pytest.mark.slow
    def test_pandas_on_spark_runs_with_pandas_2(tmp_path):
        overlay = tmp_path / "pandas2"
        install = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "--no-deps", "--target", str(overlay), PANDAS_2, "pytz"],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert install.returncode == 0, f"pip install {PANDAS_2} failed:\n{install.stderr}"
        paths = [str(overlay), str(ROOT / "src"), str(ROOT / "tests")]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "PYARROW_IGNORE_TIMEZONE": "1"}
        run = subprocess.run(
            [sys.executable, "-m", "pytest", __file__, "-q", "-p", "no:cacheprovider", "-rfE"],
            capture_output=True, text=True, timeout=900, cwd=ROOT, env=env,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
        assert "7 passed" in run.stdout, run.stdout[-3000:]

else:

    @pytest.fixture(scope="module")
    def inputs(spark_session):
        frame = ps.from_pandas(DATA)  # one pandas-on-Spark frame, its columns as inputs
        return {"spend": frame["spend"], "signups": frame["signups"]}

    def _expected() -> pd.DataFrame:
        dr = driver.Driver({}, _module())  # plain pandas, no Spark: a DataFrame of the outputs
        return dr.execute(OUTPUTS, inputs={"spend": DATA.spend, "signups": DATA.signups})

    def _on_spark(spark_session, builder, module=None) -> driver.Driver:
        adapter = h_spark.SparkKoalasGraphAdapter(spark_session, builder, spine_column="spend")
        return driver.Driver({}, module or _module(), adapter=adapter)

    def test_pandas_result_equals_the_plain_pandas_run(spark_session, inputs):
        got = _on_spark(spark_session, base.PandasDataFrameResult()).execute(OUTPUTS, inputs=inputs)
        assert isinstance(got, pd.DataFrame)
        pd.testing.assert_frame_equal(got.sort_index(), _expected(), check_dtype=False)

    def test_koalas_result_is_a_pandas_on_spark_frame(spark_session, inputs):
        dr = _on_spark(spark_session, h_spark.KoalasDataFrameResult())
        got = dr.execute(OUTPUTS, inputs=inputs)
        assert isinstance(got, ps.DataFrame)
        expected = _expected()
        pd.testing.assert_frame_equal(got.to_pandas().sort_index(), expected, check_dtype=False)

    def test_dict_result_keeps_the_pandas_on_spark_values(spark_session, inputs):
        got = _on_spark(spark_session, base.DictResult()).execute(OUTPUTS, inputs=inputs)
        assert isinstance(got["spend_per_signup"], ps.Series)
        assert got["total_signups"] == 20
        assert got["spend_per_signup"].to_pandas().sort_index().tolist() == [10, 2.5, 4, 5, 20]

    def test_same_frame_as_hamiltons_adapter(spark_session, inputs):
        from hamilton import base as hamilton_base
        from hamilton import driver as hamilton_driver
        from hamilton.plugins import h_spark as hamilton_spark

        adapter = hamilton_spark.SparkKoalasGraphAdapter(
            spark_session, hamilton_base.PandasDataFrameResult(), spine_column="spend"
        )
        theirs = hamilton_driver.Driver({}, _module("hamilton"), adapter=adapter)
        with ps.option_context("compute.ops_on_diff_frames", True):
            expected = theirs.execute(OUTPUTS, inputs=inputs)
        got = _on_spark(spark_session, base.PandasDataFrameResult()).execute(OUTPUTS, inputs=inputs)
        pd.testing.assert_frame_equal(got.sort_index(), expected.sort_index())

    def test_a_result_builder_it_cannot_honour_is_refused(spark_session):
        with pytest.raises(ValueError, match=r"takes base\.PandasDataFrameResult\(\).*got Numpy"):
            h_spark.SparkKoalasGraphAdapter(spark_session, base.NumpyMatrixResult(), "spend")

    def test_the_spine_column_must_be_requested(spark_session, inputs):
        dr = _on_spark(spark_session, base.PandasDataFrameResult())
        with pytest.raises(ValueError, match=r"spine column 'spend' is not among"):
            dr.execute(["spend_per_signup"], inputs=inputs)

    def test_pandas_on_spark_values_pass_pandas_annotations(spark_session, inputs):
        adapter = h_spark.SparkKoalasGraphAdapter(spark_session, base.DictResult(), "spend")
        assert adapter.check_input_type(pd.Series, inputs["spend"])
        assert adapter.check_node_type_equivalence(pd.Series, ps.Series)
        assert adapter.check_node_type_equivalence(ps.DataFrame, pd.DataFrame)
        assert not adapter.check_node_type_equivalence(pd.Series, pd.DataFrame)
        assert not adapter.check_input_type(int, inputs["spend"])
