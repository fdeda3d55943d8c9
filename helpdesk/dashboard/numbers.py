"""Figures in the reader's locale, fast: the dashboard shows hundreds of numbers and Babel's
full formatter costs tens of microseconds each; the symbols are looked up once per locale."""

from __future__ import annotations

from functools import lru_cache

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import g
from flask_babel import get_locale


@lru_cache(maxsize=64)
def _symbols(locale: str) -> tuple[str, str]:
    return get_decimal_symbol(locale), get_group_symbol(locale)


def format_figure(value: float | int) -> str:
    """An integer with grouped thousands, or a number with at most one decimal."""
    symbols = g.get("figure_symbols")
    if symbols is None:  # once per request: the locale lookup costs more than the formatting
        symbols = g.figure_symbols = _symbols(str(get_locale() or "en"))
    decimal, group = symbols
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.1f}"
    else:
        text = f"{int(value):,}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)
