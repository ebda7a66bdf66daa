"""Functions with and without docstrings, for lineage and documentation views."""


def temperature_c(temperature_f: float) -> float:
    """Temperature in degrees Celsius.

    Converted from Fahrenheit.
    """
    return (temperature_f - 32.0) * 5.0 / 9.0


def temperature_k(temperature_c: float) -> float:
    return temperature_c + 273.15


def is_freezing(temperature_c: float) -> bool:
    """True at or below 0 C."""
    return temperature_c <= 0.0


def weather_line(temperature_c: float, is_freezing: bool, station: str = "HQ") -> str:
    """One line for the weather report."""
    flag = " (freezing)" if is_freezing else ""
    return f"{station}: {temperature_c:.1f}C{flag}"
