"""First of two modules that both define ``conversion_rate``."""


def visits(page_views: int) -> int:
    """Visits counted from page views."""
    return page_views // 2


def conversion_rate(orders: int, visits: int) -> float:
    """Orders per visit (definition A)."""
    return orders / visits
