"""Customers of the shop: the dataflow of docs/catalog.md, next to weekly_shop.py.

Two functions read personal data and are tagged ``pii="true"``; the catalog answers which
outputs depend on them. Inputs: ``raw_email`` and ``raw_address`` (pd.Series of text) and
``free_mail_domains`` (a list of domains).
"""

import pandas as pd

from plait.function_modifiers import tag


@tag(pii="true", owner="crm")
def email(raw_email: pd.Series) -> pd.Series:
    """Customers' email addresses, trimmed and lower-cased."""
    return raw_email.str.strip().str.lower()


@tag(pii="true", owner="crm")
def postcode(raw_address: pd.Series) -> pd.Series:
    """The postcode: the last word of each address."""
    return raw_address.str.split().str[-1]


def email_domain(email: pd.Series) -> pd.Series:
    """The part of each email address after the '@'."""
    return email.str.split("@").str[-1]


@tag(owner="marketing")
def region(postcode: pd.Series) -> pd.Series:
    """Sales region: the first two characters of the postcode."""
    return postcode.str[:2]


@tag(owner="marketing")
def customers_per_region(region: pd.Series) -> pd.Series:
    """How many customers live in each region."""
    return region.value_counts()


def business_share(email_domain: pd.Series, free_mail_domains: list[str]) -> float:
    """Share of customers writing from a company address (not a free-mail domain)."""
    return float((~email_domain.isin(free_mail_domains)).mean())


def customer_summary(
    customers_per_region: pd.Series, business_share: float, mean_revenue: float
) -> str:
    """One line for the weekly report: regions, business share and mean revenue."""
    regions, share = len(customers_per_region), business_share
    return f"{regions} regions, {share:.0%} business customers, {mean_revenue:.2f} a week"
