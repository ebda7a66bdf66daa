"""Weekly marketing features: what a growth team computes from spend and signups.

Inputs: ``spend`` and ``signups`` (weekly ``pd.Series`` on one index); ``window`` is
optional (defaults to 3 weeks).
"""

import pandas as pd


def spend_rolling(spend: pd.Series, window: int = 3) -> pd.Series:
    """Trailing mean of spend over ``window`` weeks."""
    return spend.rolling(window, min_periods=1).mean()


def cost_per_signup(spend: pd.Series, signups: pd.Series) -> pd.Series:
    """Spend divided by signups, week by week."""
    return spend / signups


def spend_mean(spend: pd.Series) -> float:
    """Average weekly spend."""
    return float(spend.mean())


def spend_std(spend: pd.Series) -> float:
    """Sample standard deviation of weekly spend."""
    return float(spend.std())


def spend_zscore(spend: pd.Series, spend_mean: float, spend_std: float) -> pd.Series:
    """How unusual each week's spend is, in standard deviations."""
    return (spend - spend_mean) / spend_std


def spend_share(spend: pd.Series) -> pd.Series:
    """Fraction of the period's spend that fell in each week."""
    return spend / spend.sum()


def signups_cumulative(signups: pd.Series) -> pd.Series:
    """Running total of signups."""
    return signups.cumsum()


def signups_growth(signups: pd.Series) -> pd.Series:
    """Week-over-week relative change in signups."""
    return signups.pct_change()


def rolling_cost_per_signup(spend_rolling: pd.Series, signups: pd.Series) -> pd.Series:
    """Smoothed spend per signup (uses the rolling spend)."""
    return spend_rolling / signups


def total_spend(spend: pd.Series) -> float:
    """Spend over the whole period (a scalar: broadcast by the DataFrame result)."""
    return float(spend.sum())
