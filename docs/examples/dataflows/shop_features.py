"""Features built on ``weekly_shop``: rolling revenue means, and flags for the best and worst
weeks. One function here becomes three nodes (``@parameterize``), another three
(``@extract_columns``): the families ``docs/visualization.md`` collapses."""

import pandas as pd

from plait.function_modifiers import extract_columns, parameterize, tag, value


@tag(owner="marketing")
@parameterize(
    revenue_2w={"weeks": value(2)},
    revenue_4w={"weeks": value(4)},
    revenue_8w={"weeks": value(8)},
)
def rolling_revenue(revenue: pd.Series, weeks: int) -> pd.Series:
    """Mean revenue over the last {weeks} weeks."""
    return revenue.rolling(weeks, min_periods=1).mean()


@extract_columns("best_week", "worst_week")
def extremes(revenue_4w: pd.Series) -> pd.DataFrame:
    """Whether each week has the best (or worst) 4-week mean of the period."""
    return pd.DataFrame(
        {"best_week": revenue_4w == revenue_4w.max(), "worst_week": revenue_4w == revenue_4w.min()}
    )
