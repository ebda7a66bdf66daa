"""One shopping basket: the dataflow of docs/cli.md.

Its inputs are plain Python values (lists, numbers, text), so each one can be typed on the
command line. ``currency`` usually comes from the config.
"""

from plait.function_modifiers import tag


def subtotal(prices: list[float], quantities: list[int]) -> float:
    """Price times quantity, summed over the basket."""
    return round(sum(p * q for p, q in zip(prices, quantities, strict=True)), 2)


@tag(owner="finance")
def tax(subtotal: float, tax_rate: float = 0.2) -> float:
    """Sales tax on the subtotal (20% unless told otherwise)."""
    return round(subtotal * tax_rate, 2)


@tag(owner="finance", pii="false")
def total(subtotal: float, tax: float) -> float:
    """What the customer pays."""
    return round(subtotal + tax, 2)


@tag(pii="true")
def receipt(total: float, customer: str, currency: str) -> str:
    """The line printed on the receipt."""
    return f"{customer} pays {total:.2f} {currency}"
