"""Order pricing with plain scalars: ints, floats, strings and bools."""


def unit_price(list_price: float, discount: float) -> float:
    """Price of one unit after the discount (a fraction, 0.1 = 10 %)."""
    return list_price * (1.0 - discount)


def units(order_count: int, pack_size: int) -> int:
    """Units shipped: packs ordered times units per pack."""
    return order_count * pack_size


def revenue(unit_price: float, units: int) -> float:
    """Money in for the order."""
    return unit_price * units


def order_label(region: str, units: int) -> str:
    """Human-readable label for reports."""
    return f"{region}-{units}"


def is_bulk(units: int) -> bool:
    """Whether the order counts as a bulk order."""
    return units >= 100


def revenue_per_pack(revenue: float, order_count: int) -> float:
    """Revenue divided over the packs ordered."""
    return revenue / order_count
