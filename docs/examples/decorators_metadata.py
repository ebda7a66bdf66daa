"""docs/decorators/metadata.md: tags on nodes (@tag, @tag_outputs, @schema.output) and
selecting nodes by tag.

    python docs/examples/decorators_metadata.py
"""

import pathlib

import pandas as pd

from plait import ad_hoc_utils, driver
from plait.function_modifiers import (
    InvalidDecoratorException,
    extract_columns,
    schema,
    tag,
    tag_outputs,
)


# --- tag ---
@tag(owner="growth", channels=["search", "social"])
def spend(raw: pd.DataFrame) -> pd.Series:
    """Daily spend."""
    return raw["spend"]


@tag(**{"team.owner": "kim", "team.area": "ads"})
def clicks(raw: pd.DataFrame) -> pd.Series:
    return raw["clicks"]


# --- reserved ---
@tag(**{"data_quality.reviewed": "yes"}, bypass_reserved_namespaces_=True)
def cost_per_click(spend: pd.Series, clicks: pd.Series) -> pd.Series:
    return spend / clicks


# --- target ---
@tag(pii="true", target_="email")
@tag(source="crm", target_=...)
@extract_columns("email", "country")
def customers(crm_export: pd.DataFrame) -> pd.DataFrame:
    return crm_export[["email", "country"]]


# --- tag_outputs ---
@tag_outputs(low={"band": "low"}, high={"band": ["high", "alert"]})
@extract_columns("low", "high")
def spend_bands(spend: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"low": spend.clip(upper=20), "high": spend.clip(lower=20)})


# --- schema ---
@schema.output(("day", "int"), ("spend", "float"))
def report(spend: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"day": spend.index, "spend": spend})


# --- show: the tags of every node ---
module = ad_hoc_utils.create_temporary_module(
    spend, clicks, cost_per_click, customers, spend_bands, report
)
dr = driver.Builder().with_modules(module).build()
for var in dr.list_available_variables():
    shown = {k: v for k, v in var.tags.items() if k != "module"}
    print(f"{var.name:15} {shown}")

# --- show: selecting by tag ---
print()
for query in (
    {"owner": "growth"},
    {"band": "alert"},
    {"band": ["low", "high"]},
    {"team.owner": None},
    {"source": "crm", "pii": "true"},
):
    print(f"{query!s:32} {[v.name for v in dr.list_available_variables(tag_filter=query)]}")

raw = pd.DataFrame({"spend": [10.0, 30.0], "clicks": [5, 10]})
crm = pd.DataFrame({"email": ["a@x.org"], "country": ["fr"], "notes": ["vip"]})
out = dr.execute(["cost_per_click", "high", "email"], inputs={"raw": raw, "crm_export": crm})
print()
print({name: value.tolist() for name, value in out.items()})

# --- show: a misuse ---
try:

    @tag(owner="kim", **{"module.group": "ads"}, kinds=["a", "a"])
    def typo(spend: pd.Series) -> pd.Series:
        return spend

except InvalidDecoratorException as exc:
    here = str(pathlib.Path(__file__).resolve().parent) + "/"
    print()
    print(type(exc).__name__ + ":", str(exc).replace(here, ""))
