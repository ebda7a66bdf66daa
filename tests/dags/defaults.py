"""Checkout totals: parameters with defaults are optional inputs.

``season`` and ``decimals`` etc. have defaults; ``tax_rate`` is usually given in the
config; ``multiplier`` has a default *and* is a node, so the node wins.
"""


def discount_rate(season: str = "regular") -> float:
    """Discount for the season; 'regular' unless told otherwise."""
    return {"regular": 0.0, "sale": 0.25, "clearance": 0.5}[season]


def net_price(gross_price: float, discount_rate: float) -> float:
    """Price after the seasonal discount."""
    return gross_price * (1.0 - discount_rate)


def taxed_price(net_price: float, tax_rate: float) -> float:
    """Price including tax (tax_rate normally comes from the config)."""
    return net_price * (1.0 + tax_rate)


def rounded_price(taxed_price: float, decimals: int = 2) -> float:
    """Price rounded for display."""
    return round(taxed_price, decimals)


def shipping_fee(net_price: float, free_over: float = 50.0, flat_fee: float = 4.5) -> float:
    """Flat shipping fee, waived above a threshold."""
    return 0.0 if net_price >= free_over else flat_fee


def amount_due(rounded_price: float, shipping_fee: float, tip: float = 0.0) -> float:
    """What the customer pays."""
    return rounded_price + shipping_fee + tip


def multiplier(loyalty_tier: str) -> int:
    """Points multiplier for the customer's tier."""
    return {"bronze": 1, "silver": 2, "gold": 3}[loyalty_tier]


def loyalty_points(amount_due: float, multiplier: int = 1) -> int:
    """Points earned; ``multiplier`` is a node, so its default is never used."""
    return int(amount_due) * multiplier
