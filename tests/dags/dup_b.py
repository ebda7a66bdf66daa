"""Second module that defines ``conversion_rate``, differently."""


def conversion_rate(orders: int, visits: int) -> float:
    """Orders per hundred visits (definition B)."""
    return 100.0 * orders / visits


def orders_label(orders: int) -> str:
    """Only defined here."""
    return f"{orders} orders"
