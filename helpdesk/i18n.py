"""Locale, time zone and text direction of the interface; works inside and outside a request."""

from __future__ import annotations

from functools import lru_cache

import pytz
from babel import Locale
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user

RTL_LANGUAGES = {"ar", "fa", "he", "ur"}
SESSION_LOCALE = "locale"  # the language a visitor chose on the sign-in page


def interface_languages() -> list[str]:
    """The codes the interface may be read in, in the configured order."""
    return list(current_app.config["LANGUAGES"])


@lru_cache(maxsize=64)
def endonym(code: str) -> str:
    """A language in its own words (Deutsch, 日本語, العربية): how a reader finds their own."""
    return Locale.parse(code).display_name or code


def select_locale() -> str | None:
    """The signed-in user's saved choice, else what a visitor picked on the sign-in page, else
    the browser's best match; None (the default) for workers, which use ``force_locale``."""
    if not has_request_context():
        return None
    offered = interface_languages()
    if current_user.is_authenticated and current_user.locale in offered:
        return str(current_user.locale)
    chosen = session.get(SESSION_LOCALE)
    if chosen in offered:
        return str(chosen)
    return request.accept_languages.best_match(offered)


def zone_of(name: str | None) -> pytz.BaseTzInfo:
    """The zone by IANA name; UTC for none, or for a name this Python's zone data lacks."""
    try:
        return pytz.timezone(name or "UTC")
    except pytz.UnknownTimeZoneError:
        return pytz.utc


def select_timezone() -> pytz.BaseTzInfo | None:
    """The signed-in user's zone; UTC for visitors and for users whose browser has not said."""
    if has_request_context() and current_user.is_authenticated:
        return zone_of(current_user.timezone)
    return None


def text_direction() -> str:
    locale = get_locale()
    return "rtl" if locale is not None and locale.language in RTL_LANGUAGES else "ltr"


def page_translations() -> NullTranslations:
    """The current locale's catalogue, looked up once per locale and request: Flask-Babel's own
    lookup walks several context proxies, and a page calls gettext a few hundred times. Keyed
    by the locale object, so ``force_locale`` (mail written in the requester's language) still
    gets its own."""
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    if state is None or locale is None:
        return get_translations()
    cached = getattr(state, "page_translations", None)
    if cached is None or cached[0] is not locale:
        cached = state.page_translations = (locale, get_translations())
    return cached[1]


def install_template_gettext(app: Flask) -> None:
    """Templates translate through ``page_translations``; same results as Flask-Babel's."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
    )
