"""docs/decorators/expansion.md: one function, many nodes (@parameterize, @inject,
@extract_columns, @extract_fields, @unpack_fields, @does, @resolve).

    python docs/examples/decorators_expansion.py
"""

import pathlib
from typing import TypedDict

import pandas as pd

from plait import ad_hoc_utils, driver
from plait.function_modifiers import (
    InvalidDecoratorException,
    ParameterizedExtract,
    ResolveAt,
    does,
    extract_columns,
    extract_fields,
    group,
    inject,
    parameterize,
    parameterize_extract_columns,
    parameterize_sources,
    parameterize_values,
    resolve,
    source,
    unpack_fields,
    value,
)


# --- parameterize ---
@parameterize(
    spend_2d={"days": value(2)},
    spend_3d=({"days": value(3)}, "Spend over three days."),
    spend_target={"days": source("target_days")},
)
def rolling_spend(spend: pd.Series, days: int) -> pd.Series:
    """Spend summed over the last {days} days ({output_name})."""
    return spend.rolling(days, min_periods=1).sum()


# --- shorthands ---
@parameterize_values(
    parameter="currency",
    assigned_output={("label_eur", "Label in euros."): "EUR", ("label_usd", "In dollars."): "USD"},
)
def label(campaign: str, currency: str) -> str:
    return f"{campaign} ({currency})"


@parameterize_sources(
    ctr_search={"clicks": "search_clicks"}, ctr_social={"clicks": "social_clicks"}
)
def click_rate(clicks: pd.Series, views: pd.Series) -> pd.Series:
    """{clicks} divided by views."""
    return clicks / views


# --- inject ---
@inject(
    parts=group(source("spend_2d"), source("spend_3d")), weights=group(a=value(0.5), b=value(0.5))
)
def blended_spend(parts: list[pd.Series], weights: dict[str, float]) -> pd.Series:
    """A weighted blend of the two rolling spends."""
    return parts[0] * weights["a"] + parts[1] * weights["b"]


# --- extract_columns ---
@extract_columns(
    "search_clicks", ("social_clicks", "Clicks from social media."), "tv_clicks", fill_with=0
)
def clicks(raw: pd.DataFrame) -> pd.DataFrame:
    """Clicks per channel."""
    return raw[["search_clicks", "social_clicks"]]


# --- extract_fields ---
class Budget(TypedDict):
    total: float
    owner: str


@extract_fields()
def budget(spend: pd.Series) -> Budget:
    return {"total": float(spend.sum()), "owner": "growth"}


@extract_fields({"low": float, "high": float})
def spend_range(spend: pd.Series) -> dict:
    return {"low": float(spend.min()), "high": float(spend.max())}


# --- unpack_fields ---
@unpack_fields("first_day", "last_day")
def days(spend: pd.Series) -> tuple[int, int]:
    return (int(spend.index[0]), int(spend.index[-1]))


# --- parameterize_extract_columns ---
@parameterize_extract_columns(
    ParameterizedExtract(("search_share", "social_share"), {"scale": value(1.0)}),
    ParameterizedExtract(("search_pct", "social_pct"), {"scale": value(100.0)}),
)
def shares(raw: pd.DataFrame, scale: float) -> pd.DataFrame:
    total = raw["search_clicks"] + raw["social_clicks"]
    return (
        pd.DataFrame({"s": raw["search_clicks"] / total, "o": raw["social_clicks"] / total}) * scale
    )


# --- does ---
def _sum_series(**series: pd.Series) -> pd.Series:
    return sum(series.values())


@does(_sum_series)
def all_clicks(
    search_clicks: pd.Series, social_clicks: pd.Series, tv_clicks: pd.Series
) -> pd.Series:
    """Clicks from every channel."""
    pass


# --- resolve ---
@resolve(
    when=ResolveAt.CONFIG_AVAILABLE,
    decorate_with=lambda horizons: parameterize(
        **{f"forecast_{h}d": {"horizon": value(h)} for h in horizons}
    ),
)
def forecast(spend_2d: pd.Series, horizon: int) -> float:
    """Spend expected over the next {horizon} days."""
    return float(spend_2d.iloc[-1]) / 2 * horizon


# --- run ---
module = ad_hoc_utils.create_temporary_module(
    rolling_spend,
    label,
    click_rate,
    blended_spend,
    clicks,
    budget,
    spend_range,
    days,
    shares,
    all_clicks,
    forecast,
    module_name="marketing",
)
config = {"hamilton.enable_power_user_mode": True, "horizons": [7, 30]}
dr = driver.Builder().with_modules(module).with_config(config).build()
inputs = {
    "spend": pd.Series([10.0, 20.0, 30.0, 40.0], index=[1, 2, 3, 4]),
    "raw": pd.DataFrame({"search_clicks": [5, 6, 7, 8], "social_clicks": [1, 2, 3, 4]}),
    "views": pd.Series([50, 60, 70, 80]),
    "target_days": 4,
    "campaign": "spring",
}

# --- show: nodes ---
for var in dr.list_available_variables():
    if not var.is_external_input:
        needs = ", ".join(sorted(var.required_dependencies))
        print(f"{var.name:14} {getattr(var.type, '__name__', var.type)!s:10} <- {needs}")
print()

# --- show: values ---
out = dr.execute(
    [
        "spend_2d",
        "spend_target",
        "label_usd",
        "ctr_social",
        "blended_spend",
        "tv_clicks",
        "total",
        "high",
        "last_day",
        "social_pct",
        "all_clicks",
        "forecast_30d",
    ],
    inputs=inputs,
)
for name, result in out.items():
    shown = result.tolist() if isinstance(result, pd.Series) else result
    print(f"{name:14} {shown}")

# --- show: a misuse ---
try:

    @parameterize(wrong={"day": value(1)})
    def typo(days: int) -> int:
        return days

except InvalidDecoratorException as exc:
    here = str(pathlib.Path(__file__).resolve().parent) + "/"
    print()
    print(type(exc).__name__ + ":", str(exc).replace(here, ""))
