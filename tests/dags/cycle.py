"""A forecasting loop gone wrong: three nodes form a cycle, next to a sound part.

``forecast -> adjusted -> residual -> forecast`` is a cycle; ``baseline`` feeds it.
``history_mean`` and ``history_report`` do not touch the cycle and must still run.
Every call is recorded in ``CALLS`` so tests can tell what ran.
"""

CALLS: list[str] = []


def _record(name: str) -> None:
    CALLS.append(name)


def baseline(history: list) -> float:
    """Last observed value: feeds the cycle but is not on it."""
    _record("baseline")
    return float(history[-1])


def forecast(baseline: float, residual: float) -> float:
    """Next value: baseline corrected by the residual (on the cycle)."""
    _record("forecast")
    return baseline + residual


def adjusted(forecast: float) -> float:
    """Forecast after a seasonal adjustment (on the cycle)."""
    _record("adjusted")
    return forecast * 0.9


def residual(adjusted: float) -> float:
    """Error of the adjusted forecast (on the cycle, closing it)."""
    _record("residual")
    return adjusted - 1.0


def forecast_report(forecast: float) -> str:
    """Depends on the cycle, so it can never be computed."""
    _record("forecast_report")
    return f"forecast={forecast}"


def history_mean(history: list) -> float:
    """Independent of the cycle."""
    _record("history_mean")
    return sum(history) / len(history)


def history_report(history_mean: float, history: list) -> str:
    """Independent of the cycle."""
    _record("history_report")
    return f"{len(history)} points, mean {history_mean}"
