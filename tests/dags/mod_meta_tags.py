"""``@tag`` (string and list values, dotted keys, reserved namespaces bypassed, ``target_`` as
None / ... / a name / a list on a multi-node function), ``@tag_outputs`` and ``@schema.output``.

Written against plait; the compat harness runs it through Hamilton by swapping the import name
(``harness.load_dag``). Inputs: ``n`` (int).
"""

import pandas as pd
import polars as pl

from plait.function_modifiers import extract_columns, schema, tag, tag_outputs


@tag(owner="growth", channels=["search", "social"], **{"team.area": "ads", "team.lead": "kim"})
def spend(n: int) -> int:
    """Spend in euros."""
    return n * 10


@tag(owner="finance")
@tag(owner="growth", stage="raw")
def revenue(spend: int) -> int:
    """The upper @tag wins on the key both set."""
    return spend * 3


@tag(**{"data_quality.reviewed": "yes", "module": "accounts"}, bypass_reserved_namespaces_=True)
def margin(revenue: int, spend: int) -> int:
    return revenue - spend


@tag(scope="final")
@tag(scope_all="yes", target_=...)
@tag(only="clicks", target_="clicks")
@tag(listed=["x", "y"], target_=["frame", "views"])
@extract_columns("clicks", "views")
def frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({"clicks": [n, 2 * n], "views": [10 * n, 20 * n]})


@tag_outputs(left={"side": "left", "kinds": ["a", "b"]}, pair={"whole": "yes"})
@extract_columns("left", "right")
def pair(n: int) -> pd.DataFrame:
    return pd.DataFrame({"left": [n], "right": [-n]})


@schema.output(("id", "int"), ("score", "float"))
def scores(n: int) -> pd.DataFrame:
    return pd.DataFrame({"id": [1, 2], "score": [n / 2, n / 4]})


@tag(stage="clean")
@schema.output(("name", "str"))
def names(n: int) -> pl.DataFrame:
    return pl.DataFrame({"name": ["a"] * n})


@tag(stage="nlp")
@schema.output(("word", "str"), target_="words")
@extract_columns("word")
def words(n: int) -> pd.DataFrame:
    return pd.DataFrame({"word": ["w"] * n})


def untagged(spend: int) -> int:
    return spend + 1
