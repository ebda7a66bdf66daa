"""A 20-node dataflow: a week of orders and returns becomes a short report.

Every node pauses briefly (``_step``), standing in for real work, so a progress bar has
something to show.
"""

import os
import time

#: Seconds each node pretends to work (set PLAIT_EXAMPLE_STEP=0 to run instantly).
STEP = float(os.environ.get("PLAIT_EXAMPLE_STEP", "0.03"))


def _step() -> None:
    time.sleep(STEP)


def calendar(days: int) -> list[int]:
    _step()
    return list(range(1, days + 1))


def raw_orders(calendar: list[int]) -> list[dict]:
    _step()
    return [{"day": d, "units": 3 + d % 4, "price": 9.5 + d % 3} for d in calendar]


def raw_returns(calendar: list[int]) -> list[dict]:
    _step()
    return [{"day": d, "units": 1} for d in calendar if d % 5 == 0]


def valid_orders(raw_orders: list[dict]) -> list[dict]:
    _step()
    return [o for o in raw_orders if o["units"] > 0]


def net_units_by_day(valid_orders: list[dict], raw_returns: list[dict]) -> dict[int, int]:
    _step()
    units = {o["day"]: o["units"] for o in valid_orders}
    for r in raw_returns:
        units[r["day"]] -= r["units"]
    return units


def price_by_day(valid_orders: list[dict]) -> dict[int, float]:
    _step()
    return {o["day"]: o["price"] for o in valid_orders}


def revenue_by_day(net_units_by_day: dict[int, int], price_by_day: dict[int, float]) -> dict:
    _step()
    return {d: u * price_by_day[d] for d, u in net_units_by_day.items()}


def total_revenue(revenue_by_day: dict) -> float:
    _step()
    return round(sum(revenue_by_day.values()), 2)


def total_units(net_units_by_day: dict[int, int]) -> int:
    _step()
    return sum(net_units_by_day.values())


def avg_price(total_revenue: float, total_units: int) -> float:
    _step()
    return round(total_revenue / total_units, 2)


def best_day(revenue_by_day: dict) -> int:
    _step()
    return max(revenue_by_day, key=revenue_by_day.__getitem__)


def worst_day(revenue_by_day: dict) -> int:
    _step()
    return min(revenue_by_day, key=revenue_by_day.__getitem__)


def revenue_trend(revenue_by_day: dict) -> float:
    _step()
    values = list(revenue_by_day.values())
    half = len(values) // 2
    return round(sum(values[half:]) - sum(values[:half]), 2)


def return_rate(raw_returns: list[dict], raw_orders: list[dict]) -> float:
    _step()
    returned = sum(r["units"] for r in raw_returns)
    return round(returned / sum(o["units"] for o in raw_orders), 3)


def weekly_revenue(revenue_by_day: dict) -> list[float]:
    _step()
    days = sorted(revenue_by_day)
    return [
        round(sum(revenue_by_day[d] for d in days[i : i + 7]), 2) for i in range(0, len(days), 7)
    ]


def best_week(weekly_revenue: list[float]) -> int:
    _step()
    return weekly_revenue.index(max(weekly_revenue)) + 1


def forecast(total_revenue: float, revenue_trend: float, days: int) -> float:
    _step()
    return round(total_revenue / days * 7 + revenue_trend / days, 2)


def alerts(return_rate: float, worst_day: int) -> list[str]:
    _step()
    found = [f"return rate {return_rate:.1%}"] if return_rate > 0.05 else []
    return [*found, f"weakest day: {worst_day}"]


def headline(total_revenue: float, avg_price: float, best_day: int) -> str:
    _step()
    return f"revenue {total_revenue:.2f} at {avg_price:.2f} per unit; best day {best_day}"


def report(headline: str, alerts: list[str], forecast: float, best_week: int) -> str:
    _step()
    lines = [headline, f"best week: {best_week}", f"next week: {forecast:.2f}", *alerts]
    return "\n".join(lines)
