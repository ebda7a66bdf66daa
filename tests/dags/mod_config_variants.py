"""``@config.when`` / ``when_not`` / ``when_in`` / ``when_not_in`` / ``config(predicate)``:
variants of one node chosen by the config, node names from the ``__suffix`` and from ``name=``,
combined with ``@tag``, ``@parameterize`` and ``@extract_columns`` written above or below; and
``@hamilton_exclude``.

Written against plait; the compat harness runs it through Hamilton by swapping the import name
(``harness.load_dag``). Inputs: ``base`` (float). Config keys, each of which may be absent:
``region`` (str), ``vat`` (bool), ``discount`` (float), ``tier`` (str).
"""

import pandas as pd

from plait.function_modifiers import (
    config,
    extract_columns,
    hamilton_exclude,
    parameterize,
    tag,
    value,
)


@config.when(region="uk")
def price__uk(base: float) -> float:
    return base * 1.2


@config.when_in(region=["us", "ca"])
def price__north_america(base: float) -> float:
    return base * 1.1


@config.when_not_in(region=["uk", "us", "ca"])
def price__elsewhere(base: float) -> float:
    """Also when the config has no region."""
    return base


@config.when(region="uk", vat=True)
def tax__uk_vat(price: float) -> float:
    return price * 0.2


@config.when_not(vat=True)
def tax__none(price: float) -> float:
    return 0.0


@config.when(tier=None)
def support__basic(price: float) -> str:
    """Selected when the config has no tier."""
    return "basic"


@config.when_not(tier=None)
def support__premium(price: float, tier: str) -> str:
    return f"premium-{tier}"


@config.when(name="label", region="uk")
def british_label(price: float) -> str:
    return f"GBP {price:.2f}"


@config.when_not(name="label", region="uk")
def plain_label(price: float) -> str:
    return f"{price:.2f}"


@config(lambda cfg: (cfg.get("discount") or 0) > 0)
def discounted__custom(price: float, discount: float) -> float:
    return price * (1 - discount)


@tag(owner="pricing")
@config.when(region="uk")
@parameterize(fee_small={"size": value(1)}, fee_large={"size": value(10)})
def fees__uk(base: float, size: int) -> float:
    return base * size / 100


@parameterize(fee_small={"size": value(2)}, fee_large={"size": value(20)})
@config.when_not(region="uk")
@tag(owner="pricing")
def fees__elsewhere(base: float, size: int) -> float:
    return base * size / 100


@extract_columns("net", "gross")
@config.when(region="uk")
def totals__uk(price: float, tax: float) -> pd.DataFrame:
    return pd.DataFrame({"net": [price], "gross": [price + tax]})


@config.when_in(region=["us", "ca"])
@extract_columns("net", "gross")
def totals__north_america(price: float) -> pd.DataFrame:
    return pd.DataFrame({"net": [price], "gross": [price]})


@hamilton_exclude
def helper(base: float) -> float:
    """Not a node, whatever the config."""
    return base


@config.when(region="uk")
@hamilton_exclude
def ignored__uk(base: float) -> float:
    return base
