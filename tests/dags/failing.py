"""A node that raises a user exception (a KeyError from a lookup)."""


def country_code(country: str) -> str:
    """Looks a country up; unknown countries raise KeyError."""
    codes = {"france": "FR", "japan": "JP"}
    return codes[country.lower()]


def greeting_line(country_code: str) -> str:
    """Downstream of the failing node."""
    return f"hello from {country_code}"
