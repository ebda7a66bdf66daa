"""docs/decorators/configuration.md: variants of a node chosen by the config (@config.when and
siblings, plait's @config.default) and @hamilton_exclude.

    python docs/examples/decorators_configuration.py
"""

import pathlib

from plait import ad_hoc_utils, driver
from plait.function_modifiers import (
    InvalidDecoratorException,
    config,
    hamilton_exclude,
    parameterize,
    tag,
    value,
)


# --- variants ---
@config.when(region="uk")
def vat_rate__uk() -> float:
    return 0.20


@config.when_in(region=["de", "fr"])
def vat_rate__eu(region: str) -> float:
    return {"de": 0.19, "fr": 0.20}[region]


@config.default()
def vat_rate__none() -> float:
    """Any other region, or none: no VAT."""
    return 0.0


def gross_price(net_price: float, vat_rate: float) -> float:
    return rounded(net_price * (1 + vat_rate))


# --- name ---
@config.when(name="greeting", region="fr")
def bonjour() -> str:
    return "Bonjour"


@config.when_not(name="greeting", region="fr")
def hello() -> str:
    return "Hello"


# --- combined ---
@tag(owner="shipping")
@config.when(express=True)
@parameterize(ship_small={"kilos": value(1)}, ship_large={"kilos": value(10)})
def shipping__express(kilos: int) -> float:
    return 5.0 + kilos


@parameterize(ship_small={"kilos": value(1)}, ship_large={"kilos": value(10)})
@config.when_not(express=True)
@tag(owner="shipping")
def shipping__standard(kilos: int) -> float:
    return 2.0 + kilos / 2


# --- custom ---
@config(lambda cfg: (cfg.get("discount") or 0) > 0)
def final_price__discounted(gross_price: float, discount: float) -> float:
    return rounded(gross_price * (1 - discount))


@config(lambda cfg: not cfg.get("discount"))
def final_price__full(gross_price: float) -> float:
    return gross_price


# --- exclude ---
@hamilton_exclude
def rounded(amount: float) -> float:
    return round(amount, 2)


# --- show: the nodes and values under three configs ---
module = ad_hoc_utils.create_temporary_module(
    vat_rate__uk,
    vat_rate__eu,
    vat_rate__none,
    gross_price,
    bonjour,
    hello,
    shipping__express,
    shipping__standard,
    final_price__discounted,
    final_price__full,
)
for cfg in ({"region": "uk"}, {"region": "fr", "express": True, "discount": 0.1}, {}):
    dr = driver.Builder().with_modules(module).with_config(cfg).build()
    print(cfg)
    for var in dr.list_available_variables():
        if not var.is_external_input:
            fn = var.originating_functions[0]
            defined_by = getattr(fn, "__original_name__", fn.__name__)
            print(f"  {var.name:12} <- {defined_by:24} {var.tags.get('hamilton.config', '')}")
    wanted = ["vat_rate", "final_price", "greeting", "ship_large"]
    print("  values:", dr.execute(wanted, inputs={"net_price": 100.0}))

# --- show: two variants selected at once ---
try:

    @config.when(region="uk")
    def currency__uk() -> str:
        return "GBP"

    @config.when_not_in(region=["de", "fr"])
    def currency__other() -> str:
        return "USD"

    two = ad_hoc_utils.create_temporary_module(currency__uk, currency__other)
    driver.Builder().with_modules(two).with_config({"region": "uk"}).build()
except ValueError as exc:
    here = str(pathlib.Path(__file__).resolve().parent) + "/"
    print()
    print(type(exc).__name__ + ":", str(exc).replace(here, ""))

# --- show: a misuse caught when decorating ---
try:

    @config.when_in(region="uk")
    def duty__uk() -> float:
        return 0.1

except InvalidDecoratorException as exc:
    here = str(pathlib.Path(__file__).resolve().parent) + "/"
    print()
    print(type(exc).__name__ + ":", str(exc).replace(here, ""))
