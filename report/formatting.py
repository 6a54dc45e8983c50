"""Numbers as people read them: "30 %", "≈ 66 %", "US$ 99 bn", "RMB 100.4 bn"."""

from __future__ import annotations

# How a source states a figure, as a prefix to the number.
QUALIFIER_SIGNS = {"exact": "", "approx": "≈ ", "at_least": "≥ ", "at_most": "≤ "}
# The complement of a bounded share is bounded the other way: ≥ 60 % held leaves ≤ 40 % for the rest.
COMPLEMENT_QUALIFIERS = {"exact": "exact", "approx": "approx", "at_least": "at_most", "at_most": "at_least"}
CURRENCY_LABELS = {"USD": "US$", "CNY": "RMB", "EUR": "€", "GBP": "£", "JPY": "¥"}
MAGNITUDES = ((1e12, "tn"), (1e9, "bn"), (1e6, "m"))


def number(value: float, decimals: int = 1) -> str:
    """`value` with at most `decimals` decimals and thousands separators, no trailing ".0"."""
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def qualified(text: str, qualifier: str | None) -> str:
    """`text` prefixed with the sign of how the source states it (≈, ≥, ≤)."""
    return QUALIFIER_SIGNS.get(qualifier or "exact", "") + text


def percent(value: float, qualifier: str | None = "exact") -> str:
    """A share or a growth rate: "30 %", "≥ 60 %", "9.1 %"."""
    return qualified(f"{number(value)} %", qualifier)


def currency_label(currency: str | None) -> str:
    """The symbol people expect for a currency code: US$ for USD, RMB for CNY, the code otherwise."""
    return CURRENCY_LABELS.get(currency or "", currency or "")


def money(value: float, currency: str | None, qualifier: str | None = "exact") -> str:
    """An amount with its currency and magnitude: "US$ 99 bn", "≥ US$ 52.7 bn", "RMB 1.9 bn"."""
    for size, suffix in MAGNITUDES:
        if abs(value) >= size:
            return qualified(f"{currency_label(currency)} {number(value / size)} {suffix}", qualifier)
    return qualified(f"{currency_label(currency)} {number(value, 0)}", qualifier)


def amount(value: float, unit: str | None, currency: str | None, qualifier: str | None = "exact") -> str:
    """Any financial figure by its unit: money, a percentage or an N-fold multiple."""
    if unit == "pct":
        return percent(value, qualifier)
    if unit == "x":
        return qualified(f"{number(value)}×", qualifier)
    if currency:
        return money(value, currency, qualifier)
    return qualified(number(value), qualifier)
