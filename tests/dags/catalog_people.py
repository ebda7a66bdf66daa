"""Customer features (catalog tests): two of them carry personal data, tagged ``pii``."""

from plait.function_modifiers import tag


@tag(pii="true", owner="crm")
def email(raw_email: str) -> str:
    """The customer's email address, lower-cased."""
    return raw_email.strip().lower()


@tag(pii="true")
def birth_year(raw_birth_date: str) -> int:
    """Year of birth, from an ISO date."""
    return int(raw_birth_date[:4])


def email_domain(email: str) -> str:
    """Domain part of the email address."""
    return email.split("@")[-1]


@tag(owner="crm")
def age(birth_year: int, this_year: int) -> int:
    """Age in whole years."""
    return this_year - birth_year
