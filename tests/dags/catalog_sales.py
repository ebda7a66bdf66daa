"""Sales features (catalog tests): some depend on customer data, some do not."""

from plait.function_modifiers import tag


def revenue(orders: int, price: float) -> float:
    """Orders times unit price."""
    return orders * price


def mean_revenue(revenue: float) -> float:
    """Revenue averaged over a week."""
    return revenue / 7


@tag(owner="finance")
def revenue_per_domain(revenue: float, email_domain: str) -> dict:
    """Revenue keyed by the customer's email domain."""
    return {email_domain: revenue}


def age_report(age: int) -> str:
    """A sentence about the customer's age."""
    return f"{age} years old"


def price_report(mean_revenue: float) -> str:
    """A sentence about mean revenue."""
    return f"{mean_revenue:.2f} per day"
