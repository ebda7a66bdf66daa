"""A promotion: redefines ``revenue_target`` from ``weekly_shop`` (used with module overrides)."""


def revenue_target(mean_revenue: float) -> float:
    """During the promotion, aim for the mean plus 15%."""
    return round(mean_revenue * 1.15, 2)
